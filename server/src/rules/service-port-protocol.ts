import type { Fix, SetRule } from '../engine/types';
import { insertPairAt } from '../fixes/set-edits';
import {
  fileRange,
  objectRef,
  relationsOf,
  type PortFact,
  type ServicePortFact,
  type SetPod,
} from '../workspace/relations';

/**
 * The protocols Istio reads from a Service port's name (`<protocol>[-<suffix>]`) or appProtocol
 * (istio.io, docs/ops/configuration/traffic-management/protocol-selection).
 */
const ISTIO_PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

function protocolOfName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  // longest first: grpc-web before grpc
  return [...ISTIO_PROTOCOLS].sort((a, b) => b.length - a.length).find((p) => lower === p || lower.startsWith(`${p}-`));
}

/** The container ports a Service port reaches in the selected pods. */
function reached(port: ServicePortFact, pods: readonly SetPod[]): PortFact[] {
  const target = port.targetPort;
  return pods.flatMap((p) =>
    p.pod.ports.filter((c) => !c.injected && (typeof target === 'string' ? c.name === target : c.number === target)),
  );
}

export const servicePortProtocol: SetRule = {
  meta: {
    id: 'service-port-protocol',
    description:
      'A Service port reaching an Istio-injected pod has neither appProtocol nor a protocol name prefix (http-, grpc-...): Istio guesses, and treats what is not HTTP as opaque TCP.',
    defaultSeverity: 'info',
    fixable: true,
    docs: 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
  },
  scope: 'set',
  tracked: true,
  check(members, ctx) {
    const rel = relationsOf(members);
    for (const { service, fact } of rel.routingServices()) {
      // Linkerd reads neither the name nor appProtocol: it detects HTTP itself
      // (linkerd.io/2/features/protocol-detection), so only Istio's pods are judged
      const pods = rel.selectedBy(service).filter((p) => p.pod.meshes.includes('istio'));
      if (pods.length === 0) continue;
      for (const port of fact.ports) {
        // UDP and SCTP are not proxied
        if (port.protocol !== 'TCP' || port.appProtocol !== undefined || protocolOfName(port.name) !== undefined)
          continue;
        const targets = reached(port, pods);
        const declared = [...new Set(targets.map((t) => protocolOfName(t.name)).filter((p) => p !== undefined))];
        const label = port.name !== undefined ? `port ${port.name}` : `port ${port.port ?? port.index}`;
        ctx.report(service.key, {
          object: objectRef(service),
          message: `Service ${label} reaches Istio-injected pods without appProtocol or a protocol prefix in its name (http-, grpc-, tcp-...): Istio has to detect the protocol, and treats what it does not recognise as HTTP as opaque TCP`,
          range: fileRange(service, port.nameRange),
          related: targets.slice(0, 3).map((t) => {
            const owner = pods.find((p) => p.pod.ports.includes(t))!.owner;
            return {
              key: owner.key,
              range: fileRange(owner, t.range),
              message: `the container port it reaches: ${t.name ?? t.number} of ${t.container}`,
            };
          }),
          // set from the container port's own name, when it says one protocol
          ...(declared.length === 1
            ? {
                fixes: (): Fix[] => {
                  const edit = insertPairAt(service, port.path, 'appProtocol', declared[0]!);
                  return edit
                    ? [{ title: `Set appProtocol: ${declared[0]!}`, edits: [edit], safe: false, preferred: true }]
                    : [];
                },
              }
            : {}),
        });
      }
    }
  },
};

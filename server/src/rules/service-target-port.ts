import type { Fix, RelatedLocation, SetRule } from '../engine/types';
import { insertPairAt, replaceValueAt } from '../fixes/set-edits';
import { closest } from '../schema/validate';
import { fileRange, objectRef, relationsOf, type PortFact, type SetPod } from '../workspace/relations';

function portText(p: PortFact): string {
  if (p.name !== undefined && p.number !== undefined) return `${p.name} (${p.number})`;
  return p.name ?? String(p.number);
}

function related(pods: readonly SetPod[]): RelatedLocation[] {
  return pods.slice(0, 3).map((p) => {
    const own = p.pod.ports.filter((port) => !port.injected);
    return {
      key: p.owner.key,
      range: fileRange(p.owner, own[0]?.range ?? p.owner.object.range),
      message: `${p.owner.object.kind} ${p.owner.object.name ?? ''} declares ${own.length > 0 ? own.map(portText).join(', ') : 'no port'}`,
    };
  });
}

export const serviceTargetPort: SetRule = {
  meta: {
    id: 'service-target-port',
    description:
      "A Service port's targetPort (default: port) is a name no container of the selected pods declares (error: no endpoint gets it), or a number none declares (info).",
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports',
  },
  scope: 'set',
  tracked: true,
  check(members, ctx) {
    const rel = relationsOf(members);
    for (const { service, fact } of rel.routingServices()) {
      const pods = rel.selectedBy(service);
      // a port written through a placeholder or an alias may be the one it targets
      if (pods.length === 0 || pods.some((p) => !p.pod.portsKnown)) continue;
      const ports = pods.flatMap((p) => p.pod.ports);
      const names = [...new Set(ports.filter((p) => p.name !== undefined && !p.injected).map((p) => p.name!))];
      const numbers = [...new Set(ports.filter((p) => p.number !== undefined && !p.injected).map((p) => p.number!))];
      for (const port of fact.ports) {
        const target = port.targetPort;
        if (target === undefined) continue;
        const range = fileRange(service, port.targetRange);
        // a container a SidecarSet injects into the pods may be the one (looked at only then)
        const injected = (): PortFact[] => pods.flatMap((p) => rel.sidecarSetPorts(p));
        if (typeof target === 'string') {
          if (ports.some((p) => p.name === target) || injected().some((p) => p.name === target)) continue;
          const best = closest(target, names);
          ctx.report(service.key, {
            object: objectRef(service),
            message: `targetPort ${target} is a port name no container of the selected pods declares${names.length > 0 ? ` (they name ${names.join(', ')})` : ''}: no endpoint gets this port, and the Service sends it no traffic`,
            range,
            related: related(pods),
            fixes: () =>
              [...names]
                .sort((a, b) => Number(b === best) - Number(a === best))
                .slice(0, 5)
                .flatMap((name): Fix[] => {
                  const edit = replaceValueAt(service, [...port.path, 'targetPort'], name);
                  return edit
                    ? [{ title: `Target the port named ${name}`, edits: [edit], safe: false, preferred: name === best }]
                    : [];
                }),
          });
        } else {
          if (ports.some((p) => p.number === target) || injected().some((p) => p.number === target)) continue;
          ctx.report(service.key, {
            object: objectRef(service),
            message: `${port.targetWritten ? 'targetPort' : 'port (targetPort unset)'} ${target}: no container of the selected pods declares it${numbers.length > 0 ? ` (they declare ${numbers.join(', ')})` : ''}; traffic arrives only if a process listens there anyway`,
            range,
            severity: 'info',
            related: related(pods),
            fixes: () =>
              numbers.slice(0, 5).flatMap((number): Fix[] => {
                const edit = port.targetWritten
                  ? replaceValueAt(service, [...port.path, 'targetPort'], number)
                  : insertPairAt(service, port.path, 'targetPort', String(number));
                return edit
                  ? [
                      {
                        title: `Target port ${number}`,
                        edits: [edit],
                        safe: false,
                        preferred: numbers.length === 1,
                      },
                    ]
                  : [];
              }),
          });
        }
      }
    }
  },
};

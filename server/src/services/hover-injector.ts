// Hovers on the labels and annotations that ask an admission webhook to inject sidecars.
import { injectionRequests, INJECTORS, metaEntries, type Injector, type InjectorId } from '../model/sidecars';
import type { PodModel } from '../model/types';
import { graceSeconds } from './hover-lifecycle';
import { code, link, nameOf, ROLE_LABEL } from './hover-text';

/** What an injector adds besides ports, from ../shared/specs/sidecars.md. */
const ALSO_RESERVED: Partial<Record<InjectorId, { text: string; mountPath?: string }>> = {
  istio: { text: 'volumes `istio-envoy`, `istio-data`, `istio-podinfo`, `istio-token`, `istiod-ca-cert`' },
  vault: { text: 'a memory volume mounted at `/vault/secrets` in every container', mountPath: '/vault/secrets' },
};

export function injectorFor(key: string): Injector | undefined {
  return Object.values(INJECTORS).find((i) => i.keyPrefixes.some((p) => key.startsWith(p)));
}

/**
 * `onTemplate`: the key sits in the pod's own metadata (a Pod's, or a workload's template). On a
 * workload's own metadata the injectors never see it.
 */
export function injectorHover(pod: PodModel, key: string, injector: Injector, onTemplate: boolean): string {
  const parts = [`**${injector.title}** sidecar injection (${code(key)})`];
  if (!onTemplate) {
    parts.push(
      `**Ignored here:** the injector reads the pod template's metadata (\`spec.template.metadata\`), not the ${pod.kind}'s own.`,
    );
  }
  const request = injectionRequests(pod).find((r) => r.injector.id === injector.id);
  if (request) {
    const ghosts = request.ghosts.map((g) => `${code(g.name)} (${ROLE_LABEL[g.role]})`);
    parts.push(
      `This pod asks for it (${code(`${request.trigger.key}: ${request.trigger.value}`)}). Added at admission, not visible in this file: ${ghosts.join(', ')}.`,
    );
  } else {
    parts.push(
      "This pod's own metadata does not switch it on; a namespace-wide setting still may, which no file shows.",
    );
  }
  const reserved: string[] = [];
  if (injector.reservedPorts.length > 0) reserved.push(`ports ${injector.reservedPorts.join(', ')}`);
  if (injector.reservedUid !== undefined)
    reserved.push(`UID ${injector.reservedUid} (its traffic bypasses the redirect)`);
  const also = ALSO_RESERVED[injector.id];
  if (also) reserved.push(also.text);
  if (reserved.length > 0) parts.push(`Reserves in the pod: ${reserved.join('; ')}.`);

  const clashes: string[] = [];
  for (const c of pod.containers) {
    for (const p of c.ports) {
      if (p.containerPort && injector.reservedPorts.includes(p.containerPort.value)) {
        clashes.push(`${code(nameOf(c))} declares port ${p.containerPort.value}`);
      }
    }
    for (const m of c.mounts) {
      if (also?.mountPath && m.path?.value === also.mountPath)
        clashes.push(`${code(nameOf(c))} mounts ${code(m.path.value)}`);
    }
  }
  if (clashes.length > 0) parts.push(`**Conflict:** ${clashes.join('; ')}.`);
  if (injector.id === 'dapr') parts.push(...daprFacts(pod));
  parts.push(link(`${injector.title} docs`, injector.docs));
  return parts.join('\n\n');
}

/** Dapr's own settings that must agree with the pod (../shared/specs/sidecars.md). */
function daprFacts(pod: PodModel): string[] {
  const annotations = metaEntries(pod.podMetadata, 'annotations');
  const value = (key: string): string | undefined => annotations.find((e) => e.key === key)?.value;
  const out: string[] = [];
  const appPort = value('dapr.io/app-port');
  if (appPort !== undefined) {
    const port = Number(appPort);
    const owners = pod.containers.filter(
      (c) => c.role !== 'init' && c.ports.some((p) => p.containerPort?.value === port),
    );
    out.push(
      owners.length > 0
        ? `${code(`dapr.io/app-port: ${appPort}`)} is the port of ${owners.map((c) => code(nameOf(c))).join(', ')}: daprd calls the app there.`
        : `**${code(`dapr.io/app-port: ${appPort}`)} matches no declared containerPort** of this pod: daprd calls the app on that port.`,
    );
  }
  const shutdown = Number(value('dapr.io/graceful-shutdown-seconds'));
  const grace = graceSeconds(pod).seconds;
  if (Number.isFinite(shutdown) && shutdown > grace) {
    out.push(
      `**Conflict:** \`dapr.io/graceful-shutdown-seconds\` (${shutdown}) exceeds the pod's grace budget of ${grace} s: daprd is killed before it finishes.`,
    );
  }
  return out;
}

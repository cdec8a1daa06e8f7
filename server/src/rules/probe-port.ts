import { containerLabel, runTogether } from '../model/containers';
import { portsKnown } from '../model/ports';
import { probePorts, type ProbePort } from '../model/probes';
import type { ContainerModel, PodModel } from '../model/types';
import type { PodRule, RuleContext } from './types';

function where(ref: ProbePort, container: ContainerModel): string {
  return `${ref.probe} (${ref.handler}) of container ${containerLabel(container)}`;
}

/** Containers other than `container` that run beside it (and so answer on the pod IP while it is probed). */
function neighbours(container: ContainerModel, pod: PodModel): ContainerModel[] {
  return pod.containers.filter((other) => other !== container && runTogether(other, container));
}

function checkName(name: string, ref: ProbePort, container: ContainerModel, pod: PodModel, ctx: RuleContext): void {
  const names = container.ports.flatMap((p) => (p.name ? [p.name.value] : []));
  if (names.includes(name)) return;
  const owner = neighbours(container, pod).find((c) => c.ports.some((p) => p.name?.value === name));
  const hint = /^\d+$/.test(name)
    ? '; a quoted number is a port name, so write the number without quotes'
    : owner
      ? ` (container ${containerLabel(owner)} does, but probe port names resolve in the probed container only)`
      : names.length > 0
        ? ` (it declares ${names.map((n) => `"${n}"`).join(', ')})`
        : '';
  ctx.report({
    message:
      `${where(ref, container)} targets the port named "${name}", which the container does not declare${hint}; ` +
      'the kubelet cannot resolve it, so the probe always fails',
    range: ref.range,
    data: { port: name },
  });
}

function checkNumber(port: number, ref: ProbePort, container: ContainerModel, pod: PodModel, ctx: RuleContext): void {
  // A probe with its own host goes elsewhere; one on a port the container declares is fine.
  if (ref.host !== undefined || container.ports.some((p) => p.containerPort?.value === port)) return;
  for (const other of neighbours(container, pod)) {
    // Probes speak HTTP, TCP or gRPC: only a TCP port can answer them.
    const owner = other.ports.find((p) => p.protocol === 'TCP' && p.containerPort?.value === port);
    if (!owner) continue;
    ctx.report({
      message:
        `${where(ref, container)} targets port ${port}, which only container ${containerLabel(other)} declares; ` +
        'probes go to the pod IP, so this one checks that container, not this one',
      range: ref.range,
      severity: 'warning',
      related: [{ range: owner.containerPort!.range, message: `port ${port} of ${containerLabel(other)}` }],
    });
    return;
  }
}

export const probePort: PodRule = {
  meta: {
    id: 'probe-port',
    description:
      'A probe names a port its container does not declare (error), or targets a port number that only another container of the pod declares (warning).',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      // Ports written through aliases are not in the model: "not declared" cannot be said then.
      if (container.role === 'ephemeral' || !portsKnown(container)) continue;
      for (const ref of probePorts(container)) {
        if (typeof ref.value === 'string') checkName(ref.value, ref, container, pod, ctx);
        else checkNumber(ref.value, ref, container, pod, ctx);
      }
    }
  },
};

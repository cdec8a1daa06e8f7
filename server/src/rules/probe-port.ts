import { replaceScalar } from '../fixes/edits';
import { scalarText } from '../fixes/scalar-text';
import { runTogether } from '../model/containers';
import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import { portNameProblem, portsKnown } from '../model/ports';
import { probePorts, type PortRef } from '../model/probes';
import type { ContainerModel, PodModel, PortModel } from '../model/types';
import type { Fix, PodRule, RuleContext } from '../engine/types';

function where(ref: PortRef, container: ContainerModel): string {
  return `${ref.owner} (${ref.handler}) of container ${containerLabel(container)}`;
}

/** Containers other than `container` that run beside it (and so answer on the pod IP while it is probed). */
function neighbours(container: ContainerModel, pod: PodModel): ContainerModel[] {
  return pod.containers.filter((other) => other !== container && runTogether(other, container));
}

function useFix(ref: PortRef, title: string, newText: string, safe: boolean): Fix[] {
  const edit = replaceScalar(ref.node, newText);
  return edit ? [{ title, edits: [edit], safe, preferred: safe }] : [];
}

/**
 * Points the probe at the container's own port when exactly one port fits. The same name in
 * another case, or the number a quoted number spells, is unambiguous (safe); the container's only
 * TCP port is a likely guess, left for a person to accept.
 */
function ownPortFixes(ref: PortRef, container: ContainerModel): Fix[] {
  if (typeof ref.value === 'string') {
    const wanted = ref.value.toLowerCase();
    const sameName = container.ports.filter((p) => p.name?.value.toLowerCase() === wanted);
    if (sameName.length === 1) {
      const name = sameName[0]!.name!.value;
      return useFix(ref, `Use port "${name}"`, scalarText(ref.node, name), true);
    }
    if (/^\d+$/.test(ref.value) && tcpPorts(container).some((p) => p.containerPort.value === Number(ref.value))) {
      return useFix(ref, `Use port ${Number(ref.value)} (a number, not a name)`, String(Number(ref.value)), true);
    }
  }
  const tcp = tcpPorts(container);
  if (tcp.length !== 1) return [];
  const only = tcp[0]!;
  // A name stays a name when the port has a valid one; a number stays a number.
  const name =
    typeof ref.value === 'string' && only.name && !portNameProblem(only.name.value) ? only.name.value : undefined;
  return name !== undefined
    ? useFix(ref, `Use port "${name}" of container ${containerLabel(container)}`, scalarText(ref.node, name), false)
    : useFix(
        ref,
        `Use port ${only.containerPort.value} of container ${containerLabel(container)}`,
        String(only.containerPort.value),
        false,
      );
}

/** Probes speak HTTP, TCP or gRPC: only a TCP port can answer them. */
function tcpPorts(
  container: ContainerModel,
): (PortModel & { containerPort: NonNullable<PortModel['containerPort']> })[] {
  return container.ports.filter(
    (p): p is PortModel & { containerPort: NonNullable<PortModel['containerPort']> } =>
      p.protocol === 'TCP' && p.containerPort !== undefined,
  );
}

function checkName(name: string, ref: PortRef, container: ContainerModel, pod: PodModel, ctx: RuleContext): void {
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
    fixes: () => ownPortFixes(ref, container),
  });
}

/**
 * Whether `other` starts only after native sidecar `sidecar` has started (its startupProbe passed):
 * the regular containers, and the init containers declared after it.
 */
function startsLater(other: ContainerModel, sidecar: ContainerModel): boolean {
  if (sidecar.role !== 'sidecar') return false;
  return other.role === 'regular' || (other.list === 'initContainers' && other.index > sidecar.index);
}

function checkNumber(port: number, ref: PortRef, container: ContainerModel, pod: PodModel, ctx: RuleContext): void {
  // A probe with its own host goes elsewhere; one on a port the container declares is fine.
  if (ref.host !== undefined || container.ports.some((p) => p.containerPort?.value === port)) return;
  for (const other of neighbours(container, pod)) {
    const owner = tcpPorts(other).find((p) => p.containerPort.value === port);
    if (!owner) continue;
    const hangs = ref.owner === 'startupProbe' && startsLater(other, container);
    ctx.report({
      message:
        `${where(ref, container)} targets port ${port}, which only container ${containerLabel(other)} declares; ` +
        (hangs
          ? `a native sidecar's startupProbe must pass before ${containerLabel(other)} starts, so the pod never leaves Init`
          : 'probes go to the pod IP, so this one checks that container, not this one'),
      range: ref.range,
      severity: hangs ? 'error' : 'warning',
      related: [{ range: owner.containerPort.range, message: `port ${port} of ${containerLabel(other)}` }],
      fixes: () => ownPortFixes(ref, container),
    });
    return;
  }
}

export const probePort: PodRule = {
  meta: {
    id: 'probe-port',
    description:
      'A probe names a port its container does not declare (error), or targets a port number that only another container of the pod declares (warning; an error when the startupProbe of a native sidecar waits for a container that starts after it).',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      // Ports written through aliases are not in the model: "not declared" cannot be said then.
      if (container.role === 'ephemeral' || !portsKnown(container)) continue;
      for (const ref of probePorts(container)) {
        // `port: "$(params.port)"`: which port it is, is known once the placeholder is filled in
        if (hasPlaceholder(ref.value)) continue;
        if (typeof ref.value === 'string') checkName(ref.value, ref, container, pod, ctx);
        else checkNumber(ref.value, ref, container, pod, ctx);
      }
    }
  },
};

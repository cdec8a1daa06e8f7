import { runsToCompletion } from '../model/kinds';
// Hovers about the start and stop order of a pod's containers (../shared/specs/sidecars.md).
import type { PodRoles } from '../model/main-container';
import { injectionRequests } from '../model/sidecars';
import type { ContainerModel, PodModel } from '../model/types';
import { getInteger, getPair } from '../model/yaml-nodes';
import { code, K8S_DOCS, link, nameOf, names, ROLE_LABEL } from './hover-text';

export type LifecycleFocus = 'initContainers' | 'restartPolicy' | 'startupProbe' | 'terminationGracePeriodSeconds';

const DEFAULT_GRACE_SECONDS = 30;

export function lifecycleHover(
  pod: PodModel,
  roles: PodRoles,
  focus: LifecycleFocus,
  container?: ContainerModel,
): string {
  const parts = [lead(pod, focus, container), startOrder(pod), stopOrder(pod)];
  const job = jobNote(pod, roles);
  if (job) parts.push(job);
  parts.push(
    focus === 'startupProbe'
      ? link(
          'Startup probes',
          `${K8S_DOCS}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes`,
        )
      : focus === 'terminationGracePeriodSeconds'
        ? link('Pod termination', `${K8S_DOCS}/concepts/workloads/pods/pod-lifecycle/#pod-termination`)
        : link('Sidecar containers', `${K8S_DOCS}/concepts/workloads/pods/sidecar-containers/`),
  );
  return parts.join('\n\n');
}

function initList(pod: PodModel): ContainerModel[] {
  return pod.containers.filter((c) => c.role === 'init' || c.role === 'sidecar');
}

function regulars(pod: PodModel): ContainerModel[] {
  return pod.containers.filter((c) => c.role === 'regular');
}

function lead(pod: PodModel, focus: LifecycleFocus, container: ContainerModel | undefined): string {
  const who = container ? code(nameOf(container)) : 'this container';
  switch (focus) {
    case 'initContainers':
      return '**initContainers** start one by one, in order, before the app containers. One with `restartPolicy: Always` is a native sidecar (Kubernetes 1.29+): it keeps running beside the app.';
    case 'restartPolicy':
      if (container?.role === 'sidecar') {
        return `**restartPolicy: Always** makes ${who} a native sidecar: it starts in init order, keeps running beside the app containers, is restarted whenever it exits (whatever the pod's restartPolicy), and is stopped after them.`;
      }
      return `Only \`restartPolicy: Always\` makes an init container a native sidecar; ${who} is a plain init container that must finish before the next one starts.`;
    case 'startupProbe': {
      if (container?.role === 'sidecar') {
        const next = initList(pod).find((c) => c.index > container.index);
        const waiting = next ? code(nameOf(next)) : `the app containers (${names(regulars(pod))})`;
        return `**startupProbe** of native sidecar ${who}: ${waiting} start only once it passes; if it never does, the pod stays in Init.`;
      }
      if (container?.role === 'init') {
        return `**startupProbe** is rejected on an init container without \`restartPolicy: Always\`: ${who} runs to completion instead.`;
      }
      return `**startupProbe** of ${who}: its liveness and readiness probes wait until it passes; the other app containers do not wait for it.`;
    }
    case 'terminationGracePeriodSeconds': {
      const grace = graceSeconds(pod);
      return `**${grace.seconds} s** from SIGTERM to SIGKILL for the whole pod${grace.set ? '' : ' (unset: the default)'}: the app containers and then every native sidecar must stop within this one budget.`;
    }
  }
}

/** The pod's termination grace period, and whether the file sets it. */
export function graceSeconds(pod: PodModel): { seconds: number; set: boolean } {
  const set = getInteger(pod.spec, 'terminationGracePeriodSeconds');
  return set ? { seconds: set.value, set: true } : { seconds: DEFAULT_GRACE_SECONDS, set: false };
}

function hasStartupProbe(c: ContainerModel): boolean {
  return getPair(c.node, 'startupProbe') !== undefined;
}

function startOrder(pod: PodModel): string {
  const steps: string[] = [];
  for (const c of initList(pod)) {
    steps.push(
      c.role === 'sidecar'
        ? `${code(nameOf(c))}: native sidecar; the next step waits until it has started${hasStartupProbe(c) ? ' and its startupProbe passed' : ''}, then it keeps running`
        : `${code(nameOf(c))}: init container; runs to completion (a failure restarts it)`,
    );
  }
  const apps = regulars(pod);
  if (apps.length > 0) steps.push(`${names(apps)}: app container${apps.length > 1 ? 's, started together' : ''}`);
  const lines = ['Start order:', ...steps.map((s, i) => `${i + 1}. ${s}`)];
  if (steps.length === 0) lines.push('no containers yet');
  const injected = injectionRequests(pod).flatMap((r) =>
    r.ghosts.map((g) => `${code(g.name)} (${ROLE_LABEL[g.role]}, ${r.injector.title})`),
  );
  if (injected.length > 0) lines.push('', `Injected at admission, not in this file: ${injected.join(', ')}.`);
  return lines.join('\n');
}

function stopOrder(pod: PodModel): string {
  const grace = graceSeconds(pod);
  const sidecars = pod.containers.filter((c) => c.role === 'sidecar').reverse();
  const steps: string[] = [];
  const apps = regulars(pod);
  if (apps.length > 0) steps.push(`${names(apps)} ${apps.length > 1 ? 'get SIGTERM together' : 'gets SIGTERM'}`);
  if (sidecars.length > 0) steps.push(`then the native sidecars, one by one in reverse order: ${names(sidecars)}`);
  const lines = ['Stop order (pod deletion or Job completion):', ...steps.map((s, i) => `${i + 1}. ${s}`)];
  lines.push(
    '',
    `Grace budget: ${grace.seconds} s${grace.set ? '' : ' (`terminationGracePeriodSeconds` unset)'} for all of it, then SIGKILL.${sidecars.length > 0 ? ' Exit codes 137/143 of sidecars at that point are normal.' : ''}`,
  );
  return lines.join('\n');
}

/** Jobs complete when their regular containers exit: a helper among them keeps the Job running. */
function jobNote(pod: PodModel, roles: PodRoles): string | undefined {
  if (!runsToCompletion(pod)) return undefined;
  const classic = roles.helpers.map((h) => h.container);
  if (classic.length > 0) {
    return `In a Job, ${names(classic)} in \`containers\` keeps the Job from completing; as a native sidecar it would be stopped when the work is done.`;
  }
  return 'In a Job, native sidecars do not keep it from completing: they are stopped once the app containers exit.';
}

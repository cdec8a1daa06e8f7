import type { YAMLMap } from 'yaml';
import { containerLabel } from '../model/describe';
import { injectionRequests, type InjectionRequest } from '../model/sidecars';
import { getInteger, getMap } from '../model/yaml-nodes';
import type { ContainerModel, Located, PodModel } from '../model/types';
import type { PodRule, RuleContext } from '../engine/types';

function triggerText(request: InjectionRequest): string {
  const singular = request.triggerField === 'labels' ? 'label' : 'annotation';
  return `the ${singular} ${request.trigger.key}: "${request.trigger.value}"`;
}

/** Containers the user declares in place of the injected ones (Istio merges a declared `istio-proxy`). */
function isGhostOverride(container: ContainerModel, request: InjectionRequest): boolean {
  return request.ghosts.some((g) => g.name === container.name?.value);
}

/**
 * Whether an injected container with these ports runs beside `container`: injected proxies start
 * with the regular containers, or first of all as native sidecars, so a regular init container
 * meets them only in native mode.
 */
function meetsGhost(container: ContainerModel, role: 'init' | 'sidecar' | 'regular'): boolean {
  if (container.role === 'ephemeral' || role === 'init') return false;
  return container.role !== 'init' || role === 'sidecar';
}

function runAsUser(node: YAMLMap | undefined): Located<number> | undefined {
  return getInteger(getMap(node, 'securityContext'), 'runAsUser');
}

function checkPorts(request: InjectionRequest, containers: ContainerModel[], ctx: RuleContext): void {
  const { injector } = request;
  for (const ghost of request.ghosts) {
    if (ghost.ports.length === 0) continue;
    for (const container of containers) {
      if (isGhostOverride(container, request) || !meetsGhost(container, ghost.role)) continue;
      for (const port of container.ports) {
        const number = port.containerPort;
        if (!number || port.protocol !== 'TCP' || !ghost.ports.includes(number.value)) continue;
        ctx.report({
          message:
            `port ${number.value} of container ${containerLabel(container)} is taken by ${injector.title}'s injected ` +
            `${ghost.name}, which ${triggerText(request)} asks for; containers of a pod share one network namespace, ` +
            'so one of them fails to bind it',
          range: number.range,
          related: [{ range: request.trigger.keyRange, message: `asks ${injector.title} to inject ${ghost.name}` }],
        });
      }
    }
  }
}

function checkUid(request: InjectionRequest, pod: PodModel, ctx: RuleContext): void {
  const uid = request.injector.reservedUid;
  if (uid === undefined) return;
  const report = (where: string, value: Located<number>): void =>
    ctx.report({
      message:
        `${where} runs as UID ${uid}, the UID of ${request.injector.title}'s proxy, which ${triggerText(request)} ` +
        'injects: traffic of that UID bypasses the proxy (no mTLS, no policy, no telemetry)',
      range: value.range,
      related: [{ range: request.trigger.keyRange, message: `asks ${request.injector.title} to inject its proxy` }],
    });
  // Regular init containers run before the proxy starts; running them as the proxy's UID is the
  // documented way to give them network access, so only long-running containers count.
  const affected = pod.containers.filter(
    (c) => (c.role === 'regular' || c.role === 'sidecar') && !isGhostOverride(c, request),
  );
  let inheritsPodUid = false;
  for (const container of affected) {
    const own = runAsUser(container.node);
    if (own?.value === uid) report(`container ${containerLabel(container)}`, own);
    if (!own) inheritsPodUid = true;
  }
  const podUid = runAsUser(pod.spec);
  if (podUid?.value === uid && inheritsPodUid) report('the pod securityContext', podUid);
}

export const injectedPortConflict: PodRule = {
  meta: {
    id: 'injected-port-conflict',
    description:
      'A container port or runAsUser that collides with what an injected sidecar (Istio, Linkerd, Dapr, OpenTelemetry) reserves.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://istio.io/latest/docs/ops/deployment/application-requirements/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const request of injectionRequests(pod)) {
      checkPorts(request, pod.containers, ctx);
      checkUid(request, pod, ctx);
    }
  },
};

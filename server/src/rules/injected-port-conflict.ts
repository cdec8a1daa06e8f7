import type { YAMLMap } from 'yaml';
import { containerLabel } from '../model/describe';
import { injectionRequests, type InjectionRequest } from '../model/sidecars';
import { getInteger, getMap } from '../model/yaml-nodes';
import type { ContainerModel, Located, PodModel, Range } from '../model/types';
import type { PodRule, RelatedLocation, Report, RuleContext } from '../engine/types';

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
        const clash = `port ${number.value} of container ${containerLabel(container)} is taken by`;
        const shared = 'containers of a pod share one network namespace, so one of them fails to bind it';
        if (request.origin) {
          ctx.report({
            ...writtenInjector(request, request.origin, ghost, number.value, clash, shared),
            range: number.range,
          });
          continue;
        }
        ctx.report({
          message: `${clash} ${injector.title}'s injected ${ghost.name}, which ${triggerText(request)} asks for; ${shared}`,
          range: number.range,
          related: [{ range: request.trigger.keyRange, message: `asks ${injector.title} to inject ${ghost.name}` }],
        });
      }
    }
  }
}

/**
 * The finding on a port that a container of an injector written in the manifests (a SidecarSet)
 * also listens on: it names the injector, and points at the pod's label that its selector matches
 * and at the port where the injector declares it (in its own file, maybe another one).
 */
function writtenInjector(
  request: InjectionRequest,
  origin: NonNullable<InjectionRequest['origin']>,
  ghost: InjectionRequest['ghosts'][number],
  port: number,
  clash: string,
  shared: string,
): Pick<Report, 'message' | 'related'> {
  const selected =
    request.triggerField === 'labels'
      ? `its selector matches the label ${request.trigger.key}: "${request.trigger.value}"`
      : 'its selector matches this pod';
  const declared = ghost.written?.ports[ghost.ports.indexOf(port)] ?? ghost.written?.range ?? origin.range;
  const where = (range: Range): Omit<RelatedLocation, 'message'> =>
    origin.key !== undefined ? { key: origin.key, range } : { range };
  return {
    message: `${clash} ${ghost.name}, which ${origin.label} injects into this pod (${selected}); ${shared}`,
    related: [
      { range: request.trigger.keyRange, message: `selected by ${origin.label}` },
      { ...where(declared), message: `${origin.label} injects ${ghost.name}, which listens on ${port}` },
    ],
  };
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
      'A container port or runAsUser that collides with what an injected sidecar (Istio, Linkerd, Dapr, OpenTelemetry, an OpenKruise SidecarSet) reserves.',
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

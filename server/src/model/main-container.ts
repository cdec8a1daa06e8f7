// Which containers are the pod's main service, one notion for every rule, hover and the diagram. A
// known sidecar image is usually a helper beside an app, but not always: Fluent Bit is the main
// service of a log collector, an OpenTelemetry Collector of its gateway. Advice meant for a helper
// (make it a native sidecar, mount the app's data read-only) breaks such a pod.
import { getString } from './yaml-nodes';
import { knownSidecar, metaEntries, runsOnce, type KnownSidecar, type SidecarKind } from './sidecars';
import { servicesOf, type ServiceSummary } from './services';
import type { ContainerModel, PodModel } from './types';

/**
 * Kinds of helper that also serve as a pod's main service by receiving traffic: collectors of logs
 * and telemetry. A Service that sends traffic to a proxy, a mesh proxy or a metrics exporter is how
 * those helpers are used beside an app (the proxy in front of it, the exporter scraped), so it
 * says nothing of which container is the main one.
 */
const RECEIVERS: ReadonlySet<SidecarKind> = new Set(['log', 'telemetry']);

/** The names a workload goes by: its own name and its pod's app labels. */
function workloadNames(pod: PodModel): string[] {
  const names = [pod.name?.value];
  for (const e of metaEntries(pod.podMetadata, 'labels')) {
    if (e.key === 'app' || e.key === 'app.kubernetes.io/name' || e.key === 'k8s-app') names.push(e.value);
  }
  if (pod.kind === 'Pod') names.push(getString(pod.podMetadata, 'name')?.value);
  return names.filter((n): n is string => typeof n === 'string' && n !== '').map((n) => n.toLowerCase());
}

/** `fluent-bit` names the workload `fluent-bit`, `fluent-bit-aggregator`, `logs-fluent-bit`. */
function namedAfter(names: readonly string[], container: ContainerModel, sidecar: KnownSidecar): boolean {
  const own = container.name?.value.toLowerCase();
  return names.some(
    (n) => n === own || n.includes(sidecar.id) || (own !== undefined && own.length > 3 && n.startsWith(`${own}-`)),
  );
}

/** A Service sends traffic to one of the container's ports, by number or by name. */
function receivesServiceTraffic(container: ContainerModel, services: readonly ServiceSummary[]): boolean {
  return services.some((s) =>
    s.ports.some(({ targetPort: t }) =>
      container.ports.some((p) => (typeof t === 'number' ? p.containerPort?.value === t : p.name?.value === t)),
    ),
  );
}

export interface PodRoles {
  /** Regular containers that are the pod's main service. */
  main: ReadonlySet<ContainerModel>;
  /** Regular containers running a known sidecar image as a helper beside the main service. */
  helpers: readonly { container: ContainerModel; sidecar: KnownSidecar }[];
}

const EMPTY: readonly ServiceSummary[] = [];

/**
 * The pod's main containers and its helpers in `containers`. Every regular container that is not
 * a known sidecar image is main. A known sidecar image is main too when it is the only kind of
 * container the pod runs (an Envoy front proxy, a git-sync Job), when the workload is named after
 * it, or when it is a collector that the pod's Services send traffic to (`services`: those written
 * beside the pod; a Service kept elsewhere cannot be seen and is not assumed).
 */
export function podRoles(pod: PodModel, services: readonly ServiceSummary[] = EMPTY): PodRoles {
  const main = new Set<ContainerModel>();
  const known: { container: ContainerModel; sidecar: KnownSidecar }[] = [];
  for (const container of pod.containers) {
    if (container.role !== 'regular') continue;
    const sidecar = knownSidecar(container);
    // a helper set to run once (git-sync --one-time) is a step of the work: neither helper nor app
    if (sidecar && runsOnce(container, sidecar)) continue;
    if (sidecar) known.push({ container, sidecar });
    else main.add(container);
  }
  if (main.size === 0) {
    for (const k of known) main.add(k.container);
    return { main, helpers: [] };
  }
  const names = workloadNames(pod);
  const selecting = services.length > 0 ? servicesOf(pod, services) : EMPTY;
  const helpers = known.filter(({ container, sidecar }) => {
    const isMain =
      namedAfter(names, container, sidecar) ||
      (RECEIVERS.has(sidecar.kind) && receivesServiceTraffic(container, selecting));
    if (isMain) main.add(container);
    return !isMain;
  });
  return { main, helpers };
}

// Where a Service's ports land in a pod it selects: the one notion of "this port reaches a
// container" for the diagram's arrows and the service-target-port rule, so the picture and the
// Problems panel agree on which port reaches nothing.
//
// As the endpoints controller resolves a targetPort (kubernetes pkg/api/v1/pod FindPort, and its
// copy in the EndpointSlice utilities that also looks in sidecar containers): a name is looked up
// among the named ports of the app containers and of the native sidecars (init containers with
// restartPolicy: Always), with the Service port's protocol; a number is used as it is. Kubernetes
// sends traffic to a number whether or not a container declares it; a number that no container
// declares (nor an injected proxy binds) is taken here as reaching nothing, which is almost always
// a typo or a port renumbered on one side only.
import { injectionRequests, metaEntries } from './sidecars';
import type { ServicePortSummary, ServiceSummary } from './services';
import type { ContainerModel, PodModel, PortModel } from './types';

/** A container port a Service port's traffic lands on. */
export interface PortLanding {
  /** The container as written; undefined for a container an admission webhook injects. */
  container?: ContainerModel;
  /** The declared port; undefined for an injected container's port. */
  port?: PortModel;
  /** For an injected container: its name (`istio-proxy`, `daprd`...). */
  injected?: string;
  number: number;
}

/** One Service port and where it goes in one pod. */
export interface PortTarget {
  servicePort: ServicePortSummary;
  /** Where the traffic lands; empty when it reaches nothing. */
  landings: PortLanding[];
  /** Why it reaches nothing, as a sentence; undefined when it lands somewhere or its target is not known. */
  problem?: string;
}

/** Containers that can receive a Service's traffic: the app containers and the native sidecars. */
function receivers(pod: PodModel): ContainerModel[] {
  return pod.containers.filter((c) => c.role === 'regular' || c.role === 'sidecar');
}

/**
 * Where each port of `service` lands in `pod` (whether the Service selects the pod is the
 * caller's question: servicesOf). Pure and cheap: reads only the pod model.
 */
export function portTargets(service: ServiceSummary, pod: PodModel): PortTarget[] {
  const containers = receivers(pod);
  const ghosts = injectionRequests(pod).flatMap((r) => r.ghosts.filter((g) => g.role !== 'init'));
  return service.ports.map((servicePort) => {
    const { targetPort, protocol } = servicePort;
    const landings: PortLanding[] = [];
    if (targetPort === undefined) {
      // written but not readable (a placeholder, a collection): where it lands is not known
      if (servicePort.targetUnknown) return { servicePort, landings };
      return { servicePort, landings, problem: 'the port sets neither targetPort nor port' };
    }
    for (const container of containers) {
      for (const port of container.ports) {
        if (port.protocol !== protocol || !port.containerPort) continue;
        const hit =
          typeof targetPort === 'number' ? port.containerPort.value === targetPort : port.name?.value === targetPort;
        if (hit) landings.push({ container, port, number: port.containerPort.value });
      }
    }
    // an injected container's ports are TCP; only a SidecarSet's have names
    if (protocol === 'TCP') {
      for (const ghost of ghosts) {
        const i =
          typeof targetPort === 'number'
            ? ghost.ports.indexOf(targetPort)
            : (ghost.portNames ?? []).indexOf(targetPort);
        if (i >= 0) landings.push({ injected: ghost.name, number: ghost.ports[i]! });
      }
    }
    if (landings.length > 0) return { servicePort, landings };
    const problem =
      typeof targetPort === 'number'
        ? `targetPort ${targetPort}: no container of the pod declares ${targetPort}/${protocol}`
        : `targetPort "${targetPort}": no container of the pod has a ${protocol} port named "${targetPort}"`;
    return { servicePort, landings, problem };
  });
}

/** A mesh proxy that takes the pod's inbound traffic before the app sees it. */
export interface InboundProxy {
  /** The injected container's name, as the diagram's ghost has it. */
  container: string;
  injector: string;
  /** The port its redirect sends inbound traffic to. */
  port: number;
}

/**
 * Istio's and Linkerd's init containers redirect every inbound TCP port to the proxy (Istio's
 * Envoy inbound listener 15006, istio.io/latest/docs/ops/deployment/application-requirements/;
 * Linkerd's inbound proxy 4143, linkerd.io/2/reference/proxy-configuration/), except the ports the
 * pod's annotations exclude.
 */
const MESHES: readonly { injector: 'istio' | 'linkerd'; container: string; port: number; skip: string }[] = [
  { injector: 'istio', container: 'istio-proxy', port: 15006, skip: 'traffic.sidecar.istio.io/excludeInboundPorts' },
  { injector: 'linkerd', container: 'linkerd-proxy', port: 4143, skip: 'config.linkerd.io/skip-inbound-ports' },
];

/** Comma-separated ports and `low-high` ranges, as both meshes write them. */
function inPortList(list: string, port: number): boolean {
  return list.split(',').some((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return false;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    return port >= low && port <= high;
  });
}

/** The mesh proxy that traffic to `port` of the pod passes first, if a mesh is asked for and captures it. */
export function inboundProxy(pod: PodModel, port: number, protocol = 'TCP'): InboundProxy | undefined {
  if (protocol !== 'TCP') return undefined; // both meshes redirect TCP only
  const requests = injectionRequests(pod);
  const annotations = metaEntries(pod.podMetadata, 'annotations');
  for (const mesh of MESHES) {
    const request = requests.find((r) => r.injector.id === mesh.injector);
    if (!request) continue;
    const skip = annotations.find((a) => a.key === mesh.skip)?.value;
    if (skip !== undefined && inPortList(skip, port)) continue;
    return { container: mesh.container, injector: request.injector.title, port: mesh.port };
  }
  return undefined;
}

import { runTogether } from '../model/containers';
import { containerLabel } from '../model/describe';
import { portNode } from '../model/ports';
import { getString } from '../model/yaml-nodes';
import type { ContainerModel, Located, PortModel } from '../model/types';
import type { PodRule } from '../engine/types';

interface HostPort {
  container: ContainerModel;
  hostPort: Located<number>;
  protocol: string;
  /** `hostIP` as written; '' binds every address of the node. */
  hostIP: string;
}

function hostPorts(container: ContainerModel): HostPort[] {
  return container.ports.flatMap((port: PortModel) => {
    if (!port.hostPort || port.hostPort.value === 0) return [];
    const hostIP = getString(portNode(container, port), 'hostIP')?.value ?? '';
    return [{ container, hostPort: port.hostPort, protocol: port.protocol, hostIP }];
  });
}

function describe(p: HostPort): string {
  return `${p.hostPort.value}/${p.protocol}${p.hostIP ? ` on ${p.hostIP}` : ''}`;
}

export const hostPortConflict: PodRule = {
  meta: {
    id: 'host-port-conflict',
    description:
      'The same hostPort, protocol and hostIP declared twice in a pod by containers that run at the same time.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/configuration/overview/#services',
  },
  scope: 'pod',
  check(pod, ctx) {
    // The API server keys host ports on protocol, hostIP and port; it compares all regular containers
    // with each other and each init container with itself. Native sidecars also hold their ports
    // while the regular containers (and later init containers) run, so they are compared by timing.
    const seen: HostPort[] = [];
    for (const container of pod.containers) {
      for (const mine of hostPorts(container)) {
        const clash = seen.find(
          (other) =>
            other.hostPort.value === mine.hostPort.value &&
            other.protocol === mine.protocol &&
            other.hostIP === mine.hostIP &&
            runTogether(other.container, container),
        );
        if (clash) {
          const whose =
            clash.container === container ? 'this container' : `container ${containerLabel(clash.container)}`;
          ctx.report({
            message:
              `hostPort ${describe(mine)} is already declared by ${whose}; ` +
              'a node port can be bound once, so the pod cannot start as written',
            range: mine.hostPort.range,
            related: [
              {
                range: clash.hostPort.range,
                message: `hostPort ${describe(clash)} of ${containerLabel(clash.container)}`,
              },
            ],
          });
        }
        seen.push(mine);
      }
    }
  },
};

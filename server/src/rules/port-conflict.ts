import { containerLabel } from '../model/describe';
import type { ContainerModel, PortModel } from '../model/types';
import type { PodRule } from '../engine/types';

interface Bound {
  container: ContainerModel;
  port: PortModel & { containerPort: NonNullable<PortModel['containerPort']> };
}

function bound(container: ContainerModel): Bound[] {
  return container.ports.flatMap((port) => (port.containerPort ? [{ container, port: port as Bound['port'] }] : []));
}

function describe(container: ContainerModel): string {
  return containerLabel(container);
}

export const portConflict: PodRule = {
  meta: {
    id: 'port-conflict',
    description:
      'Two containers that run at the same time declare the same containerPort and protocol (one network namespace per pod).',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking',
  },
  scope: 'pod',
  check(pod, ctx) {
    const conflict = (later: Bound, earlier: Bound, when: string): void => {
      const p = later.port;
      ctx.report({
        message:
          `port ${p.containerPort.value}/${p.protocol} is also declared by container ${describe(earlier.container)}${when}; ` +
          'containers of a pod share one network namespace, so only one of them can bind it',
        range: p.containerPort.range,
        related: [
          {
            range: earlier.port.containerPort.range,
            message: `${earlier.port.containerPort.value}/${earlier.port.protocol} of ${describe(earlier.container)}`,
          },
        ],
      });
    };
    // Native sidecars run from their start until the pod ends; regular containers run beside them.
    const longRunning: Bound[] = [];
    for (const container of pod.containers) {
      if (container.role === 'ephemeral') continue;
      if (container.role === 'init') {
        // A regular init container runs alone with the native sidecars declared before it.
        for (const b of bound(container)) {
          const clash = longRunning.find(
            (s) => s.port.containerPort.value === b.port.containerPort.value && s.port.protocol === b.port.protocol,
          );
          if (clash)
            conflict(
              b,
              clash,
              `, a ${clash.container.roleLabel ?? 'native sidecar'} that is already running when this ${container.roleLabel ?? 'init container'} starts`,
            );
        }
        continue;
      }
      // Within one container the API server already rejects duplicates; only compare across containers.
      const mine = bound(container);
      for (const b of mine) {
        const clash = longRunning.find(
          (s) =>
            s.container !== container &&
            s.port.containerPort.value === b.port.containerPort.value &&
            s.port.protocol === b.port.protocol,
        );
        if (clash) conflict(b, clash, '');
      }
      longRunning.push(...mine);
    }
  },
};

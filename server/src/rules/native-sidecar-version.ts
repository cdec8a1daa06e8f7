import { containerLabel } from '../model/describe';
import type { PodRule } from '../engine/types';

/** KEP-753: alpha in 1.28 (feature gate SidecarContainers, off by default), beta and on by default in 1.29. */
const ALPHA_MINOR = 28;
const ON_BY_DEFAULT_MINOR = 29;

export const nativeSidecarVersion: PodRule = {
  meta: {
    id: 'native-sidecar-version',
    description:
      'A native sidecar (init container with restartPolicy: Always) while the target Kubernetes version is below 1.29.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  },
  scope: 'pod',
  check(pod, ctx) {
    if (ctx.minor >= ON_BY_DEFAULT_MINOR) return;
    for (const container of pod.containers) {
      if (container.role !== 'sidecar' || !container.restartPolicy) continue;
      const who = `init container ${containerLabel(container)}`;
      if (ctx.minor === ALPHA_MINOR) {
        ctx.report({
          message:
            `${who} is a native sidecar, which Kubernetes 1.28 supports only with the alpha feature gate ` +
            'SidecarContainers switched on (API server and kubelet); native sidecars are on by default from 1.29',
          range: container.restartPolicy.range,
          severity: 'warning',
        });
      } else {
        ctx.report({
          message:
            `${who} is a native sidecar, which needs Kubernetes 1.29 (the target is 1.${ctx.minor}): older API servers ` +
            'drop restartPolicy, so it runs as an ordinary init container and a sidecar that never exits keeps the pod in Init',
          range: container.restartPolicy.range,
        });
      }
    }
  },
};

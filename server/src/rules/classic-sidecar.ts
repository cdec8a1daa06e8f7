import { runsToCompletion } from '../model/kinds';
import { convertToNativeSidecarFix } from '../fixes/native-sidecar';
import { podRoles } from '../model/main-container';
import { containerLabel } from '../model/describe';
import type { PodRule } from '../engine/types';

export const classicSidecar: PodRule = {
  meta: {
    id: 'classic-sidecar',
    description:
      'A known sidecar image in containers while the target is 1.29+: as a native sidecar it starts before the app and stops after it.',
    defaultSeverity: 'info',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  },
  scope: 'pod',
  check(pod, ctx) {
    // Jobs have their own, stronger finding (job-sidecar); native sidecars need 1.29.
    if (runsToCompletion(pod) || ctx.minor < 29) return;
    for (const { container, sidecar } of podRoles(pod, ctx.services).helpers) {
      // Mesh proxies and the Dapr runtime in a manifest are an injector's output written down; the
      // injector decides their form (Istio's sidecar.istio.io/nativeSidecar, Linkerd's
      // proxy-enable-native-sidecar), and a hand edit would be undone at the next injection.
      if (sidecar.kind === 'mesh' || sidecar.kind === 'runtime') continue;
      const doc = ctx.document;
      const minor = ctx.minor;
      ctx.report({
        message: `${sidecar.title} (${containerLabel(container)}) runs as a classic sidecar; as a native sidecar (an init container with restartPolicy: Always) it would start before the app and stop after it`,
        range: container.image?.range ?? container.range,
        fixes: () => convertToNativeSidecarFix(doc, pod, container, minor),
      });
    }
  },
};

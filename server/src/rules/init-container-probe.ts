import { isScalar } from 'yaml';
import { makeNativeSidecar, removeContainerField } from '../fixes/native-sidecar';
import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import { knownSidecar, runsOnce } from '../model/sidecars';
import { getPair, keyRange } from '../model/yaml-nodes';
import type { Fix, PodRule } from '../engine/types';

const FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const;

export const initContainerProbe: PodRule = {
  meta: {
    id: 'init-container-probe',
    description:
      'A probe or lifecycle hook on an init container that is not a native sidecar (restartPolicy: Always): the API server forbids it.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#differences-from-regular-containers',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      // a placeholder restartPolicy may be Always, which makes the container a native sidecar
      if (container.role !== 'init' || hasPlaceholder(container.restartPolicy?.value)) continue;
      for (const field of FIELDS) {
        const pair = getPair(container.node, field);
        // `livenessProbe:` with nothing after it is null, which the API server takes as unset.
        const range =
          pair && pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)
            ? keyRange(pair)
            : undefined;
        if (!range) continue;
        const doc = ctx.document;
        const minor = ctx.minor;
        ctx.report({
          message: `${field} is not allowed on init container ${containerLabel(container)}: it runs to completion before the app starts, so the API server rejects the pod. Only a native sidecar (restartPolicy: Always) may have it`,
          range,
          fixes: () => {
            // Which one was meant is a judgement: a known sidecar image suggests a sidecar, anything
            // else a setup step that got a probe by copy and paste. Neither is applied unattended.
            // A known helper set to run once (k8s-sidecar METHOD=LIST) is such a setup step.
            const known = knownSidecar(container);
            const sidecarLike = known !== undefined && !runsOnce(container, known);
            const fixes: Fix[] = [];
            const native = minor >= 29 ? makeNativeSidecar(doc, pod, container) : undefined;
            if (native)
              fixes.push({
                title: `Make ${containerLabel(container)} a native sidecar (restartPolicy: Always)`,
                edits: native,
                safe: false,
                preferred: sidecarLike,
              });
            const remove = removeContainerField(doc, container, field);
            if (remove) fixes.push({ title: `Remove ${field}`, edits: remove, safe: false, preferred: !sidecarLike });
            return fixes;
          },
        });
      }
    }
  },
};

import { containerAnchor, containerLabel } from '../model/describe';
import { mayHide } from '../model/aliases';
import { getPair } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

export const readinessProbe: PodRule = {
  meta: {
    id: 'readiness-probe',
    description: 'A regular container that declares ports but has no readinessProbe.',
    defaultSeverity: 'off',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
    wholePod: true,
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      if (container.role !== 'regular' || !container.ports.some((p) => p.containerPort)) continue;
      if (getPair(container.node, 'readinessProbe') || mayHide(container.node, 'readinessProbe')) continue;
      ctx.report({
        message: `${containerLabel(container)} declares ports but no readinessProbe: a Service sends it traffic as soon as it starts, before it can serve`,
        range: containerAnchor(container),
      });
    }
  },
};

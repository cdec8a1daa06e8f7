import { containerLabel } from '../model/describe';
import { getMap, getPair, keyRange } from '../model/yaml-nodes';
import { isScalar } from 'yaml';
import type { PodRule } from '../engine/types';

const WHY: Record<string, string> = {
  privileged: 'the container gets every device and capability of the node',
  allowPrivilegeEscalation: 'its processes may gain more privileges than they started with (setuid binaries)',
};

export const privileged: PodRule = {
  meta: {
    id: 'privileged',
    description: 'A container with securityContext privileged: true or allowPrivilegeEscalation: true.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const securityContext = getMap(container.node, 'securityContext');
      for (const field of Object.keys(WHY)) {
        const pair = getPair(securityContext, field);
        if (!pair || !isScalar(pair.value) || pair.value.value !== true) continue;
        ctx.report({
          message: `${containerLabel(container)} sets ${field}: true: ${WHY[field]}`,
          range: keyRange(pair) ?? container.range,
        });
      }
    }
  },
};

import { trueFlagRange } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

export const hostNetwork: PodRule = {
  meta: {
    id: 'host-network',
    description:
      "hostNetwork: true, so every container of the pod binds its ports on the node itself and sees the node's network.",
    defaultSeverity: 'warning',
    posture: true,
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  },
  scope: 'pod',
  check(pod, ctx) {
    const range = trueFlagRange(pod.spec, 'hostNetwork');
    if (!range) return;
    ctx.report({
      message:
        "hostNetwork: true puts every container of this pod in the node's network namespace: their ports are bound on " +
        'the node (colliding with other pods and node services there) and they can reach whatever listens on the ' +
        "node's localhost. Deliberate for node agents; silence the rule there",
      range,
    });
  },
};

import { podSwitchRule } from '../engine/pod-switch-rule';

export const hostNetwork = podSwitchRule({
  id: 'host-network',
  field: 'hostNetwork',
  description:
    "hostNetwork: true, so every container of the pod binds its ports on the node itself and sees the node's network.",
  message:
    "hostNetwork: true puts every container of this pod in the node's network namespace: their ports are bound on " +
    'the node (colliding with other pods and node services there) and they can reach whatever listens on the ' +
    "node's localhost. Deliberate for node agents; silence the rule there",
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
});

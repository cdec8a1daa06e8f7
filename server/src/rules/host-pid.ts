import { podSwitchRule } from '../engine/pod-switch-rule';

export const hostPid = podSwitchRule({
  id: 'host-pid',
  field: 'hostPID',
  description: 'hostPID: true, so every container of the pod sees every process of the node and can signal it.',
  message:
    "hostPID: true puts every container of this pod in the node's PID namespace: they see every process of the " +
    'node, command lines included, and can signal them as far as their user, capabilities and security profile ' +
    'allow; a privileged one can enter them (nsenter -t 1 is a root shell on the node). Deliberate for node ' +
    'agents; silence the rule there',
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
});

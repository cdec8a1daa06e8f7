import { podSwitchRule } from '../engine/pod-switch-rule';

export const hostIpc = podSwitchRule({
  id: 'host-ipc',
  field: 'hostIPC',
  description: "hostIPC: true, so every container of the pod shares the node's System V IPC and POSIX shared memory.",
  message:
    "hostIPC: true puts every container of this pod in the node's IPC namespace: they share the node's System V " +
    'IPC (shared memory segments, semaphores, message queues) and its POSIX shared memory (/dev/shm) with every ' +
    'process of the node, so they can read or change what those keep there, as far as permissions allow. ' +
    'Deliberate for node agents; silence the rule there',
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
});

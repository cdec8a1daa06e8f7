import { getMap, getString } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/** Node paths that give a container the node itself: its config, kernel interfaces, kubelet state. */
const EXACT = new Set(['/', '/etc', '/root', '/boot']);
/** Trees that are sensitive all the way down (a process's /proc entry, the kubelet's pod volumes). */
const TREES = ['/proc', '/sys', '/var/lib/kubelet', '/boot', '/root'];
/** A container runtime socket: whoever holds it can start privileged containers on the node. */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd)\.sock$/;

/** Why a node path is sensitive, or undefined when it is not. */
function sensitivity(path: string): string | undefined {
  const p = path.trim().replace(/\/+$/, '') || '/';
  if (RUNTIME_SOCKET.test(p)) return 'a container runtime socket gives control over every container on the node';
  if (EXACT.has(p) || TREES.some((t) => p === t || p.startsWith(t + '/'))) {
    return 'it exposes the node itself (its configuration, kernel interfaces or the kubelet data)';
  }
  return undefined;
}

export const sensitiveHostPath: PodRule = {
  meta: {
    id: 'sensitive-host-path',
    description:
      'A hostPath volume of /, /etc, /proc, /sys, /boot, /root, /var/lib/kubelet or a container runtime socket.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const volume of pod.volumes) {
      if (volume.source !== 'hostPath') continue;
      const path = getString(getMap(volume.node, 'hostPath'), 'path');
      if (!path) continue;
      const why = sensitivity(path.value);
      if (!why) continue;
      const name = volume.name ? ` "${volume.name.value}"` : '';
      ctx.report({ message: `hostPath volume${name} mounts ${path.value} of the node: ${why}`, range: path.range });
    }
  },
};

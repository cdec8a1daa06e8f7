import { containerLabel } from '../model/describe';
import { readOnlyFixes } from '../fixes/mounts';
import { getMap, getString } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/** Sockets by their well-known paths, written without `type: Socket`: syslog's (syslog(3), _PATH_LOG). */
const SOCKET_PATHS = new Set(['/dev/log']);

export const writableHostPath: PodRule = {
  meta: {
    id: 'writable-host-path',
    description: 'A hostPath volume mounted without readOnly: true: the container can change files on the node.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const volume of pod.volumes) {
      const name = volume.name;
      if (!name || volume.source !== 'hostPath') continue;
      const hostPath = getMap(volume.node, 'hostPath');
      const path = getString(hostPath, 'path')?.value;
      // A socket is used, not written: readOnly does not stop connect(2) (Linux refuses writes on
      // read-only mounts to files, directories and links only); sensitive-host-path covers sockets.
      const socket = path !== undefined && (path.endsWith('.sock') || SOCKET_PATHS.has(path.replace(/\/+$/, '')));
      if (getString(hostPath, 'type')?.value === 'Socket' || socket) continue;
      const where = path ? ` (${path} on the node)` : '';
      for (const container of pod.containers) {
        for (const mount of container.mounts) {
          if (
            mount.list !== 'volumeMounts' ||
            mount.readOnly ||
            mount.readOnlyPlaceholder ||
            mount.name?.value !== name.value
          )
            continue;
          ctx.report({
            message: `container ${containerLabel(container)} mounts hostPath volume "${name.value}"${where} read-write; add readOnly: true unless it must write to the node`,
            range: mount.name.range,
            related: [{ range: name.range, message: `hostPath volume "${name.value}"` }],
            data: { volume: name.value },
            fixes: () => readOnlyFixes(ctx.document.text, container, mount),
          });
        }
      }
    }
  },
};

import type { PodRule } from './types';

export const missingVolume: PodRule = {
  meta: {
    id: 'missing-volume',
    description: 'A volumeMounts[].name or volumeDevices[].name with no volume of that name.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/',
  },
  scope: 'pod',
  check(pod, ctx) {
    const volumes = new Set(pod.volumes.flatMap((v) => (v.name ? [v.name.value] : [])));
    for (const container of pod.containers) {
      for (const mount of container.mounts) {
        if (!mount.name || volumes.has(mount.name.value)) continue;
        const who = container.name ? `container "${container.name.value}"` : 'this container';
        ctx.report({
          message: `${who} mounts volume "${mount.name.value}", but the pod declares no volume of that name`,
          range: mount.name.range,
          data: { volume: mount.name.value },
        });
      }
    }
  },
};

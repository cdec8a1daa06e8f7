import type { MountModel } from '../model/types';
import { containerLabel } from '../model/describe';
import type { PodRule } from '../engine/types';

/** `/data/` and `/data` are one mount point for the container runtime. */
function normalize(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export const duplicateMountPath: PodRule = {
  meta: {
    id: 'duplicate-mount-path',
    description: 'One container mounts two volumes (or a volume and a device) at the same path.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const first = new Map<string, MountModel & { path: NonNullable<MountModel['path']> }>();
      for (const mount of container.mounts) {
        const path = mount.path;
        if (!path || path.value.trim() === '') continue;
        const key = normalize(path.value);
        const seen = first.get(key);
        if (!seen) {
          first.set(key, { ...mount, path });
          continue;
        }
        const other = seen.name ? `volume "${seen.name.value}"` : 'another volume';
        ctx.report({
          message: `container ${containerLabel(container)} already mounts ${other} at ${path.value}; each path of a container takes one mount`,
          range: path.range,
          related: [{ range: seen.path.range, message: `${other} at ${seen.path.value}` }],
        });
      }
    }
  },
};

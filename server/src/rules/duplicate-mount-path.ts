import type { ContainerModel, MountModel } from '../model/types';
import { containerLabel } from '../model/describe';
import type { PodRule, RuleContext } from '../engine/types';

/** `/data/` and `/data` are one mount point for the container runtime. */
function normalize(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export const duplicateMountPath: PodRule = {
  meta: {
    id: 'duplicate-mount-path',
    description:
      'One container mounts two volumes (or a volume and a device) at the same path, counting the mounts an Argo sidecar or init container mirrors from the main container.',
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
      if (container.mirrored) mirroredClashes(container, container.mirrored, first, ctx);
    }
  },
};

/**
 * The mounts a container gets copied from another (Argo's mirrorVolumeMounts) come after its own,
 * at the same paths as there: one of its own at such a path makes two mounts of one path, which
 * the API server rejects. Reported on its own mount; two copied mounts at one path are the other
 * container's own clash, reported there.
 */
function mirroredClashes(
  container: ContainerModel,
  mirrored: NonNullable<ContainerModel['mirrored']>,
  own: ReadonlyMap<string, MountModel & { path: NonNullable<MountModel['path']> }>,
  ctx: RuleContext,
): void {
  const from = containerLabel(mirrored.from);
  for (const copied of mirrored.mounts) {
    if (!copied.path || copied.path.value.trim() === '') continue;
    const mine = own.get(normalize(copied.path.value));
    if (!mine) continue;
    const volume = copied.name ? `volume "${copied.name.value}"` : 'a volume';
    ctx.report({
      message:
        `container ${containerLabel(container)} mounts ${mine.path.value} itself, and mirrorVolumeMounts also gives it ` +
        `the mount of ${volume} that ${from} has there; each path of a container takes one mount`,
      range: mine.path.range,
      related: [
        { range: copied.path.range, message: `${from} mounts ${volume} at ${copied.path.value}` },
        { range: mirrored.flag, message: `copies the mounts of ${from}` },
      ],
    });
  }
}

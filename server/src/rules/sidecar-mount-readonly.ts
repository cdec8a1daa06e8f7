import { isScalar } from 'yaml';
import { readOnlyFixes } from '../fixes/mounts';
import { containerLabel } from '../model/describe';
import { knownSidecar, type SidecarKind } from '../model/sidecars';
import type { ContainerModel, MountModel } from '../model/types';
import { getSeq } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/** Sources the kubelet always mounts read-only: a readOnly flag adds nothing. */
const READ_ONLY_SOURCES = new Set(['configMap', 'secret', 'downwardAPI', 'projected', 'image']);

/** Known sidecars whose job is to write into shared storage (content, secrets, sockets). */
const WRITERS: ReadonlySet<SidecarKind> = new Set(['sync', 'secrets', 'proxy', 'mesh', 'runtime']);
/** Known sidecars that only read what the app leaves behind. */
const READERS: ReadonlySet<SidecarKind> = new Set(['log', 'metrics', 'telemetry', 'reload']);

/** `tail -F /var/log/app.log` and nothing that writes (redirects, touch, tee, cp, mv, rm, mkdir...). */
function isTailer(container: ContainerModel): boolean {
  const words = ['command', 'args'].flatMap((key) =>
    (getSeq(container.node, key)?.items ?? []).flatMap((i) =>
      isScalar(i) && typeof i.value === 'string' ? [i.value] : [],
    ),
  );
  const text = words.join(' ');
  return (
    /(^|[\s;&|])tail\s/.test(text) &&
    !/>|\b(touch|tee|cp|mv|rm|mkdir|ln|chmod|chown|dd|echo|printf|sed|truncate)\b/.test(text)
  );
}

/** A container that should only read the volumes it shares with the app. */
function isReadingSidecar(container: ContainerModel): boolean {
  if (container.role === 'init' || container.role === 'ephemeral') return false;
  const known = knownSidecar(container);
  if (known) return READERS.has(known.kind) && !WRITERS.has(known.kind);
  // Any other image may write to the volume it shares (Kubernetes' own native sidecar examples
  // create the file the app reads): only the generic log tailer of the logging docs is known to read.
  return isTailer(container);
}

export const sidecarMountReadonly: PodRule = {
  meta: {
    id: 'sidecar-mount-readonly',
    description:
      'A volume the app writes to that a reading sidecar (known log or metrics shipper, a tail -F log tailer) mounts read-write.',
    defaultSeverity: 'info',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const volume of pod.volumes) {
      const name = volume.name?.value;
      if (name === undefined || READ_ONLY_SOURCES.has(volume.source ?? '')) continue;
      const users: { container: ContainerModel; mount: MountModel }[] = [];
      for (const container of pod.containers) {
        if (container.role === 'ephemeral') continue;
        for (const mount of container.mounts) {
          if (mount.list === 'volumeMounts' && mount.name?.value === name) users.push({ container, mount });
        }
      }
      for (const { container, mount } of users) {
        if (mount.readOnly || mount.readOnlyPlaceholder || !mount.name || !isReadingSidecar(container)) continue;
        // Only when another container writes there: a sidecar that is the volume's only writer
        // is its producer (the app reads what it fetched), and needs write access.
        const writers = users.filter(
          (u) => u.container !== container && !u.mount.readOnly && !u.mount.readOnlyPlaceholder,
        );
        if (writers.length === 0) continue;
        ctx.report({
          // Log shippers may keep their read position beside the logs (the fluentd example of the
          // Kubernetes docs writes pos_file there; Promtail defaults to /var/log/positions.yaml), so
          // this is advice with its exception stated, not a claim that the mount must be read-only.
          message: `sidecar ${containerLabel(container)} reads volume "${name}" that the app writes to, but mounts it read-write; readOnly: true keeps the helper from changing the app's data (keep it writable if the sidecar stores its read position there)`,
          range: mount.name.range,
          related: writers.map((w) => ({
            range: w.mount.name?.range ?? w.mount.range,
            message: `${containerLabel(w.container)} writes to "${name}"`,
          })),
          data: { volume: name },
          fixes: () => readOnlyFixes(ctx.document.text, container, mount),
        });
      }
    }
  },
};

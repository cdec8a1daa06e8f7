import { isScalar } from 'yaml';
import { readOnlyFixes } from '../fixes/mounts';
import { commandLine, envValues } from '../model/container-text';
import { containerLabel } from '../model/describe';
import { podRoles, type PodRoles } from '../model/main-container';
import { knownSidecar, type SidecarKind } from '../model/sidecars';
import { patchSets } from '../model/spec-patch';
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

/**
 * Words of a setting that name where a program keeps its own state: a log shipper's read positions
 * or database, a collector's queue or buffer, a checkpoint. Fluent Bit's `storage.path` and `DB`,
 * the OpenTelemetry Collector's file_storage `directory`, Vector's `data_dir`, Promtail's
 * `positions`.
 */
const STATE_WORDS = /(storage|buffer|queue|db|pos|position|state|checkpoint|data|wal|cache|spool)/i;

/**
 * The container's own command line or environment names a place under the mount as where it keeps
 * state (`--storage.path=/var/lib/flb`, `DB_PATH=/logs/flb.db`): it writes there, so the mount
 * must stay writable whoever else uses the volume.
 */
function writesTo(container: ContainerModel, mount: MountModel): boolean {
  const path = mount.path?.value.replace(/\/+$/, '');
  if (!path) return false;
  const settings = [
    ...commandLine(container).map((w) => w.value),
    ...envValues(container).map((e) => `${e.name}=${e.value.value}`),
  ];
  return settings.some((s) => {
    const at = s.indexOf(path);
    if (at < 0 || !/^(\/|$|[\s"',;])/.test(s.slice(at + path.length))) return false;
    return STATE_WORDS.test(s.slice(0, at));
  });
}

/** A helper that should only read the volumes it shares with the app (never the pod's main service). */
function isReadingSidecar(container: ContainerModel, roles: PodRoles): boolean {
  if (container.role === 'init' || container.role === 'ephemeral') return false;
  const known = knownSidecar(container);
  if (known) return !roles.main.has(container) && READERS.has(known.kind) && !WRITERS.has(known.kind);
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
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    let roles: PodRoles | undefined;
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
        if (mount.readOnly || mount.readOnlyPlaceholder || !mount.name) continue;
        // a spec patch the controller merges in (Argo's podSpecPatch) may make it read-only
        if (patchSets(pod, 'volumeMounts', container)) continue;
        roles ??= podRoles(pod, ctx.services);
        if (!isReadingSidecar(container, roles) || writesTo(container, mount)) continue;
        // Only when the app writes there: a sidecar that is the volume's only writer is its
        // producer (the app reads what it fetched), and needs write access. An init container
        // that prepares the volume is not the app.
        const writers = users.filter(
          (u) =>
            u.container !== container &&
            !u.mount.readOnly &&
            !u.mount.readOnlyPlaceholder &&
            u.container.role !== 'init',
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

import type { PodRoles } from '../model/main-container';
// Hovers about pod storage: a volume (in `volumes` or a StatefulSet's claim templates) or a mount.
import { isScalar, type YAMLMap } from 'yaml';
import type { ContainerModel, MountModel, PodModel, VolumeModel } from '../model/types';
import { getMap, getSeq, getString, mapItems, nodeRange } from '../model/yaml-nodes';
import { describeField } from '../schema/validate';
import { cell, code, K8S_DOCS, link, nameOf, plain, roleOf, table } from './hover-text';

const VOLUMES = `${K8S_DOCS}/concepts/storage/volumes/`;

/** Volume types whose files the kubelet always mounts read-only. */
const ALWAYS_READ_ONLY = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

export interface Use {
  container: ContainerModel;
  mount: MountModel;
  /** A mount its controller copies into the container from this other one (mirrorVolumeMounts). */
  mirroredFrom?: ContainerModel;
}

function usesOf(pod: PodModel, name: string | undefined): Use[] {
  if (name === undefined) return [];
  return pod.containers.flatMap((container): Use[] => [
    ...container.mounts.filter((m) => m.name?.value === name).map((mount) => ({ container, mount })),
    ...(container.mirrored?.mounts ?? [])
      .filter((m) => m.name?.value === name)
      .map((mount) => ({ container, mount, mirroredFrom: container.mirrored!.from })),
  ]);
}

const nameText = (name: string | undefined): string => (name === undefined ? '(unnamed)' : code(name));

/** The hover of a volume: its type explained and who mounts it where. */
export function volumeHover(pod: PodModel, volume: VolumeModel, roles: PodRoles): string {
  const type = explain(pod, volume);
  return [
    `**Volume ${nameText(volume.name?.value)}** · ${type.title}\n\n${type.text}`,
    ...uses(pod, volume, roles),
    type.docs,
  ].join('\n\n');
}

/** The hover of a mount: this mount first, then the volume it mounts (or that there is none). */
export function mountHover(pod: PodModel, volume: VolumeModel | undefined, use: Use, roles: PodRoles): string {
  const { container, mount } = use;
  const path = mount.path ? ` at ${code(mount.path.value)}` : '';
  const access = mount.list === 'volumeDevices' ? 'as a raw block device' : accessOf(mount, volume);
  const head = `**Mount of volume ${nameText(mount.name?.value)}** in ${roleOf(container, roles)} ${code(nameOf(container))}${path}, ${access}${subPathNote(container, mount)}.`;
  if (!volume) {
    const declared = pod.volumes.flatMap((v) => (v.name ? [code(v.name.value)] : []));
    return [
      head,
      `This pod declares no volume of that name, so the API server rejects it. Declared: ${declared.length > 0 ? declared.join(', ') : 'none'}.`,
      link('Volumes', VOLUMES),
    ].join('\n\n');
  }
  const type = explain(pod, volume);
  return [head, `${type.title}\n\n${type.text}`, ...uses(pod, volume, roles), type.docs].join('\n\n');
}

/** Who mounts a volume, where and how, as a table, and what sharing it means. */
function uses(pod: PodModel, volume: VolumeModel, roles: PodRoles): string[] {
  const found = usesOf(pod, volume.name?.value);
  if (found.length === 0) return ['No container mounts it, so no container sees it.'];
  const rows = found.map(({ container, mount, mirroredFrom }) => [
    cell(nameOf(container)),
    roleOf(container, roles),
    mount.path ? cell(mount.path.value) : '?',
    mount.list === 'volumeDevices'
      ? 'block device'
      : accessOf(mount, volume) +
        subPathNote(mirroredFrom ?? container, mount) +
        (mirroredFrom ? `, mirrored from ${code(nameOf(mirroredFrom))} (mirrorVolumeMounts)` : ''),
  ]);
  const out = [table(['container', 'role', 'path', 'access'], rows)];
  const containers = [...new Set(found.map((u) => u.container))];
  if (containers.length > 1) out.push(sharing(containers));
  return out;
}

function accessOf(mount: MountModel, volume: VolumeModel | undefined): string {
  if (volume?.source && ALWAYS_READ_ONLY.has(volume.source)) return 'read-only (always, for this type)';
  return mount.readOnly ? 'read-only' : 'read-write';
}

function subPathNote(container: ContainerModel, mount: MountModel): string {
  // the model keeps a mount's range, not its node: find the map again where the mount starts
  const node = mapItems(getSeq(container.node, mount.list)).find(
    ({ node: n }) => nodeRange(n).start === mount.range.start,
  )?.node;
  const sub = getString(node, 'subPath') ?? getString(node, 'subPathExpr');
  return sub ? `, subPath ${code(sub.value)}` : '';
}

function sharing(containers: ContainerModel[]): string {
  const list = containers.map((c) => code(nameOf(c))).join(', ');
  const init = containers.some((c) => c.role === 'init');
  return init
    ? `Shared by ${list}: an init container hands data forward to the containers that start after it through such a volume.`
    : `Shared by ${list}: what one writes, the others see (the classic hand-off between an app and its sidecar).`;
}

interface Explained {
  title: string;
  text: string;
  docs: string;
}

function explain(pod: PodModel, volume: VolumeModel): Explained {
  const source = volume.source;
  const spec = source && source !== 'volumeClaimTemplate' ? getMap(volume.node, source) : undefined;
  const docs = (anchor: string, title = `Volumes: ${anchor}`): string => link(title, `${VOLUMES}#${anchor}`);
  switch (source) {
    case undefined:
      return {
        title: 'no source yet',
        text: 'A volume without a source is defaulted to an `emptyDir` by the API server.',
        docs: docs('emptydir', 'Volumes: emptyDir'),
      };
    case 'emptyDir': {
      const medium = getString(spec, 'medium')?.value;
      const size = getString(spec, 'sizeLimit')?.value;
      const lines = [
        'An empty directory created when the pod starts on its node and erased when the pod is removed; it survives container restarts.',
        medium === 'Memory'
          ? '`medium: Memory`: a tmpfs in RAM. Fast, but what is written counts against the memory limit of the writing container, and it is gone on a node reboot.'
          : "Stored on the node's disk (ephemeral storage).",
      ];
      if (size) lines.push(`${code(`sizeLimit: ${size}`)}: if it grows past that, the kubelet evicts the pod.`);
      return { title: 'emptyDir', text: lines.join(' '), docs: docs('emptydir', 'Volumes: emptyDir') };
    }
    case 'hostPath': {
      const path = getString(spec, 'path')?.value;
      const type = getString(spec, 'type')?.value;
      return {
        title: 'hostPath',
        text:
          `${path ? `The node's own ${code(path)}` : "A path of the node's own filesystem"}: data stays on whichever node runs the pod, and a writable hostPath exposes the node to the pod (a security risk; Pod Security \`baseline\` forbids it).` +
          (type ? ` ${code(`type: ${type}`)} is checked before the pod starts.` : ''),
        docs: docs('hostpath', 'Volumes: hostPath'),
      };
    }
    case 'configMap': {
      const name = getString(spec, 'name')?.value;
      return {
        title: 'configMap',
        text: `The keys of ConfigMap ${name ? code(name) : '(no name yet)'} as files. Edits to the ConfigMap reach the files after a short delay, except in \`subPath\` mounts.${optional(spec)}`,
        docs: docs('configmap', 'Volumes: configMap'),
      };
    }
    case 'secret': {
      const name = getString(spec, 'secretName')?.value;
      return {
        title: 'secret',
        text: `The keys of Secret ${name ? code(name) : '(no secretName yet)'} as files, kept in a tmpfs so they never touch the node's disk. Updates reach the files, except in \`subPath\` mounts.${optional(spec)}`,
        docs: docs('secret', 'Volumes: secret'),
      };
    }
    case 'persistentVolumeClaim': {
      const claim = getString(spec, 'claimName')?.value;
      return {
        title: 'persistentVolumeClaim',
        text: `Storage bound to PersistentVolumeClaim ${claim ? code(claim) : '(no claimName yet)'}: it outlives the pod; its access modes decide whether pods on other nodes can mount it at the same time.`,
        docs: docs('persistentvolumeclaim', 'Volumes: persistentVolumeClaim'),
      };
    }
    case 'projected': {
      const sources = mapItems(getSeq(spec, 'sources')).map(({ node }) => projectedSource(node));
      return {
        title: 'projected',
        text: `Several sources in one directory${sources.length > 0 ? `: ${sources.join(', ')}` : ''}. A \`serviceAccountToken\` source is rotated by the kubelet.`,
        docs: link('Projected volumes', `${K8S_DOCS}/concepts/storage/projected-volumes/`),
      };
    }
    case 'downwardAPI': {
      const files = mapItems(getSeq(spec, 'items')).flatMap(({ node }) => {
        const path = getString(node, 'path')?.value;
        return path ? [code(path)] : [];
      });
      return {
        title: 'downwardAPI',
        text: `Facts about this pod (labels, annotations, resources) as files${files.length > 0 ? `: ${files.join(', ')}` : ''}; label and annotation files follow changes, unlike environment variables.`,
        docs: docs('downwardapi', 'Volumes: downwardAPI'),
      };
    }
    case 'ephemeral':
      return {
        title: 'generic ephemeral volume',
        text: 'A PersistentVolumeClaim created with the pod from this template and deleted with it: storage-class features (size, snapshots) with the lifetime of an emptyDir.',
        docs: link(
          'Generic ephemeral volumes',
          `${K8S_DOCS}/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes`,
        ),
      };
    case 'volumeClaimTemplate': {
      const storage = getString(getMap(getMap(getMap(volume.node, 'spec'), 'resources'), 'requests'), 'storage')?.value;
      const modes = (getSeq(getMap(volume.node, 'spec'), 'accessModes')?.items ?? [])
        .map((m) => (isScalar(m) ? String(m.value) : ''))
        .filter((m) => m !== '');
      const set = pod.name?.value ?? '<statefulset>';
      const claim = volume.name?.value ?? '<template>';
      const asks = [storage ? `${plain(storage)} of storage` : '', modes.length > 0 ? plain(modes.join(', ')) : '']
        .filter((s) => s !== '')
        .join(', ');
      return {
        title: 'StatefulSet volume claim template',
        text: `Each replica gets its own PersistentVolumeClaim, ${code(`${claim}-${set}-<ordinal>`)}${asks ? ` (${asks})` : ''}, kept when its pod is deleted or rescheduled, so replica N always finds its own data.`,
        docs: link(
          'StatefulSet: volume claim templates',
          `${K8S_DOCS}/concepts/workloads/controllers/statefulset/#volume-claim-templates`,
        ),
      };
    }
    default: {
      const description = describeField('Pod', ['spec', 'volumes', 0, source])?.description;
      return {
        title: plain(source),
        text: description ? firstSentence(description) : `A ${code(source)} volume.`,
        // a key the schema knows is a volume type with a section of that name; anything else is a typo
        docs: description ? docs(source.toLowerCase(), `Volumes: ${source}`) : link('Volumes', VOLUMES),
      };
    }
  }
}

function optional(spec: YAMLMap | undefined): string {
  const node = spec?.get('optional');
  return node === true ? ' `optional: true`: the pod starts even if it does not exist.' : '';
}

function projectedSource(node: YAMLMap): string {
  for (const kind of ['configMap', 'secret'] as const) {
    const name = getString(getMap(node, kind), 'name')?.value;
    if (getMap(node, kind)) return `${kind} ${name ? code(name) : ''}`.trim();
  }
  if (getMap(node, 'serviceAccountToken')) return 'serviceAccountToken';
  if (getMap(node, 'downwardAPI')) return 'downwardAPI';
  if (getMap(node, 'clusterTrustBundle')) return 'clusterTrustBundle';
  return 'another source';
}

function firstSentence(text: string): string {
  const m = /^[\s\S]*?\.(\s|$)/.exec(text);
  return (m ? m[0] : text).trim();
}

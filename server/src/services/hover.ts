import { podRoles, type PodRoles } from '../model/main-container';
import { servicesInFile } from '../model/services';
import { injectingSidecarSets, withSidecarSets, type PlacedSidecarSet } from '../model/sidecar-sets';
// Hover: what the pod model knows about the thing under the cursor, else the schema's description
// of the field. Works on the one document under the cursor, from its cached model.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileModel, PodKind } from '../model/types';
import { describeIn } from '../schema/validate';
import { lifecycleHover } from './hover-lifecycle';
import { injectorFor, injectorHover } from './hover-injector';
import { podFieldHover, portHover, POD_WIDE_FIELDS, type PodWideField, type PortFocus } from './hover-network';
import { mountHover, volumeHover } from './hover-storage';
import { code, K8S_DOCS, link, plain } from './hover-text';
import { probePortAt } from './navigation';
import { podTargetAt, toLspRange, type PodTarget } from './pod-target';

/**
 * `elsewhere`: the SidecarSets of the workspace's other files (the editor's index), which inject
 * into the pod as those of the same file do.
 */
export function hover(
  file: FileModel,
  doc: TextDocument,
  position: Position,
  elsewhere: readonly PlacedSidecarSet[] = [],
): Hover | null {
  const found = podTargetAt(file, doc.offsetAt(position));
  if (!found) return null;
  // the pod with what the SidecarSets of this file and the others inject into it
  const t = { ...found, pod: withSidecarSets(found.pod, injectingSidecarSets(file, elsewhere)) };
  // helper or main service, as the rules read it: with the Services written in the same file
  const value = topicHover(t, podRoles(t.pod, servicesInFile(file))) ?? schemaHover(t);
  if (!value) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(doc, t.placed, t.cursor.range) };
}

/** The field the cursor is on: its key, or the key whose value it is on (list indexes skipped). */
function fieldOf(path: readonly (string | number)[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg;
  }
  return undefined;
}

/** Mount fields the mount hover speaks about; others (mountPropagation...) get their schema text. */
const MOUNT_FIELDS = new Set(['name', 'mountPath', 'devicePath', 'readOnly', 'subPath', 'subPathExpr']);

/** Fields inside a volume source that the volume hover explains. */
const SOURCE_FIELDS = new Set(['medium', 'sizeLimit', 'name', 'secretName', 'claimName', 'path', 'type']);

/**
 * The volume hover is for the volume itself (its name, its source key and the fields that say what
 * it is); deeper fields such as `defaultMode` or a claim's `storageClassName` get their schema text.
 */
function explainsVolume(t: PodTarget): boolean {
  if (t.specPath?.[0] === 'volumes') {
    const depth = t.specPath.length;
    return depth <= 3 || (depth === 4 && SOURCE_FIELDS.has(String(t.specPath[3])));
  }
  // a claim template: ['spec', 'volumeClaimTemplates', i, 'metadata' | 'spec', 'name'?]
  const rest = t.objectPath.slice(3);
  return rest.length <= 1 || (rest[0] === 'metadata' && rest[1] === 'name' && rest.length === 2);
}

function topicHover(t: PodTarget, roles: PodRoles): string | undefined {
  const { pod, container, port, mount, volume, specPath } = t;
  if (container && port) {
    const field = specPath?.[4];
    const focus: PortFocus = field === 'containerPort' || field === 'hostPort' || field === 'name' ? field : 'other';
    return portHover(pod, container, port, focus, roles);
  }
  if (container && mount && MOUNT_FIELDS.has(String(specPath?.[4]))) {
    const declared = pod.volumes.find((v) => v.name !== undefined && v.name.value === mount.name?.value);
    return mountHover(pod, declared, { container, mount }, roles);
  }
  if (volume && explainsVolume(t)) return volumeHover(pod, volume, roles);
  if (specPath) {
    const [first, , field] = specPath;
    if (specPath.length === 1 && POD_WIDE_FIELDS.includes(first as PodWideField)) {
      return podFieldHover(pod, first as PodWideField);
    }
    if (specPath.length === 1 && (first === 'terminationGracePeriodSeconds' || first === 'initContainers')) {
      return lifecycleHover(pod, roles, first);
    }
    if (container && specPath.length === 3) {
      if (field === 'restartPolicy' && container.list === 'initContainers') {
        return lifecycleHover(pod, roles, 'restartPolicy', container);
      }
      if (field === 'startupProbe') return lifecycleHover(pod, roles, 'startupProbe', container);
    }
    const probe = probePortAt(t);
    if (probe) return portHover(pod, probe.container, probe.port, probe.byName ? 'name' : 'containerPort', roles);
    return undefined;
  }
  return metadataHover(t);
}

/** Labels and annotations that configure a sidecar injector, on the pod's metadata or (wrongly) the workload's. */
function metadataHover(t: PodTarget): string | undefined {
  const { pod, cursor } = t;
  const rel = cursor.path.slice(pod.specPath.length - 1);
  const podMetadata = pod.specPath.slice(0, -1).every((seg, i) => cursor.path[i] === seg) && rel[0] === 'metadata';
  const workloadMetadata = pod.kind !== 'Pod' && t.objectPath[0] === 'metadata';
  const path = podMetadata ? rel : workloadMetadata ? t.objectPath : undefined;
  if (!path || path.length !== 3 || (path[1] !== 'labels' && path[1] !== 'annotations')) return undefined;
  const key = String(path[2]);
  const injector = injectorFor(key);
  return injector ? injectorHover(pod, key, injector, podMetadata) : undefined;
}

const MAX_DESCRIPTION = 700;
const MAX_ENUM = 12;

function schemaHover(t: PodTarget): string | undefined {
  const view = t.pod.schema;
  const field = describeIn(view, t.objectPath);
  if (!field) return undefined;
  const name = fieldOf(t.objectPath) ?? t.pod.kind;
  const head = [`**${plain(name)}**`, field.type ? code(field.type) : '', field.required ? 'required' : ''];
  let description = field.description;
  // an entry of a free-form map (a label, an annotation, a nodeSelector term) has no text of its
  // own: the map's description says what its entries are
  const mapPath = t.objectPath.slice(0, -1);
  const map = description === undefined && mapPath.length > 0 ? describeIn(view, mapPath) : undefined;
  if (map?.type?.startsWith('map[')) {
    head.push(`entry of ${code(String(mapPath[mapPath.length - 1]))}`);
    description = map.description;
  }
  const parts = [head.filter((s) => s !== '').join(' · ')];
  if (description) parts.push(shorten(description));
  if (field.enum) {
    const shown = field.enum.slice(0, MAX_ENUM).map((v) => (v === '' ? '""' : code(v)));
    parts.push(`Allowed: ${shown.join(', ')}${field.enum.length > MAX_ENUM ? ', …' : ''}`);
  }
  parts.push(apiReference(view.kind, t.specPath !== undefined || t.pod.custom !== undefined));
  return parts.join('\n\n');
}

/** Kubernetes field descriptions run to many paragraphs: keep the first ones, up to a bound. */
function shorten(description: string): string {
  const paragraphs = description.split(/\n\s*\n/);
  let out = '';
  for (const p of paragraphs) {
    if (out && out.length + p.length > MAX_DESCRIPTION) break;
    out = out ? `${out}\n\n${p}` : p;
  }
  return out.length > MAX_DESCRIPTION ? `${out.slice(0, MAX_DESCRIPTION - 1)}…` : out;
}

const API_PAGES: Record<PodKind, string> = {
  Pod: 'pod-v1',
  PodTemplate: 'pod-template-v1',
  ReplicationController: 'replication-controller-v1',
  Deployment: 'deployment-v1',
  StatefulSet: 'stateful-set-v1',
  DaemonSet: 'daemon-set-v1',
  ReplicaSet: 'replica-set-v1',
  Job: 'job-v1',
  CronJob: 'cron-job-v1',
};

function apiReference(kind: PodKind, inPodSpec: boolean): string {
  const page = inPodSpec ? 'pod-v1' : API_PAGES[kind];
  const title = inPodSpec ? 'Pod' : kind;
  return link(`${title} API reference`, `${K8S_DOCS}/reference/kubernetes-api/workload-resources/${page}/`);
}

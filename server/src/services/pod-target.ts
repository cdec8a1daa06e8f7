// What the cursor is on, in terms of the pod model: shared by hover and navigation.
import type { Range as LspRange } from 'vscode-languageserver';
import { isNode } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { locate, type Cursor } from '../model/locate';
import type {
  ContainerModel,
  FileModel,
  MountModel,
  PlacedDocument,
  PodModel,
  PortModel,
  Range,
  VolumeModel,
} from '../model/types';
import { nodeRange } from '../model/yaml-nodes';

export interface PodTarget {
  placed: PlacedDocument;
  pod: PodModel;
  cursor: Cursor;
  /** Path from the pod-bearing object (what the schema describes). */
  objectPath: (string | number)[];
  /** Path from the pod spec; undefined outside it. */
  specPath?: (string | number)[];
  container?: ContainerModel;
  /** Path from the container's map, when the cursor is in one. */
  containerPath?: (string | number)[];
  port?: PortModel;
  mount?: MountModel;
  volume?: VolumeModel;
}

/** The document that holds a file offset (its end counts, so a cursor at the end of the file has one). */
export function documentAt(file: FileModel, offset: number): PlacedDocument | undefined {
  const docs = file.documents;
  for (let i = docs.length - 1; i >= 0; i--) {
    if (docs[i]!.offset <= offset) return docs[i];
  }
  return undefined;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/**
 * The pod, container, port, mount or volume under a file offset. Undefined outside pod documents
 * and in Helm templates (their text is not the YAML that will be applied).
 */
export function podTargetAt(file: FileModel, offset: number): PodTarget | undefined {
  if (file.template) return undefined;
  const placed = documentAt(file, offset);
  if (!placed || placed.model.pods.length === 0) return undefined;
  const cursor = locate(placed.model.yaml.contents, offset - placed.offset);
  if (!cursor) return undefined;
  // a document holds one pod, or a List holds several side by side: at most one contains the cursor
  const candidates = placed.model.pods.filter((p) => startsWith(cursor.path, p.objectPath));
  // an object may hold several pods (an Argo Workflow's templates): the one whose spec holds the cursor
  const pod =
    candidates.find((p) => startsWith(cursor.path, p.specPath)) ??
    candidates.find((p) => p.volumes.some((v) => startsWith(cursor.path, v.path))) ??
    candidates[0];
  if (!pod) return undefined;
  const target: PodTarget = { placed, pod, cursor, objectPath: cursor.path.slice(pod.objectPath.length) };
  const specPath = specPathOf(pod, cursor.path);
  if (specPath) {
    target.specPath = specPath;
    addContainerParts(target, cursor.path);
  }
  // a volume wherever its pod keeps it (an Argo WorkflowSpec's volumes are outside each template)
  const volume = pod.volumes.find((v) => startsWith(cursor.path, v.path) && v.source !== 'volumeClaimTemplate');
  if (volume) target.volume = volume;
  else if (
    pod.kind === 'StatefulSet' &&
    target.objectPath[0] === 'spec' &&
    target.objectPath[1] === 'volumeClaimTemplates' &&
    typeof target.objectPath[2] === 'number'
  ) {
    const index = target.objectPath[2];
    const volume = pod.volumes.find((v) => v.source === 'volumeClaimTemplate' && v.index === index);
    if (volume) target.volume = volume;
  }
  return target;
}

/**
 * The cursor's path from the pod spec, as a PodSpec would have it: for a pod its controller
 * assembles (an Argo template's `container`, a Tekton step), the part under the cursor read as the
 * container or volume of a PodSpec it stands for (`steps[2].image` is `initContainers[2].image`), so
 * that every hover reads it as in a Deployment.
 */
function specPathOf(pod: PodModel, path: (string | number)[]): (string | number)[] | undefined {
  let best: { objectPath: readonly (string | number)[]; schemaPath: readonly (string | number)[] } | undefined;
  for (const part of pod.schema.parts ?? []) {
    const at = [...pod.objectPath, ...part.objectPath];
    if (startsWith(path, at) && (!best || part.objectPath.length > best.objectPath.length)) best = part;
  }
  if (best) return [...best.schemaPath.slice(2), ...path.slice(pod.objectPath.length + best.objectPath.length)];
  return startsWith(path, pod.specPath) ? path.slice(pod.specPath.length) : undefined;
}

function addContainerParts(target: PodTarget, path: (string | number)[]): void {
  const container = target.pod.containers.find((c) => startsWith(path, c.path));
  if (!container) return;
  const [field, item] = path.slice(container.path.length);
  target.container = container;
  target.containerPath = path.slice(container.path.length);
  if (typeof item !== 'number' || typeof field !== 'string') return;
  // the model keeps ports and mounts without their list index: match them by where they start
  const itemNode: unknown = container.node.getIn([field, item], true);
  if (!isNode(itemNode)) return;
  const start = nodeRange(itemNode).start;
  if (field === 'ports') {
    const port = container.ports.find((p) => p.range.start === start);
    if (port) target.port = port;
  } else if (field === 'volumeMounts' || field === 'volumeDevices') {
    const mount = container.mounts.find((m) => m.list === field && m.range.start === start);
    if (mount) target.mount = mount;
  }
}

/** A document-relative range of `placed` as an LSP range of the whole file. */
export function toLspRange(doc: TextDocument, placed: PlacedDocument, range: Range): LspRange {
  return { start: doc.positionAt(placed.offset + range.start), end: doc.positionAt(placed.offset + range.end) };
}

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
  const pod = placed.model.pods.find((p) => startsWith(cursor.path, p.objectPath));
  if (!pod) return undefined;
  const target: PodTarget = { placed, pod, cursor, objectPath: cursor.path.slice(pod.objectPath.length) };
  if (startsWith(cursor.path, pod.specPath)) {
    const specPath = cursor.path.slice(pod.specPath.length);
    target.specPath = specPath;
    addContainerParts(target, specPath);
    if (specPath[0] === 'volumes' && typeof specPath[1] === 'number') {
      const index = specPath[1];
      const volume = pod.volumes.find((v) => v.source !== 'volumeClaimTemplate' && v.index === index);
      if (volume) target.volume = volume;
    }
  } else if (
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

function addContainerParts(target: PodTarget, specPath: (string | number)[]): void {
  const [list, index, field, item] = specPath;
  if (typeof index !== 'number') return;
  const container = target.pod.containers.find((c) => c.list === list && c.index === index);
  if (!container) return;
  target.container = container;
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

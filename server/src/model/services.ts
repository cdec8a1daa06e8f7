// The Services written beside a pod, as much of them as the pod's rules need: whom they select and
// which ports they send traffic to. Read from the file the pod is in; the workspace-wide set of
// objects builds on the same summary.
import { isMap, type YAMLMap } from 'yaml';
import { topLevelKinds } from './kind-lines';
import type { DocumentModel, FileModel, PodModel, Range } from './types';
import { hasPlaceholder } from './placeholders';
import { getMap, getNode, getPair, getSeq, getString, keyRange, mapItems, nodeRange, scalarText } from './yaml-nodes';
import { metaEntries } from './sidecars';

export interface ServiceSummary {
  name?: string;
  namespace?: string;
  /** `spec.selector`; a Service without one selects no pod by labels. */
  selector: Record<string, string>;
  /** Each entry of `spec.ports` as written, in order. */
  ports: ServicePortSummary[];
  /** `spec.type` (ClusterIP when unset). */
  type?: string;
  /** Where the Service is written, in offsets of its own document's text. */
  ranges?: { object: Range; name?: Range };
  /** Offset of the Service's document in its file (set by servicesInFile): document offset + this = file offset. */
  offset?: number;
}

/**
 * One `spec.ports` entry of a Service, as the API server and the endpoints controller read it: the
 * one reading of a Service port, for the pod's rules and diagram (ServiceSummary) and for the
 * workspace set's facts (workspace/relations.ts). Ranges are in offsets of the entry's document.
 */
export interface ServicePortSummary {
  /** Its position in `spec.ports`. */
  index: number;
  name?: string;
  /** The Service's own port; undefined when unset or not a number. */
  port?: number;
  /**
   * `targetPort`, `port` where it is unset (as the API server defaults it): a number, or a
   * container port's name. Undefined when neither is usable, or when it is a placeholder.
   */
  targetPort?: number | string;
  /** `targetPort` itself is written (else it is defaulted from `port`, if that is). */
  targetWritten: boolean;
  /** `targetPort` (or `port` standing for it) is written but cannot be read: a placeholder, a collection. */
  targetUnknown?: true;
  /** Upper-case; TCP when unset, as the API server defaults it. */
  protocol: string;
  appProtocol?: string;
  /** The entry. */
  range: Range;
  /** The `targetPort` value, else the `port` value, else the entry. */
  targetRange: Range;
  /** The port's name, else its `port` value, else the entry. */
  nameRange: Range;
}

/** The entries of a Service's `spec.ports` (see ServicePortSummary). */
export function readServicePorts(spec: YAMLMap | undefined): ServicePortSummary[] {
  const ports: ServicePortSummary[] = [];
  for (const { node, index } of mapItems(getSeq(spec, 'ports'))) {
    const targetNode = getNode(node, 'targetPort');
    const portNode = getNode(node, 'port');
    const raw = scalarText(targetNode) ?? scalarText(portNode);
    const port: ServicePortSummary = {
      index,
      targetWritten: targetNode !== undefined,
      protocol: (getString(node, 'protocol')?.value ?? 'TCP').toUpperCase(),
      range: nodeRange(node),
      targetRange: nodeRange(targetNode ?? portNode ?? node),
      nameRange: nodeRange(getNode(node, 'name') ?? portNode ?? node),
    };
    if (raw !== undefined && !hasPlaceholder(raw)) port.targetPort = /^\d+$/.test(raw) ? Number(raw) : raw;
    else if ((targetNode ?? portNode) !== undefined) port.targetUnknown = true;
    const name = getString(node, 'name')?.value;
    if (name !== undefined) port.name = name;
    const number = scalarText(portNode);
    if (number !== undefined && /^\d+$/.test(number)) port.port = Number(number);
    const appProtocol = getString(node, 'appProtocol')?.value;
    if (appProtocol !== undefined) port.appProtocol = appProtocol;
    ports.push(port);
  }
  return ports;
}

/**
 * A Service's `spec.selector`: its labels as written (a placeholder is kept as its text, which the
 * pod template of an unrendered chart writes alike), whether they are all known (none written
 * through a placeholder or an alias, no entry that is not a scalar pair; a Service without a
 * selector selects nothing by labels, and that is known), and the `selector` key's range
 * (document offsets) where it is written.
 */
export function readServiceSelector(spec: YAMLMap | undefined): {
  labels: Map<string, string>;
  known: boolean;
  range?: Range;
} {
  const node = getMap(spec, 'selector');
  const labels = new Map<string, string>();
  let known = node !== undefined || getNode(spec, 'selector') === undefined;
  for (const item of node?.items ?? []) {
    const key = scalarText(item.key);
    const value = scalarText(item.value);
    if (key === undefined || value === undefined) known = false;
    else {
      if (hasPlaceholder(key) || hasPlaceholder(value)) known = false;
      labels.set(key, value);
    }
  }
  const range = keyRange(getPair(spec, 'selector'));
  return range ? { labels, known, range } : { labels, known };
}

const summaries = new WeakMap<DocumentModel, ServiceSummary | null>();

function summarise(doc: DocumentModel): ServiceSummary | null {
  const root = doc.yaml.contents;
  if (!isMap(root) || getString(root, 'kind')?.value !== 'Service') return null;
  const metadata = getMap(root, 'metadata');
  const spec = getMap(root, 'spec');
  const name = getString(metadata, 'name')?.value;
  const namespace = getString(metadata, 'namespace')?.value;
  const type = getString(spec, 'type')?.value;
  const nameRange = getString(metadata, 'name')?.range ?? keyRange(getPair(root, 'kind'));
  return {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    selector: Object.fromEntries(readServiceSelector(spec).labels),
    ports: readServicePorts(spec),
    ...(type !== undefined ? { type } : {}),
    ranges: { object: nodeRange(root), ...(nameRange ? { name: nameRange } : {}) },
  };
}

/**
 * The Services of a file's own top-level documents. A document whose lines name no Service is not
 * parsed for this, and each summary is kept with its document's model, so a keystroke elsewhere
 * costs a scan of the kind lines.
 */
export function servicesInFile(file: FileModel): ServiceSummary[] {
  const out: ServiceSummary[] = [];
  for (const { model, offset } of file.documents) {
    let summary = summaries.get(model);
    if (summary === undefined) {
      summary = topLevelKinds(model.text).includes('Service') ? summarise(model) : null;
      summaries.set(model, summary);
    }
    // the cached summary is shared by every file position its document text takes
    if (summary) out.push(summary.offset === offset ? summary : { ...summary, offset });
  }
  return out;
}

/** The Services that select the pod by its template's labels (and sit in its namespace, where both say). */
export function servicesOf(pod: PodModel, services: readonly ServiceSummary[]): ServiceSummary[] {
  if (services.length === 0) return [];
  const labels = new Map(metaEntries(pod.podMetadata, 'labels').map((e) => [e.key, e.value]));
  const namespace = pod.workloadMetadata
    ? getString(pod.workloadMetadata, 'namespace')?.value
    : getString(pod.podMetadata, 'namespace')?.value;
  return services.filter((s) => {
    const keys = Object.keys(s.selector);
    if (keys.length === 0) return false;
    if (s.namespace !== undefined && namespace !== undefined && s.namespace !== namespace) return false;
    return keys.every((k) => labels.get(k) === s.selector[k]);
  });
}

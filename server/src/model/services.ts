// The Services written beside a pod, as much of them as the pod's rules need: whom they select and
// which ports they send traffic to. Read from the file the pod is in; the workspace-wide set of
// objects builds on the same summary.
import { isMap, isScalar } from 'yaml';
import { topLevelKinds } from './kind-lines';
import type { DocumentModel, FileModel, PodModel, Range } from './types';
import { getMap, getPair, getSeq, getString, keyRange, mapItems, nodeRange } from './yaml-nodes';
import { metaEntries } from './sidecars';

export interface ServiceSummary {
  name?: string;
  namespace?: string;
  /** `spec.selector`; a Service without one selects no pod by labels. */
  selector: Record<string, string>;
  /** Each port's `targetPort` (a number or a container port's name), `port` where it is unset. */
  targetPorts: (number | string)[];
  /** Each entry of `spec.ports` as written, in order (one per entry, also where targetPorts has none). */
  ports?: ServicePortSummary[];
  /** `spec.type` (ClusterIP when unset). */
  type?: string;
  /** Where the Service is written, in offsets of its own document's text. */
  ranges?: { object: Range; name?: Range };
  /** Offset of the Service's document in its file (set by servicesInFile): document offset + this = file offset. */
  offset?: number;
}

/** One `spec.ports` entry of a Service. */
export interface ServicePortSummary {
  name?: string;
  /** The Service's own port; undefined when unset or not a number. */
  port?: number;
  /** `targetPort`, `port` where it is unset (as the API server defaults it); undefined when neither is usable. */
  targetPort?: number | string;
  /** Upper-case; TCP when unset, as the API server defaults it. */
  protocol: string;
  appProtocol?: string;
  /** The entry in its document (document offsets); unset where the summary does not know it. */
  range?: Range;
  /** The `targetPort` value (or `port` where it stands for it) in its document. */
  targetRange?: Range;
}

const summaries = new WeakMap<DocumentModel, ServiceSummary | null>();

function summarise(doc: DocumentModel): ServiceSummary | null {
  const root = doc.yaml.contents;
  if (!isMap(root) || getString(root, 'kind')?.value !== 'Service') return null;
  const metadata = getMap(root, 'metadata');
  const spec = getMap(root, 'spec');
  const selector: Record<string, string> = {};
  for (const item of getMap(spec, 'selector')?.items ?? []) {
    if (isScalar(item.key) && isScalar(item.value) && item.value.value !== null)
      selector[String(item.key.value)] = String(item.value.value);
  }
  const targetPorts: (number | string)[] = [];
  const ports: ServicePortSummary[] = [];
  for (const { node } of mapItems(getSeq(spec, 'ports'))) {
    const target = node.get('targetPort', true) ?? node.get('port', true);
    let targetPort: number | string | undefined;
    if (isScalar(target) && (typeof target.value === 'number' || typeof target.value === 'string')) {
      targetPort = /^\d+$/.test(String(target.value)) ? Number(target.value) : String(target.value);
      targetPorts.push(targetPort);
    }
    const own = node.get('port', true);
    const port = isScalar(own) && /^\d+$/.test(String(own.value)) ? Number(own.value) : undefined;
    const portName = getString(node, 'name')?.value;
    const appProtocol = getString(node, 'appProtocol')?.value;
    ports.push({
      ...(portName !== undefined ? { name: portName } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(targetPort !== undefined ? { targetPort } : {}),
      protocol: (getString(node, 'protocol')?.value ?? 'TCP').toUpperCase(),
      ...(appProtocol !== undefined ? { appProtocol } : {}),
      range: nodeRange(node),
      ...(isScalar(target) ? { targetRange: nodeRange(target) } : {}),
    });
  }
  const name = getString(metadata, 'name')?.value;
  const namespace = getString(metadata, 'namespace')?.value;
  const type = getString(spec, 'type')?.value;
  const nameRange = getString(metadata, 'name')?.range ?? keyRange(getPair(root, 'kind'));
  return {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    selector,
    targetPorts,
    ports,
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

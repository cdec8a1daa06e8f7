// The Services written beside a pod, as much of them as the pod's rules need: whom they select and
// which ports they send traffic to. Read from the file the pod is in; the workspace-wide set of
// objects builds on the same summary.
import { isMap, isScalar } from 'yaml';
import { topLevelKinds } from './kind-lines';
import type { DocumentModel, FileModel, PodModel } from './types';
import { getMap, getSeq, getString, mapItems } from './yaml-nodes';
import { metaEntries } from './sidecars';

export interface ServiceSummary {
  name?: string;
  namespace?: string;
  /** `spec.selector`; a Service without one selects no pod by labels. */
  selector: Record<string, string>;
  /** Each port's `targetPort` (a number or a container port's name), `port` where it is unset. */
  targetPorts: (number | string)[];
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
  for (const { node } of mapItems(getSeq(spec, 'ports'))) {
    const target = node.get('targetPort', true) ?? node.get('port', true);
    if (isScalar(target) && (typeof target.value === 'number' || typeof target.value === 'string'))
      targetPorts.push(/^\d+$/.test(String(target.value)) ? Number(target.value) : String(target.value));
  }
  const name = getString(metadata, 'name')?.value;
  const namespace = getString(metadata, 'namespace')?.value;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    selector,
    targetPorts,
  };
}

/**
 * The Services of a file's own top-level documents. A document whose lines name no Service is not
 * parsed for this, and each summary is kept with its document's model, so a keystroke elsewhere
 * costs a scan of the kind lines.
 */
export function servicesInFile(file: FileModel): ServiceSummary[] {
  const out: ServiceSummary[] = [];
  for (const { model } of file.documents) {
    let summary = summaries.get(model);
    if (summary === undefined) {
      summary = topLevelKinds(model.text).includes('Service') ? summarise(model) : null;
      summaries.set(model, summary);
    }
    if (summary) out.push(summary);
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

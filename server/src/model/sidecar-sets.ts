// OpenKruise SidecarSets (apps.kruise.io/v1alpha1, openkruise/kruise apis/apps/v1alpha1/
// sidecarset_types.go): no pod of their own, but containers, init containers and volumes that
// Kruise's webhook injects into every pod their selector matches. Here they become injected
// ghosts of the pods they select, as an annotation-driven injector's containers are. What is read
// is the SidecarSets of the same file (the editor) or of the files given (the CLI); the
// workspace-wide index can hand its own to sidecarSetInjections.
import { isMap, isScalar } from 'yaml';
import { topLevelKinds } from './kind-lines';
import {
  INJECTORS,
  metaEntries,
  withInjections,
  type GhostContainer,
  type InjectionRequest,
  type MetaEntry,
} from './sidecars';
import type { DocumentModel, FileModel, PodModel } from './types';
import { getBoolean, getInteger, getMap, getSeq, getString, mapItems } from './yaml-nodes';

export interface SidecarSetSummary {
  name: string;
  /** `spec.namespace`: only pods of that namespace. */
  namespace?: string;
  /** `spec.namespaceSelector`: namespaces by their labels or names, which no pod file shows. */
  namespaceSelector: boolean;
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
  /** Whether a selector is written at all: without one Kruise selects no pod. */
  hasSelector: boolean;
  /** `spec.injectionStrategy.paused`: new pods get nothing. */
  paused: boolean;
  ghosts: (GhostContainer & { policy?: 'BeforeAppContainer' | 'AfterAppContainer' })[];
}

const summaries = new WeakMap<DocumentModel, SidecarSetSummary | null>();

function summarise(doc: DocumentModel): SidecarSetSummary | null {
  const root = doc.yaml.contents;
  if (!isMap(root) || getString(root, 'kind')?.value !== 'SidecarSet') return null;
  if (!getString(root, 'apiVersion')?.value.startsWith('apps.kruise.io/')) return null;
  const spec = getMap(root, 'spec');
  const selector = getMap(spec, 'selector');
  const matchLabels: Record<string, string> = {};
  for (const item of getMap(selector, 'matchLabels')?.items ?? []) {
    if (isScalar(item.key) && isScalar(item.value) && item.value.value !== null)
      matchLabels[String(item.key.value)] = String(item.value.value);
  }
  const matchExpressions = mapItems(getSeq(selector, 'matchExpressions')).flatMap(({ node }) => {
    const key = getString(node, 'key')?.value;
    const operator = getString(node, 'operator')?.value;
    if (key === undefined || operator === undefined) return [];
    const values = (getSeq(node, 'values')?.items ?? []).filter(isScalar).map((v) => String(v.value));
    return [{ key, operator, values }];
  });
  const ghosts: SidecarSetSummary['ghosts'] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const { node } of mapItems(getSeq(spec, list))) {
      const name = getString(node, 'name')?.value;
      if (name === undefined) continue;
      const ports = mapItems(getSeq(node, 'ports')).flatMap(({ node: p }) => {
        const n = getInteger(p, 'containerPort')?.value;
        return n === undefined ? [] : [n];
      });
      const native = list === 'initContainers' && getString(node, 'restartPolicy')?.value === 'Always';
      const ghost: SidecarSetSummary['ghosts'][number] = {
        name,
        role: list === 'containers' ? 'regular' : native ? 'sidecar' : 'init',
        ports,
      };
      // not for init containers (sidecarset_types.go, SidecarContainer.PodInjectPolicy); the default is BeforeAppContainer
      if (list === 'containers')
        ghost.policy =
          getString(node, 'podInjectPolicy')?.value === 'AfterAppContainer'
            ? 'AfterAppContainer'
            : 'BeforeAppContainer';
      ghosts.push(ghost);
    }
  }
  const namespace = getString(spec, 'namespace')?.value;
  return {
    name: getString(getMap(root, 'metadata'), 'name')?.value ?? 'unnamed',
    ...(namespace !== undefined ? { namespace } : {}),
    namespaceSelector: getMap(spec, 'namespaceSelector') !== undefined,
    matchLabels,
    matchExpressions,
    hasSelector: selector !== undefined,
    paused: getBoolean(getMap(spec, 'injectionStrategy'), 'paused') === true,
    ghosts,
  };
}

/** The SidecarSets among documents (a file's, or those of a set of files), read once per document model. */
export function sidecarSetsOf(documents: readonly { model: DocumentModel }[]): SidecarSetSummary[] {
  const out: SidecarSetSummary[] = [];
  for (const { model } of documents) {
    let summary = summaries.get(model);
    if (summary === undefined) {
      // only a document whose own kind line says SidecarSet is parsed for it
      summary = topLevelKinds(model.text).includes('SidecarSet') ? summarise(model) : null;
      summaries.set(model, summary);
    }
    if (summary) out.push(summary);
  }
  return out;
}

export function sidecarSetsInFile(file: FileModel): SidecarSetSummary[] {
  return sidecarSetsOf(file.documents);
}

/**
 * The label of the pod that a SidecarSet's selector matches (the first of its matchLabels), or
 * undefined when it does not select the pod. Expressions are judged as the API's LabelSelector:
 * In, NotIn, Exists, DoesNotExist.
 */
function match(set: SidecarSetSummary, pod: PodModel): { matched: MetaEntry | undefined } | undefined {
  if (!set.hasSelector || set.paused) return undefined;
  const labels = metaEntries(pod.podMetadata, 'labels');
  const value = (key: string): string | undefined => labels.find((e) => e.key === key)?.value;
  for (const [key, wanted] of Object.entries(set.matchLabels)) if (value(key) !== wanted) return undefined;
  for (const e of set.matchExpressions) {
    const v = value(e.key);
    const ok =
      e.operator === 'In'
        ? v !== undefined && e.values.includes(v)
        : e.operator === 'NotIn'
          ? v === undefined || !e.values.includes(v)
          : e.operator === 'Exists'
            ? v !== undefined
            : e.operator === 'DoesNotExist'
              ? v === undefined
              : false;
    if (!ok) return undefined;
  }
  if (Object.keys(set.matchLabels).length === 0 && set.matchExpressions.length === 0) return undefined;
  // a namespace the pod's file names must be the SidecarSet's; a pod that names none may be anywhere
  const podNamespace = getString(pod.workloadMetadata ?? pod.podMetadata, 'namespace')?.value;
  if (set.namespace !== undefined && podNamespace !== undefined && podNamespace !== set.namespace) return undefined;
  const first = Object.keys(set.matchLabels)[0] ?? set.matchExpressions[0]?.key;
  return { matched: labels.find((e) => e.key === first) };
}

/**
 * What the SidecarSets `sets` inject into `pod`: one request per SidecarSet that selects it, its
 * trigger the pod's own label that the selector matches (the ghosts point there, in the pod's
 * document, wherever the SidecarSet is written).
 */
export function sidecarSetInjections(pod: PodModel, sets: readonly SidecarSetSummary[]): InjectionRequest[] {
  const out: InjectionRequest[] = [];
  for (const set of sets) {
    const found = match(set, pod);
    if (!found) continue;
    const range = found.matched?.keyRange ?? pod.kindRange;
    const trigger: MetaEntry = found.matched ?? { key: 'kind', value: pod.kind, keyRange: range, valueRange: range };
    // one request per place the containers go: the init containers, and the containers before or
    // after the pod's own (podInjectPolicy), so the diagram and the hovers can say which
    const groups: { title: string; ghosts: GhostContainer[] }[] = [];
    for (const ghost of set.ghosts) {
      const title = ghost.policy ? `SidecarSet ${set.name}, ${ghost.policy}` : `SidecarSet ${set.name}`;
      let group = groups.find((g) => g.title === title);
      if (!group) groups.push((group = { title, ghosts: [] }));
      group.ghosts.push({ name: ghost.name, role: ghost.role, ports: [...ghost.ports] });
    }
    for (const group of groups)
      out.push({
        injector: { ...INJECTORS.kruise, title: group.title },
        trigger,
        triggerField: found.matched ? 'labels' : 'kind',
        ghosts: group.ghosts,
      });
  }
  return out;
}

/** `pod` as the SidecarSets of `sets` make it: a copy that also carries their injections (a cached model is never changed). */
export function withSidecarSets(pod: PodModel, sets: readonly SidecarSetSummary[]): PodModel {
  if (sets.length === 0) return pod;
  const requests = sidecarSetInjections(pod, sets);
  return requests.length === 0 ? pod : withInjections(pod, requests);
}

// OpenKruise SidecarSets (apps.kruise.io/v1alpha1, openkruise/kruise apis/apps/v1alpha1/
// sidecarset_types.go): no pod of their own, but containers, init containers and volumes that
// Kruise's webhook injects into every pod their selector matches. Here they become injected
// ghosts of the pods they select, as an annotation-driven injector's containers are, for the rules,
// the hovers and the diagram. What is read is the SidecarSets of the same file, and those of other
// files that the caller holds (the CLI's files, the editor's workspace index), each placed in its
// file (PlacedSidecarSet) so that a finding can point at the container that the SidecarSet injects.
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
import type { DocumentModel, FileModel, PodModel, Range } from './types';
import {
  getBoolean,
  getInteger,
  getMap,
  getSeq,
  getString,
  keyRange,
  getPair,
  mapItems,
  nodeRange,
} from './yaml-nodes';

/** A container of a SidecarSet, as a ghost of the pods it selects, with where it is written (document offsets). */
export interface SidecarSetGhost extends GhostContainer {
  policy?: 'BeforeAppContainer' | 'AfterAppContainer';
  /** Its name's value. */
  range: Range;
  /** Each port's containerPort, in the order of `ports`. */
  portRanges: Range[];
  /** Each port's name (undefined where it has none), in the order of `ports`: a Service may target it. */
  portNames: (string | undefined)[];
}

export interface SidecarSetSummary {
  name: string;
  /** Its metadata.name's value, else the kind key (document offsets). */
  range: Range;
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
  ghosts: SidecarSetGhost[];
}

/**
 * A SidecarSet where it is written: in another file (`key`, the set member's key: a CLI argument's
 * index, a workspace URI) or, without a key, in the file being checked; `offset` is where its
 * document starts in that file.
 */
export interface PlacedSidecarSet {
  set: SidecarSetSummary;
  offset: number;
  key?: string;
}

/** A SidecarSet of another file than the one checked (its key says which). */
export type SidecarSetElsewhere = PlacedSidecarSet & { key: string };

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
  const ghosts: SidecarSetGhost[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const { node } of mapItems(getSeq(spec, list))) {
      const name = getString(node, 'name');
      if (name === undefined) continue;
      const ports: number[] = [];
      const portRanges: Range[] = [];
      const portNames: (string | undefined)[] = [];
      for (const { node: p } of mapItems(getSeq(node, 'ports'))) {
        const n = getInteger(p, 'containerPort');
        if (n === undefined) continue;
        ports.push(n.value);
        portRanges.push(n.range);
        portNames.push(getString(p, 'name')?.value);
      }
      const native = list === 'initContainers' && getString(node, 'restartPolicy')?.value === 'Always';
      const ghost: SidecarSetGhost = {
        name: name.value,
        role: list === 'containers' ? 'regular' : native ? 'sidecar' : 'init',
        ports,
        range: name.range,
        portRanges,
        portNames,
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
  const name = getString(getMap(root, 'metadata'), 'name');
  return {
    name: name?.value ?? 'unnamed',
    range: name?.range ?? keyRange(getPair(root, 'kind')) ?? nodeRange(root),
    ...(namespace !== undefined ? { namespace } : {}),
    namespaceSelector: getMap(spec, 'namespaceSelector') !== undefined,
    matchLabels,
    matchExpressions,
    hasSelector: selector !== undefined,
    paused: getBoolean(getMap(spec, 'injectionStrategy'), 'paused') === true,
    ghosts,
  };
}

/**
 * The SidecarSets among documents (a file's, or those of a set of files), read once per document
 * model, placed in their file: `key` names it when it is not the file being checked.
 */
export function sidecarSetsOf(documents: readonly { model: DocumentModel; offset: number }[]): PlacedSidecarSet[];
export function sidecarSetsOf(
  documents: readonly { model: DocumentModel; offset: number }[],
  key: string,
): SidecarSetElsewhere[];
export function sidecarSetsOf(
  documents: readonly { model: DocumentModel; offset: number }[],
  key?: string,
): PlacedSidecarSet[] {
  const out: PlacedSidecarSet[] = [];
  for (const { model, offset } of documents) {
    let summary = summaries.get(model);
    if (summary === undefined) {
      // only a document whose own kind line says SidecarSet is parsed for it
      summary = topLevelKinds(model.text).includes('SidecarSet') ? summarise(model) : null;
      summaries.set(model, summary);
    }
    if (summary) out.push(key === undefined ? { set: summary, offset } : { set: summary, offset, key });
  }
  return out;
}

export function sidecarSetsInFile(file: FileModel): PlacedSidecarSet[];
export function sidecarSetsInFile(file: FileModel, key: string): SidecarSetElsewhere[];
export function sidecarSetsInFile(file: FileModel, key?: string): PlacedSidecarSet[] {
  // a Helm template is not YAML until it is rendered: it is not read (as the linter does not)
  if (file.template) return [];
  return key === undefined ? sidecarSetsOf(file.documents) : sidecarSetsOf(file.documents, key);
}

/** The SidecarSets that may inject into the pods of `file`: its own, then those of the files around it. */
export function injectingSidecarSets(
  file: FileModel,
  elsewhere: readonly PlacedSidecarSet[],
): readonly PlacedSidecarSet[] {
  const own = sidecarSetsInFile(file);
  return elsewhere.length === 0 ? own : [...own, ...elsewhere];
}

/** A SidecarSet's own containers, read as a partial pod (model/kinds.ts), are no pod it injects into. */
export function isSidecarSetKind(kind: string): boolean {
  return kind === 'SidecarSet';
}

/**
 * Whether a SidecarSet's selector selects a pod with these labels in `namespace` (undefined: the
 * pod's file names none, so it may be applied anywhere). Expressions are judged as the API's
 * LabelSelector: In, NotIn, Exists, DoesNotExist; an empty selector selects nothing, as Kruise
 * reads it.
 */
export function selectsPod(
  set: SidecarSetSummary,
  labels: ReadonlyMap<string, string>,
  namespace: string | undefined,
): boolean {
  if (!set.hasSelector || set.paused) return false;
  if (Object.keys(set.matchLabels).length === 0 && set.matchExpressions.length === 0) return false;
  for (const [key, wanted] of Object.entries(set.matchLabels)) if (labels.get(key) !== wanted) return false;
  for (const e of set.matchExpressions) {
    const v = labels.get(e.key);
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
    if (!ok) return false;
  }
  // a namespace the pod's file names must be the SidecarSet's; a pod that names none may be anywhere
  return set.namespace === undefined || namespace === undefined || namespace === set.namespace;
}

/** The label of the pod that a SidecarSet's selector matches (the first of its matchLabels), or undefined when it does not select the pod. */
function match(set: SidecarSetSummary, pod: PodModel): { matched: MetaEntry | undefined } | undefined {
  if (isSidecarSetKind(pod.kind)) return undefined;
  const labels = metaEntries(pod.podMetadata, 'labels');
  const namespace = getString(pod.workloadMetadata ?? pod.podMetadata, 'namespace')?.value;
  if (!selectsPod(set, new Map(labels.map((e) => [e.key, e.value])), namespace)) return undefined;
  const first = Object.keys(set.matchLabels)[0] ?? set.matchExpressions[0]?.key;
  return { matched: labels.find((e) => e.key === first) };
}

function shiftRange(r: Range, by: number): Range {
  return { start: r.start + by, end: r.end + by };
}

/**
 * What the SidecarSets `sets` inject into `pod`: one request per SidecarSet that selects it, its
 * trigger the pod's own label that the selector matches (the ghosts point there, in the pod's
 * document, wherever the SidecarSet is written). Each request says where its SidecarSet is
 * (`origin`): in another file, in that file's offsets; in the pod's own file, relative to the
 * pod's document, which starts at `podOffset`, as a rule's ranges are.
 */
export function sidecarSetInjections(
  pod: PodModel,
  sets: readonly PlacedSidecarSet[],
  podOffset = 0,
): InjectionRequest[] {
  const out: InjectionRequest[] = [];
  for (const placed of sets) {
    const { set } = placed;
    const found = match(set, pod);
    if (!found) continue;
    const range = found.matched?.keyRange ?? pod.kindRange;
    const trigger: MetaEntry = found.matched ?? { key: 'kind', value: pod.kind, keyRange: range, valueRange: range };
    const by = placed.key === undefined ? placed.offset - podOffset : placed.offset;
    const origin: NonNullable<InjectionRequest['origin']> = {
      label: `SidecarSet ${set.name}`,
      range: shiftRange(set.range, by),
    };
    if (placed.key !== undefined) origin.key = placed.key;
    // one request per place the containers go: the init containers, and the containers before or
    // after the pod's own (podInjectPolicy), so the diagram and the hovers can say which
    const groups: { title: string; ghosts: GhostContainer[] }[] = [];
    for (const ghost of set.ghosts) {
      const title = ghost.policy ? `SidecarSet ${set.name}, ${ghost.policy}` : `SidecarSet ${set.name}`;
      let group = groups.find((g) => g.title === title);
      if (!group) groups.push((group = { title, ghosts: [] }));
      group.ghosts.push({
        name: ghost.name,
        role: ghost.role,
        ports: [...ghost.ports],
        portNames: [...ghost.portNames],
        written: { range: shiftRange(ghost.range, by), ports: ghost.portRanges.map((r) => shiftRange(r, by)) },
      });
    }
    for (const group of groups)
      out.push({
        injector: { ...INJECTORS.kruise, title: group.title },
        trigger,
        triggerField: found.matched ? 'labels' : 'kind',
        ghosts: group.ghosts,
        origin,
      });
  }
  return out;
}

/**
 * `pod` as the SidecarSets of `sets` make it: a copy that also carries their injections (a cached
 * model is never changed). `podOffset` is where the pod's document starts in its file.
 */
export function withSidecarSets(pod: PodModel, sets: readonly PlacedSidecarSet[], podOffset = 0): PodModel {
  if (sets.length === 0) return pod;
  const requests = sidecarSetInjections(pod, sets, podOffset);
  return requests.length === 0 ? pod : withInjections(pod, requests);
}

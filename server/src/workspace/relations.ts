// The relations between the objects of a set of files: which pods a Service selects and which of
// their ports its ports reach; which ConfigMaps, Secrets, PersistentVolumeClaims and
// ServiceAccounts a pod needs and which keys it reads; which keys a ConfigMap or Secret holds.
// The set rules (service-*, missing-*) read them, and so can the editor's workspace index,
// hovers, definition and completion: one reading of the manifests, plain data, no syntax trees.
//
// API
//   documentFacts(model)      what one document says of the objects in it (document offsets),
//                             cached with the model; null for a document with nothing to relate.
//                             Engine.checkSteps asks for it before it drops a parse, so the set
//                             rules need not parse a file twice.
//   relationsOf(members)      the Relations of a set (SetMember[]), cached by the array: the set
//                             rules of one check share one. A caller that keeps one between
//                             checks (the editor) calls update(members): only changed members
//                             are read again. Its lists are in member key order either way.
//   Relations.objects         every object of the set (SetObject: member key, file offset of its
//                             document, its ObjectFact).
//   Relations.named(kind, namespace, name)   the objects of that kind and name in a namespace.
//   Relations.holdsKind(kind, namespace)     whether the set has any object of that kind there.
//   Relations.podsIn(namespace)              the pods (SetPod) of the namespace.
//   Relations.selectedBy(service)            the pods a Service's selector selects.
//   fileRange(object, range)  a document range of a fact as a file range of its member.
//
// Dependencies (what lets the editor re-check only what a change can affect): a set rule marked
// `tracked` reads the set through these methods only, while it iterates its subjects with
// routingServices() or references(). Each query then records a key of what it read for the member being iterated
// (readsOf), and each member writes keys for what its objects are (writesOf): its kinds and names
// per namespace, its pods' labels. A change of member M can change the findings of M and of every
// member that read a key M wrote before or writes now. track(scope) limits the iterations to the
// members in scope (the others' findings are kept from before). A query outside an iteration
// cannot be attributed: it sets `untracked`, and the caller checks the whole set next time.
//
// Namespaces: an object without metadata.namespace is in namespace '' ("the default one of
// wherever it is applied"), which matches other objects without one. A kustomization's
// `namespace:` is not applied (the set does not know which kustomization a file belongs to):
// objects of one kustomization usually share their missing namespace, so they still meet.
// Kustomize's configMapGenerator and secretGenerator entries count as the ConfigMaps and Secrets
// they generate (kustomize rewrites the references to the hashed names).
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { topLevelApiVersion, topLevelKinds } from '../model/kind-lines';
import { hasPlaceholder } from '../model/placeholders';
import { injectionRequests, metaEntries } from '../model/sidecars';
import { portsKnown } from '../model/ports';
import { readServicePorts, readServiceSelector, type ServicePortSummary } from '../model/services';
import type { ContainerRole, DocumentModel, FileModel, PodModel, Range } from '../model/types';
import { asMap, getMap, getNode, getSeq, getString, mapItems, nodeRange, scalarText } from '../model/yaml-nodes';
import type { SetChange, SetMember } from '../engine/types';
import { selectsPod, sidecarSetsOf, type SidecarSetSummary } from '../model/sidecar-sets';
import type { ObjectRef } from '../model/objects';

export type Path = (string | number)[];

/** A kind a pod refers to by name. */
export type ReferencedKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

/** A container port of a pod, or a port an injected proxy binds (then `injected`). */
export interface PortFact {
  name?: string;
  number?: number;
  /** Upper-case; TCP when unset. */
  protocol: string;
  container: string;
  role: ContainerRole;
  /** The port entry (document offsets); for an injected port, the trigger annotation. */
  range: Range;
  injected?: true;
}

/** A key a pod reads from a ConfigMap or Secret. */
export interface KeyUse {
  key: string;
  /** The key's value (document offsets). */
  range: Range;
  /** From the document root to the key's scalar. */
  path: Path;
}

export interface ReferenceFact {
  kind: ReferencedKind;
  name: string;
  /** The name's value (document offsets). */
  range: Range;
  /** `optional: true`: the pod starts without it. */
  optional: boolean;
  /** How the pod refers to it, for messages: `volume config`, `envFrom`, `env LOG_LEVEL`... */
  via: string;
  keys: KeyUse[];
}

export interface PodFact {
  labels: ReadonlyMap<string, string>;
  /** The template's labels map, or the pod spec when it has none (document offsets). */
  labelsRange: Range;
  /** No placeholder in the labels: whether a selector matches can be said. */
  labelsKnown: boolean;
  /** Ports of regular containers and native sidecars, and of injected proxies. */
  ports: PortFact[];
  /** Every container's ports are in `ports` (none written through aliases or placeholders). */
  portsKnown: boolean;
  /** The meshes injected into the pod by its own labels and annotations. */
  meshes: ('istio' | 'linkerd')[];
  references: ReferenceFact[];
}

/** A Service port as model/services.ts reads it, and where it is from the document root. */
export interface ServicePortFact extends ServicePortSummary {
  /** From the document root to the port's map. */
  path: Path;
}

export interface ServiceFact {
  selector: ReadonlyMap<string, string>;
  /** The `selector` key, else the kind (document offsets). */
  selectorRange: Range;
  selectorKnown: boolean;
  type?: string;
  ports: ServicePortFact[];
}

/** The keys of a ConfigMap's data and binaryData, of a Secret's data and stringData. */
export interface DataFact {
  keys: ReadonlyMap<string, Range>;
  /** Every key could be read (no placeholders, aliases or generator env files). */
  keysKnown: boolean;
  /** Where the data is, for related information (document offsets). */
  range: Range;
}

export interface ObjectFact {
  kind: string;
  apiVersion?: string;
  name?: string;
  /** '' when metadata.namespace is unset. */
  namespace: string;
  /** The name's value, else the kind line (document offsets). */
  range: Range;
  /** From the document root to the object (empty but inside a List). */
  path: Path;
  /** Made by a kustomization's generator rather than written. */
  generated?: true;
  service?: ServiceFact;
  data?: DataFact;
  /** An OpenKruise SidecarSet: containers injected into the pods it selects (model/sidecar-sets.ts). */
  sidecarSet?: SidecarSetSummary;
  pods: PodFact[];
}

export interface DocumentFacts {
  objects: ObjectFact[];
}

/** Kinds whose documents hold something to relate besides pods. */
const RELATED_KINDS = new Set(['Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'ServiceAccount']);
const GENERATOR = /^(configMapGenerator|secretGenerator):/m;

const facts = new WeakMap<DocumentModel, DocumentFacts | null>();

/**
 * What one document says of its objects, cached with its model. A document whose top-level kind
 * lines name nothing to relate is not parsed for it (a CustomResourceDefinition, a Role).
 */
export function documentFacts(model: DocumentModel): DocumentFacts | null {
  let found = facts.get(model);
  if (found !== undefined) return found;
  found = relevant(model) ? readFacts(model) : null;
  facts.set(model, found);
  return found;
}

function relevant(model: DocumentModel): boolean {
  const kinds = topLevelKinds(model.text);
  if (kinds.some((k) => RELATED_KINDS.has(k) || k.endsWith('List'))) return true;
  if (GENERATOR.test(model.text)) return true;
  // a custom resource may be an operator's, which makes pods no manifest shows (see mayMakePods)
  if (kinds.length > 0 && !isBuiltInGroup(groupOf(topLevelApiVersion(model.text)))) return true;
  return model.isPodDocument;
}

/**
 * API groups of Kubernetes itself. An object of another group that is not a known pod kind may be
 * an operator's resource that makes pods of its own (a Prometheus, an Elasticsearch): a Service may
 * select those, which no manifest shows.
 */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling', 'extensions']);

export function groupOf(apiVersion: string | undefined): string {
  const slash = apiVersion?.indexOf('/') ?? -1;
  return slash < 0 ? '' : apiVersion!.slice(0, slash);
}

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group) || group.endsWith('.k8s.io');
}

/**
 * Custom resources that are known to make no pods: tool configuration (a kustomization), and
 * resources that configure monitoring, certificates, secrets or a mesh's routing. Written beside a
 * Service, they must not hide its missing pods.
 */
const NO_PODS_GROUPS = new Set([
  'kustomize.config.k8s.io',
  'cert-manager.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'policy.linkerd.io',
  'external-secrets.io',
  'bitnami.com',
]);
const NO_PODS_KINDS: Record<string, ReadonlySet<string>> = {
  // the Prometheus operator's Prometheus, Alertmanager and ThanosRuler do make pods
  'monitoring.coreos.com': new Set([
    'ServiceMonitor',
    'PodMonitor',
    'PrometheusRule',
    'Probe',
    'ScrapeConfig',
    'AlertmanagerConfig',
  ]),
};

/** A custom resource that is no pod kind we read and not known to make none: it may make pods of its own. */
export function mayMakePods(object: ObjectFact): boolean {
  if (object.pods.length > 0 || object.generated || object.kind.endsWith('List')) return false;
  const group = groupOf(object.apiVersion);
  if (isBuiltInGroup(group) || NO_PODS_GROUPS.has(group)) return false;
  return !NO_PODS_KINDS[group]?.has(object.kind);
}

function readFacts(model: DocumentModel): DocumentFacts | null {
  if (model.syntaxErrors.length > 0) return null;
  const root = model.yaml.contents;
  const objects: ObjectFact[] = [];
  const sidecarSet = sidecarSetsOf([{ model, offset: 0 }])[0]?.set;
  const podsAt = new Map<string, PodFact[]>();
  for (const pod of model.pods) {
    const key = JSON.stringify(pod.objectPath);
    podsAt.set(key, [...(podsAt.get(key) ?? []), podFact(pod)]);
  }
  const visit = (map: YAMLMap, path: Path): void => {
    const object = objectFact(map, path, podsAt.get(JSON.stringify(path)) ?? []);
    // a SidecarSet is the document's root (sidecarSetsOf reads no List)
    if (object && sidecarSet && path.length === 0) object.sidecarSet = sidecarSet;
    if (object) objects.push(object);
    else objects.push(...generated(map, path));
  };
  if (isSeq(root)) {
    // one item of a big List, parsed on its own (see split.ts)
    for (const { node, index } of mapItems(root)) visit(node, [index]);
  } else if (isMap(root)) {
    const kind = getString(root, 'kind')?.value;
    const items = kind?.endsWith('List') ? getSeq(root, 'items') : undefined;
    if (items) for (const { node, index } of mapItems(items)) visit(node, ['items', index]);
    else visit(root, []);
  }
  return objects.length > 0 ? { objects } : null;
}

function objectFact(map: YAMLMap, path: Path, pods: PodFact[]): ObjectFact | undefined {
  const kind = getString(map, 'kind');
  if (!kind) return undefined;
  const metadata = getMap(map, 'metadata');
  const name = getString(metadata, 'name');
  const namespace = getString(metadata, 'namespace')?.value ?? '';
  const apiVersion = getString(map, 'apiVersion')?.value;
  const out: ObjectFact = {
    kind: kind.value,
    namespace,
    range: name?.range ?? kind.range,
    path,
    pods,
  };
  if (apiVersion !== undefined) out.apiVersion = apiVersion;
  if (name !== undefined) out.name = name.value;
  // the core group's kinds only: `kind: Service` of serving.knative.dev is another thing
  const core = apiVersion === 'v1';
  if (core && kind.value === 'Service') out.service = serviceFact(map, kind.range, path);
  if (core && kind.value === 'ConfigMap') out.data = dataFact(map, ['data', 'binaryData'], kind.range);
  if (core && kind.value === 'Secret') out.data = dataFact(map, ['data', 'stringData'], kind.range);
  return out;
}

function serviceFact(map: YAMLMap, kindRange: Range, objectPath: Path): ServiceFact {
  const spec = getMap(map, 'spec');
  const selector = readServiceSelector(spec);
  const type = getString(spec, 'type')?.value;
  return {
    // labels with a placeholder are kept as written: the selector is matched only where it is known
    selector: selector.labels,
    selectorRange: selector.range ?? kindRange,
    selectorKnown: selector.known,
    ...(type !== undefined ? { type } : {}),
    ports: readServicePorts(spec).map((port) => ({ ...port, path: [...objectPath, 'spec', 'ports', port.index] })),
  };
}

function dataFact(map: YAMLMap, fields: readonly string[], kindRange: Range): DataFact {
  const keys = new Map<string, Range>();
  let keysKnown = true;
  let range: Range | undefined;
  for (const field of fields) {
    const node = getNode(map, field);
    if (node === undefined) continue;
    const data = asMap(node);
    if (!data) {
      keysKnown = false;
      continue;
    }
    range ??= nodeRange(data);
    for (const item of data.items) {
      const key = scalarText(item.key);
      if (key === undefined || hasPlaceholder(key)) keysKnown = false;
      else keys.set(key, nodeRange(item.key as never));
    }
  }
  return { keys, keysKnown, range: range ?? kindRange };
}

/** The ConfigMaps and Secrets a kustomization's generators make. */
function generated(map: YAMLMap, path: Path): ObjectFact[] {
  const out: ObjectFact[] = [];
  const namespace = getString(map, 'namespace')?.value ?? '';
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const { node } of mapItems(getSeq(map, field))) {
      const name = getString(node, 'name');
      if (!name) continue;
      const keys = new Map<string, Range>();
      let keysKnown = getNode(node, 'envs') === undefined && getNode(node, 'env') === undefined;
      for (const item of getSeq(node, 'literals')?.items ?? []) {
        const text = scalarText(item);
        const eq = text?.indexOf('=') ?? -1;
        if (text === undefined || eq <= 0) keysKnown = false;
        else keys.set(text.slice(0, eq), nodeRange(item as never));
      }
      for (const item of getSeq(node, 'files')?.items ?? []) {
        const text = scalarText(item);
        if (text === undefined) {
          keysKnown = false;
          continue;
        }
        // `key=path`, else the file's base name
        const eq = text.indexOf('=');
        keys.set(eq > 0 ? text.slice(0, eq) : text.slice(text.lastIndexOf('/') + 1), nodeRange(item as never));
      }
      out.push({
        kind,
        name: name.value,
        namespace: getString(node, 'namespace')?.value ?? namespace,
        range: name.range,
        path,
        generated: true,
        data: { keys, keysKnown, range: nodeRange(node) },
        pods: [],
      });
    }
  }
  return out;
}

function podFact(pod: PodModel): PodFact {
  const entries = metaEntries(pod.podMetadata, 'labels');
  const labelsNode = getMap(pod.podMetadata, 'labels');
  const ports: PortFact[] = [];
  let known = true;
  for (const c of pod.containers) {
    if (c.role !== 'regular' && c.role !== 'sidecar') continue;
    if (!portsKnown(c)) known = false;
    for (const p of c.ports) {
      const port: PortFact = { protocol: p.protocol, container: c.name?.value ?? '', role: c.role, range: p.range };
      if (p.name && p.name.value !== '') port.name = p.name.value;
      if (p.containerPort) port.number = p.containerPort.value;
      ports.push(port);
    }
  }
  const meshes: PodFact['meshes'] = [];
  for (const request of injectionRequests(pod)) {
    if (request.injector.id === 'istio' || request.injector.id === 'linkerd') meshes.push(request.injector.id);
    for (const ghost of request.ghosts) {
      if (ghost.role === 'init') continue;
      for (const number of ghost.ports) {
        ports.push({
          number,
          protocol: 'TCP',
          container: ghost.name,
          role: ghost.role,
          range: request.trigger.keyRange,
          injected: true,
        });
      }
    }
  }
  return {
    labels: new Map(entries.map((e) => [e.key, e.value])),
    labelsRange: labelsNode ? nodeRange(labelsNode) : pod.specRange,
    labelsKnown: !entries.some((e) => hasPlaceholder(e.key) || hasPlaceholder(e.value)),
    ports,
    portsKnown: known,
    meshes,
    references: podReferences(pod),
  };
}

/** `optional: true` as the API server reads it (a boolean). */
function optional(map: YAMLMap | undefined): boolean {
  const node = getNode(map, 'optional');
  return isScalar(node) && node.value === true;
}

function podReferences(pod: PodModel): ReferenceFact[] {
  const out: ReferenceFact[] = [];
  const spec = pod.spec;
  if (!spec) return out;
  const specPath = pod.specPath;
  const add = (
    kind: ReferencedKind,
    holder: YAMLMap | undefined,
    field: string,
    via: string,
    isOptional: boolean,
    keys: KeyUse[] = [],
  ): void => {
    const name = getString(holder, field);
    if (!name || name.value === '' || hasPlaceholder(name.value)) return;
    out.push({ kind, name: name.value, range: name.range, optional: isOptional, via, keys });
  };
  const itemKeys = (source: YAMLMap, path: Path): KeyUse[] =>
    mapItems(getSeq(source, 'items')).flatMap(({ node, index }) => {
      const key = getString(node, 'key');
      return key && !hasPlaceholder(key.value)
        ? [{ key: key.value, range: key.range, path: [...path, 'items', index, 'key'] }]
        : [];
    });

  // `serviceAccount` is the deprecated spelling; `default` exists in every namespace
  const account = getString(spec, 'serviceAccountName') ?? getString(spec, 'serviceAccount');
  if (account && account.value !== 'default') {
    add(
      'ServiceAccount',
      spec,
      getString(spec, 'serviceAccountName') ? 'serviceAccountName' : 'serviceAccount',
      'serviceAccountName',
      false,
    );
  }
  for (const { node } of mapItems(getSeq(spec, 'imagePullSecrets')))
    add('Secret', node, 'name', 'imagePullSecrets', false);

  /** A volume source that names a ConfigMap or Secret and may pick keys of it (`items`). */
  const keyedSource = (
    kind: ReferencedKind,
    source: YAMLMap | undefined,
    field: string,
    via: string,
    path: Path,
  ): void => {
    if (source) add(kind, source, field, via, optional(source), itemKeys(source, path));
  };
  for (const { node: volume, index } of mapItems(getSeq(spec, 'volumes'))) {
    const via = `volume ${getString(volume, 'name')?.value ?? String(index)}`;
    const base: Path = [...specPath, 'volumes', index];
    keyedSource('ConfigMap', getMap(volume, 'configMap'), 'name', via, [...base, 'configMap']);
    keyedSource('Secret', getMap(volume, 'secret'), 'secretName', via, [...base, 'secret']);
    const claim = getMap(volume, 'persistentVolumeClaim');
    if (claim) add('PersistentVolumeClaim', claim, 'claimName', via, false);
    for (const { node: source, index: s } of mapItems(getSeq(getMap(volume, 'projected'), 'sources'))) {
      const sourcePath: Path = [...base, 'projected', 'sources', s];
      keyedSource('ConfigMap', getMap(source, 'configMap'), 'name', via, [...sourcePath, 'configMap']);
      keyedSource('Secret', getMap(source, 'secret'), 'name', via, [...sourcePath, 'secret']);
    }
  }

  for (const c of pod.containers) {
    const cPath: Path = [...specPath, c.list, c.index];
    for (const { node } of mapItems(getSeq(c.node, 'envFrom'))) {
      const cm = getMap(node, 'configMapRef');
      if (cm) add('ConfigMap', cm, 'name', 'envFrom', optional(cm));
      const sec = getMap(node, 'secretRef');
      if (sec) add('Secret', sec, 'name', 'envFrom', optional(sec));
    }
    for (const { node, index } of mapItems(getSeq(c.node, 'env'))) {
      const from = getMap(node, 'valueFrom');
      if (!from) continue;
      const envName = getString(node, 'name')?.value ?? '';
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = getMap(from, field);
        if (!ref) continue;
        const key = getString(ref, 'key');
        const keys =
          key && !hasPlaceholder(key.value)
            ? [{ key: key.value, range: key.range, path: [...cPath, 'env', index, 'valueFrom', field, 'key'] }]
            : [];
        add(kind, ref, 'name', `env ${envName}`, optional(ref), keys);
      }
    }
  }
  return out;
}

/** One object of the set, where it is. */
export interface SetObject {
  /** The member's key. */
  key: string;
  member: SetMember;
  /** The index of its document in the member's file, and that document's file offset. */
  document: number;
  offset: number;
  object: ObjectFact;
  /** Its place among the member's objects (the set's lists are in order of member key, then this). */
  order: number;
}

/** One document's objects in the set, with the keys they write (see the header). */
interface DocumentEntries {
  model: DocumentModel;
  entries: SetObject[];
  writes: ReadonlySet<string>;
}

/** Counts the keys a document writes into its member's (`by` 1 when it is read, -1 when it goes). */
function countWrites(writes: Map<string, number>, document: DocumentEntries, by: 1 | -1): void {
  for (const w of document.writes) count(writes, w, by);
}

/** A pod of the set with the object it belongs to. */
export interface SetPod {
  owner: SetObject;
  pod: PodFact;
}

/** How findings name the object (kind, name, namespace), from its facts. */
export function objectRef(object: SetObject): ObjectRef {
  const { kind, name, namespace } = object.object;
  return { kind, ...(name !== undefined ? { name } : {}), ...(namespace !== '' ? { namespace } : {}) };
}

/** A document range of a fact as a range of its member's file. */
export function fileRange(object: SetObject, range: Range): Range {
  return { start: object.offset + range.start, end: object.offset + range.end };
}

const nsKey = (kind: string, namespace: string): string => `${kind}\u0000${namespace}`;
const labelKey = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}\u0000${value}`;

export class Relations {
  /** Every object of the set, member by member (in the order they were read: an updated one is last). */
  get objects(): readonly SetObject[] {
    this.ordered ??= [...this.documents.values()].flatMap((docs) => docs.flatMap((d) => d.entries));
    return this.ordered;
  }
  private ordered: SetObject[] | undefined;
  /** The members by key. */
  private readonly members = new Map<string, SetMember>();
  private readonly byKind = new Map<string, SetObject[]>();
  private readonly pods = new Map<string, SetPod[]>();
  private readonly byName = new Map<string, SetObject[]>();
  private readonly selected = new Map<SetObject, readonly SetPod[]>();
  /** The pods of each namespace by each of their labels (`namespace, key, value`), for selectors. */
  private readonly byLabel = new Map<string, SetPod[]>();
  /** The SidecarSets of the set (cluster-scoped: one list), under the key ''. */
  private readonly sidecarSets = new Map<string, SetObject[]>();
  /** Per namespace: how many pods have a label written as a placeholder; how many objects may make pods. */
  private readonly unknownLabels = new Map<string, number>();
  private readonly podMakers = new Map<string, number>();
  /**
   * The objects of each member's documents, in file order, with the keys each document writes; the
   * members in the order they were read (one read again is last).
   */
  private readonly documents = new Map<string, DocumentEntries[]>();
  /** The keys each member writes (see the header): what its objects and pods are, each with how many of its documents write it. */
  private readonly writes = new Map<string, Map<string, number>>();
  /** The keys each member's subjects read in this check. */
  private readonly reads = new Map<string, Set<string>>();
  /** The member whose subject is being iterated, whose reads the queries record. */
  private reading: string | undefined;
  private scope: ReadonlySet<string> | undefined;
  /** A query was made outside an iteration of subjects: the reads do not cover everything. */
  untracked = false;
  /** Reads are recorded (a set check's relations; not those the features across objects query). */
  private tracking = false;

  constructor(members: readonly SetMember[] = []) {
    for (const member of members) this.add(member);
  }

  /**
   * Makes this the relations of `members`, reading again only the members whose text is new or
   * gone (the others' objects are kept), and of a member whose text changed only the documents
   * that changed (typing into a big file changes one). Returns the keys of those members and what
   * they wrote before or write now (for SetDependencies: who read any of it may find something
   * else now).
   */
  update(members: readonly SetMember[]): SetChange {
    const changed = new Set<string>();
    const written = new Set<string>();
    const next = new Map(members.map((m) => [m.key, m]));
    const wrote = (key: string): void => {
      for (const w of this.writesOf(key) ?? []) written.add(w);
    };
    for (const key of [...this.members.keys()]) {
      const m = next.get(key);
      // the same text is the same documents (the engine's model cache), whichever FileModel holds them
      if (m && m.file.text === this.members.get(key)!.file.text) continue;
      changed.add(key);
      wrote(key);
      if (m) {
        this.patch(m);
        wrote(key);
      } else this.remove(key);
    }
    for (const m of members) {
      const known = this.members.get(m.key);
      if (!known) {
        changed.add(m.key);
        this.add(m);
        wrote(m.key);
      } else if (known !== m) {
        // the same text in another member (other settings): the entries name the member (missing-key reads its settings)
        this.members.set(m.key, m);
        for (const d of this.documents.get(m.key) ?? []) for (const e of d.entries) e.member = m;
      }
    }
    if (changed.size > 0) this.selected.clear();
    return { changed, written };
  }

  private add(member: SetMember): void {
    this.members.set(member.key, member);
    let order = 0;
    const documents = member.file.documents.map((doc) => {
      const read = this.readDocument(member, doc, order);
      order += read.entries.length;
      return read;
    });
    const writes = new Map<string, number>();
    for (const d of documents) countWrites(writes, d, 1);
    this.writes.set(member.key, writes);
    this.setDocuments(member.key, documents);
  }

  /**
   * A member's new text: the entries of each document whose model is the same (the engine's model
   * cache gives an unchanged document the same one) are kept, moved to its new place in the file;
   * the other documents are read. Kept documents stay in their order (one that moved is read
   * again), so every list of the set stays in member key and object order.
   */
  private patch(member: SetMember): void {
    const key = member.key;
    const before = this.documents.get(key) ?? [];
    const unused = new Map<DocumentModel, number[]>();
    before.forEach((d, i) => {
      const list = unused.get(d.model);
      if (list) list.push(i);
      else unused.set(d.model, [i]);
    });
    let last = -1;
    const kept = new Set<number>();
    const plan = member.file.documents.map((doc) => {
      const candidates = unused.get(doc.model);
      while (candidates && candidates.length > 0 && candidates[0]! < last) candidates.shift();
      const i = candidates?.shift();
      if (i === undefined) return { doc, reuse: undefined };
      last = i;
      kept.add(i);
      return { doc, reuse: before[i]! };
    });
    const writes = this.writes.get(key) ?? new Map<string, number>();
    const dropped = before.filter((_, i) => !kept.has(i));
    for (const d of dropped) countWrites(writes, d, -1);
    this.removeEntries(dropped.flatMap((d) => d.entries));
    // every entry's final place first (the lists are kept sorted by it), then the new ones inserted
    let order = 0;
    const firsts = plan.map(({ doc, reuse }) => {
      const first = order;
      if (reuse) {
        for (const e of reuse.entries) {
          e.member = member;
          e.document = doc.index;
          e.offset = doc.offset;
          e.order = order++;
        }
      } else order += documentFacts(doc.model)?.objects.length ?? 0;
      return first;
    });
    this.members.set(key, member);
    const documents = plan.map(({ doc, reuse }, i) => {
      if (reuse) return reuse;
      const read = this.readDocument(member, doc, firsts[i]!);
      countWrites(writes, read, 1);
      return read;
    });
    this.writes.set(key, writes);
    // the member read again comes last, as one removed and added would
    this.documents.delete(key);
    this.setDocuments(key, documents);
  }

  private setDocuments(key: string, documents: DocumentEntries[]): void {
    this.documents.set(key, documents);
    this.ordered = undefined;
  }

  /** The objects of one document of `member`, numbered from `order`, entered in the set's lists. */
  private readDocument(member: SetMember, doc: FileModel['documents'][number], order: number): DocumentEntries {
    const writes = new Set<string>();
    const entries: SetObject[] = [];
    const found = documentFacts(doc.model);
    for (const object of found?.objects ?? []) {
      const entry: SetObject = {
        key: member.key,
        member,
        document: doc.index,
        offset: doc.offset,
        object,
        order: order + entries.length,
      };
      entries.push(entry);
      const k = nsKey(object.kind, object.namespace);
      insert(this.byKind, k, entry, entry);
      writes.add(`kind\u0000${k}`);
      if (object.name !== undefined) {
        insert(this.byName, `${k}\u0000${object.name}`, entry, entry);
        writes.add(`name\u0000${k}\u0000${object.name}`);
      }
      if (mayMakePods(object)) {
        count(this.podMakers, object.namespace, 1);
        writes.add(`makers\u0000${object.namespace}`);
      }
      if (object.sidecarSet) {
        insert(this.sidecarSets, '', entry, entry);
        writes.add('sidecarsets');
      }
      if (object.pods.length === 0) continue;
      writes.add(`pods\u0000${object.namespace}`);
      for (const pod of object.pods) {
        const setPod = { owner: entry, pod };
        insert(this.pods, object.namespace, setPod, entry);
        if (!pod.labelsKnown) {
          count(this.unknownLabels, object.namespace, 1);
          writes.add(`unknown\u0000${object.namespace}`);
        }
        for (const [k, v] of pod.labels) {
          const l = labelKey(object.namespace, k, v);
          insert(this.byLabel, l, setPod, entry);
          writes.add(`label\u0000${l}`);
        }
      }
    }
    return { model: doc.model, entries, writes };
  }

  private remove(key: string): void {
    this.removeEntries((this.documents.get(key) ?? []).flatMap((d) => d.entries));
    this.members.delete(key);
    this.documents.delete(key);
    this.writes.delete(key);
    this.reads.delete(key);
    this.ordered = undefined;
  }

  /** Takes `entries` out of every list of the set (each list they are in is filtered once). */
  private removeEntries(entries: readonly SetObject[]): void {
    if (entries.length === 0) return;
    const lists = {
      byKind: new Set<string>(),
      byName: new Set<string>(),
      pods: new Set<string>(),
      byLabel: new Set<string>(),
    };
    let sidecarSets = false;
    for (const { object } of entries) {
      const k = nsKey(object.kind, object.namespace);
      lists.byKind.add(k);
      if (object.name !== undefined) lists.byName.add(`${k}\u0000${object.name}`);
      if (mayMakePods(object)) count(this.podMakers, object.namespace, -1);
      if (object.sidecarSet) sidecarSets = true;
      if (object.pods.length === 0) continue;
      lists.pods.add(object.namespace);
      for (const pod of object.pods) {
        if (!pod.labelsKnown) count(this.unknownLabels, object.namespace, -1);
        for (const [lk, v] of pod.labels) lists.byLabel.add(labelKey(object.namespace, lk, v));
      }
    }
    const gone = new Set(entries);
    const kept = (o: SetObject): boolean => !gone.has(o);
    for (const k of lists.byKind) pull(this.byKind, k, kept);
    for (const k of lists.byName) pull(this.byName, k, kept);
    for (const k of lists.pods) pull(this.pods, k, (p) => kept(p.owner));
    for (const k of lists.byLabel) pull(this.byLabel, k, (p) => kept(p.owner));
    if (sidecarSets) pull(this.sidecarSets, '', kept);
    this.ordered = undefined;
  }

  /**
   * Starts a check: the iterations of subjects go over the members in `scope` only (all without
   * one), and the reads are recorded afresh.
   */
  track(scope?: ReadonlySet<string>): void {
    this.tracking = true;
    this.scope = scope;
    this.reads.clear();
    this.untracked = false;
  }

  /** What the subjects of member `key` read in this check (see the header). */
  readsOf(key: string): ReadonlySet<string> | undefined {
    return this.reads.get(key);
  }

  /** What member `key`'s objects are, as keys the reads are compared with (see the header). */
  writesOf(key: string): Iterable<string> | undefined {
    return this.writes.get(key)?.keys();
  }

  private read(what: string): void {
    if (!this.tracking) return;
    if (this.reading === undefined) {
      this.untracked = true;
      return;
    }
    let reads = this.reads.get(this.reading);
    if (!reads) this.reads.set(this.reading, (reads = new Set()));
    reads.add(what);
  }

  /** The objects of `kind` named `name` in `namespace`. */
  named(kind: string, namespace: string, name: string): readonly SetObject[] {
    const k = `${nsKey(kind, namespace)}\u0000${name}`;
    this.read(`name\u0000${k}`);
    return this.byName.get(k) ?? [];
  }

  /** Whether the set holds any object of `kind` in `namespace`. */
  holdsKind(kind: string, namespace: string): boolean {
    return this.ofKind(kind, namespace).length > 0;
  }

  /** The objects of `kind` in `namespace`. */
  ofKind(kind: string, namespace: string): readonly SetObject[] {
    const k = nsKey(kind, namespace);
    this.read(`kind\u0000${k}`);
    return this.byKind.get(k) ?? [];
  }

  /** The pods of `namespace`. */
  podsIn(namespace: string): readonly SetPod[] {
    this.read(`pods\u0000${namespace}`);
    return this.pods.get(namespace) ?? [];
  }

  /** The objects of the members in scope (all without a scope), in the order of `objects`. */
  private *inScope(): Generator<SetObject> {
    const scope = this.scope;
    if (!scope) {
      yield* this.objects;
      return;
    }
    // member by member: a keystroke's scope is a file or two of thousands
    for (const [key, documents] of this.documents) if (scope.has(key)) for (const d of documents) yield* d.entries;
  }

  /** Every reference of every pod of the set (in scope), with the object that holds the pod. */
  *references(): Generator<{ owner: SetObject; ref: ReferenceFact }> {
    try {
      for (const owner of this.inScope()) {
        if (owner.object.pods.length === 0) continue;
        this.reading = owner.key;
        for (const pod of owner.object.pods) for (const ref of pod.references) yield { owner, ref };
      }
    } finally {
      this.reading = undefined;
    }
  }

  /** The Services (in scope) that route to pods (every one but ExternalName), with their facts. */
  *routingServices(): Generator<{ service: SetObject; fact: ServiceFact }> {
    try {
      for (const service of this.inScope()) {
        const fact = service.object.service;
        if (!fact || fact.type === 'ExternalName') continue;
        this.reading = service.key;
        yield { service, fact };
      }
    } finally {
      this.reading = undefined;
    }
  }

  /**
   * The pods a Service selects: every label of its selector on their template (none without a
   * selector). Kept per Service: each Service rule asks. Only the pods that carry the selector's
   * rarest label are looked at: a big set holds thousands of pods and as many Services.
   */
  selectedBy(service: SetObject): readonly SetPod[] {
    let found = this.selected.get(service);
    const fact = service.object.service;
    // the pods that carry all of the selector's labels write each of them
    if (fact) for (const [k, v] of fact.selector) this.read(`label\u0000${labelKey(service.object.namespace, k, v)}`);
    if (found) return found;
    found =
      !fact || fact.selector.size === 0 || !fact.selectorKnown
        ? []
        : this.selecting(service.object.namespace, fact.selector);
    this.selected.set(service, found);
    return found;
  }

  /** The pods of `namespace` whose labels hold every label of a (non-empty) selector. */
  private selecting(namespace: string, selector: ReadonlyMap<string, string>): SetPod[] {
    let fewest: readonly SetPod[] | undefined;
    for (const [k, v] of selector) {
      const carrying = this.byLabel.get(labelKey(namespace, k, v)) ?? [];
      if (!fewest || carrying.length < fewest.length) fewest = carrying;
      if (carrying.length === 0) return [];
    }
    return (fewest ?? []).filter((p) => selects(selector, p.pod.labels));
  }

  /**
   * The ports of the containers that the set's SidecarSets inject into a pod (OpenKruise's webhook
   * adds them to every pod a SidecarSet selects): a Service may target one. Marked `injected`.
   */
  sidecarSetPorts(pod: SetPod): PortFact[] {
    this.read('sidecarsets');
    const out: PortFact[] = [];
    const namespace = pod.owner.object.namespace === '' ? undefined : pod.owner.object.namespace;
    for (const { object } of this.sidecarSets.get('') ?? []) {
      const set = object.sidecarSet!;
      if (!selectsPod(set, pod.pod.labels, namespace)) continue;
      for (const ghost of set.ghosts) {
        if (ghost.role === 'init') continue;
        ghost.ports.forEach((number, i) => {
          const name = ghost.portNames[i];
          out.push({
            number,
            ...(name !== undefined && name !== '' ? { name } : {}),
            protocol: 'TCP',
            container: ghost.name,
            role: ghost.role,
            range: pod.pod.labelsRange,
            injected: true,
          });
        });
      }
    }
    return out;
  }

  /** Whether a pod of the namespace has a label written as a placeholder (it may be any label). */
  unknownLabelsIn(namespace: string): boolean {
    this.read(`unknown\u0000${namespace}`);
    return (this.unknownLabels.get(namespace) ?? 0) > 0;
  }

  /** Whether the namespace holds a custom resource that may make pods of its own (see mayMakePods). */
  mayMakePodsIn(namespace: string): boolean {
    this.read(`makers\u0000${namespace}`);
    return (this.podMakers.get(namespace) ?? 0) > 0;
  }
}

/**
 * Adds `value` (of object `at`) to a list of the set, in order of member key and then of the
 * member's objects: the lists are the same whichever order the members were read in (a set kept
 * between checks reads a changed member last), and so are the findings that name their first ones.
 */
function insert<T extends SetObject | SetPod>(map: Map<string, T[]>, key: string, value: T, at: SetObject): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [value]);
    return;
  }
  const before = (other: T): boolean => {
    const o: SetObject = 'pod' in other ? other.owner : other;
    return o.key < at.key || (o.key === at.key && o.order <= at.order);
  };
  // most often last (members come in key order on a first reading)
  if (before(list[list.length - 1]!)) {
    list.push(value);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function pull<T>(map: Map<string, T[]>, key: string, keep: (value: T) => boolean): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter(keep);
  if (kept.length > 0) map.set(key, kept);
  else map.delete(key);
}

function count(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

export function selects(selector: ReadonlyMap<string, string>, labels: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of selector) if (labels.get(k) !== v) return false;
  return true;
}

const built = new WeakMap<readonly SetMember[], Relations>();

/** Makes `relations` (kept and updated by a caller) the one relationsOf(members) gives. */
export function adoptRelations(members: readonly SetMember[], relations: Relations): void {
  built.set(members, relations);
}

/** The Relations of a set, made once per members array (the set rules of one check share it). */
export function relationsOf(members: readonly SetMember[]): Relations {
  let found = built.get(members);
  if (!found) {
    found = new Relations(members);
    built.set(members, found);
  }
  return found;
}

/** The document of a member a set object is in (parsed again if its parse was dropped), for fixes. */
export function documentOf(object: SetObject): FileModel['documents'][number] | undefined {
  return object.member.file.documents.find((d) => d.index === object.document);
}

import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  getBoolean,
  getInteger,
  getMap,
  getNode,
  getPair,
  getSeq,
  getString,
  keyRange,
  mapItems,
  nodeRange,
} from './yaml-nodes';
import { customPodKind, type AssembledSite } from './kinds';
import { hasPlaceholder } from './placeholders';
import { readSpecPatches } from './spec-patch';
import {
  isPodKind,
  type ContainerListKey,
  type ContainerModel,
  type MountModel,
  type CustomPodTraits,
  type PodKind,
  type PodModel,
  type SchemaPart,
  type SchemaView,
  type PortModel,
  type VolumeModel,
} from './types';

/** Where the pod spec lives, per kind, from the object's root. */
export const SPEC_PATHS: Record<PodKind, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * Custom resources reuse the built-in kind names (OpenKruise's StatefulSet, Volcano's Job); their
 * API group always has a dot, which the built-in groups of pod kinds (core, apps, batch,
 * extensions) never have. Such objects are not ours to check.
 */
function isCustomResource(obj: YAMLMap): boolean {
  return isCustomApiVersion(getString(obj, 'apiVersion')?.value);
}

/** An apiVersion of a custom API group (`example.com/v1`, a group with a dot). */
export function isCustomApiVersion(apiVersion: string | undefined): boolean {
  const slash = apiVersion?.indexOf('/') ?? -1;
  return apiVersion !== undefined && slash > 0 && apiVersion.slice(0, slash).includes('.');
}

/** Finds every pod in a document: the document's own object, or the items of a `kind: List`. */
export function buildPods(root: Node | null | undefined): PodModel[] {
  if (!isMap(root)) return [];
  const kind = getString(root, 'kind')?.value;
  if (!isCustomResource(root) && kind && kind.endsWith('List')) return buildItemPods(getSeq(root, 'items'), ['items']);
  return podsOf(root, []);
}

/**
 * The pods among the items of a List, `items` the sequence (or, for one item of a big List parsed
 * on its own, the document's root: see splitList) and `path` where it is.
 */
export function buildItemPods(items: Node | null | undefined, path: (string | number)[] = []): PodModel[] {
  const pods: PodModel[] = [];
  for (const { node, index } of mapItems(isSeq(items) ? items : undefined))
    pods.push(...podsOf(node, [...path, index]));
  return pods;
}

/** The pods of one object: a built-in pod kind's, or those of a custom resource of the kinds table. */
function podsOf(obj: YAMLMap, objectPath: (string | number)[]): PodModel[] {
  const kind = getString(obj, 'kind')?.value;
  if (!isCustomResource(obj)) {
    if (!isPodKind(kind)) return [];
    const pod = buildPod(obj, kind, objectPath, SPEC_PATHS[kind], { kind, objectPrefix: [], schemaPrefix: [] });
    return pod ? [pod] : [];
  }
  const custom = customPodKind(getString(obj, 'apiVersion')?.value, kind);
  if (!custom || kind === undefined) return [];
  const traits: CustomPodTraits = {
    group: custom.group,
    completes: custom.completes ?? false,
    partial: custom.partial ?? false,
    extraSpecFields: custom.extraSpecFields ?? [],
    optionalContainerFields: custom.optionalContainerFields ?? [],
    stopsSidecars: custom.stopsSidecars ?? false,
    docs: custom.docs,
  };
  if (custom.injects) traits.injects = custom.injects;
  const pods: PodModel[] = [];
  for (const site of custom.sites) {
    for (const holder of expand(obj, site.path)) {
      let pod: PodModel | undefined;
      if (site.shape === 'assembled') {
        pod = buildAssembledPod(obj, kind, objectPath, holder, site);
        if (pod) {
          pod.custom = site.partial ? { ...traits, partial: true } : { ...traits };
          if (site.volumesElsewhere) pod.custom.volumesElsewhere = true;
        }
      } else {
        const schema: SchemaView =
          site.shape === 'pod'
            ? { kind: 'Pod', objectPrefix: holder, schemaPrefix: [] }
            : site.shape === 'spec'
              ? { kind: 'PodTemplate', objectPrefix: holder, schemaPrefix: ['template', 'spec'] }
              : { kind: 'PodTemplate', objectPrefix: holder, schemaPrefix: ['template'] };
        pod = buildPod(obj, kind, objectPath, site.shape === 'spec' ? holder : [...holder, 'spec'], schema);
        if (pod) pod.custom = traits;
      }
      if (pod) pods.push(pod);
    }
  }
  return pods;
}

/**
 * The concrete paths of a site's path under `obj`, `*` taking every key of the map there and `[]`
 * every item of the list there; only paths to maps that exist.
 */
function expand(obj: YAMLMap, path: readonly string[]): (string | number)[][] {
  let found: { node: YAMLMap; path: (string | number)[] }[] = [{ node: obj, path: [] }];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const next: { node: YAMLMap; path: (string | number)[] }[] = [];
    const eachItem = path[i + 1] === '[]';
    for (const { node, path: at } of found) {
      if (eachItem) {
        for (const { node: item, index } of mapItems(getSeq(node, seg)))
          next.push({ node: item, path: [...at, seg, index] });
        continue;
      }
      if (seg !== '*') {
        const child = getMap(node, seg);
        if (child) next.push({ node: child, path: [...at, seg] });
        continue;
      }
      for (const item of node.items) {
        if (isScalar(item.key) && typeof item.key.value === 'string' && isMap(item.value))
          next.push({ node: item.value, path: [...at, item.key.value] });
      }
    }
    found = next;
    if (eachItem) i++;
  }
  return found.map((f) => f.path);
}

/** The node at `path` under `obj` (keys and list indexes), if it is a map. */
function mapAt(obj: YAMLMap | undefined, path: readonly (string | number)[]): YAMLMap | undefined {
  let node: unknown = obj;
  for (const seg of path) {
    if (typeof seg === 'number') node = isSeq(node) ? node.items[seg] : undefined;
    else node = isMap(node) ? getNode(node, seg) : undefined;
    if (node === undefined) return undefined;
  }
  return isMap(node) ? node : undefined;
}

/** The list at `path` under `obj`, if there is one. */
function seqAt(obj: YAMLMap | undefined, path: readonly (string | number)[]): YAMLSeq | undefined {
  const last = path[path.length - 1];
  return typeof last === 'string' ? getSeq(mapAt(obj, path.slice(0, -1)), last) : undefined;
}

/**
 * A pod its controller puts together from the parts of `holder` (an Argo template, a Tekton
 * TaskSpec): no pod when none of its container slots holds a container (an Argo steps template).
 */
function buildAssembledPod(
  obj: YAMLMap,
  kind: string,
  objectPath: (string | number)[],
  holderPath: (string | number)[],
  site: AssembledSite,
): PodModel | undefined {
  const holder = mapAt(obj, holderPath);
  if (!holder) return undefined;
  const parts: SchemaPart[] = [];
  const counts = { containers: 0, initContainers: 0 };
  const containers: ContainerModel[] = [];
  for (const slot of site.containers) {
    const list: ContainerListKey = slot.role === 'regular' ? 'containers' : 'initContainers';
    const found: { node: YAMLMap; at: (string | number)[] }[] = slot.single
      ? [mapAt(holder, slot.path)].filter((n): n is YAMLMap => n !== undefined).map((node) => ({ node, at: [] }))
      : mapItems(seqAt(holder, slot.path)).map(({ node, index }) => ({ node, at: [index] }));
    const shared = slot.sharedMounts
      ? mapItems(seqAt(holder, slot.sharedMounts)).map(({ node: m }) => buildMount(m, 'volumeMounts'))
      : [];
    for (const { node, at } of found) {
      const relative = [...holderPath, ...slot.path, ...at];
      const index = counts[list]++;
      const container = buildContainer(node, list, index, [...objectPath, ...relative], slot.role);
      if (slot.clusterName) container.clusterName = slot.clusterName;
      // tektoncd/pipeline pkg/pod: StepName and SidecarName, `unnamed-<index>` for a container without a name
      else if (slot.namePrefix)
        container.clusterName = slot.namePrefix + (container.name?.value ?? `unnamed-${String(at[0])}`);
      if (slot.roleLabel) container.roleLabel = slot.roleLabel;
      if (!slot.single) container.writtenIn = { list: slot.path.join('.'), index: at[0] as number };
      container.mounts.push(...shared);
      containers.push(container);
      const part: SchemaPart = { objectPath: relative, schemaPath: ['template', 'spec', list, index] };
      if (slot.extraFields) part.extraFields = slot.extraFields;
      if (slot.optionalFields) part.optionalFields = slot.optionalFields;
      parts.push(part);
    }
  }
  if (containers.length === 0) return undefined;
  mirrorMounts(containers, site);
  for (const defaults of site.defaults ?? []) {
    const node = mapAt(holder, defaults.path);
    if (!node) continue;
    const part: SchemaPart = {
      objectPath: [...holderPath, ...defaults.path],
      schemaPath: ['template', 'spec', 'containers', counts.containers++],
      optionalFields: ['*'],
    };
    if (defaults.extraFields) part.extraFields = defaults.extraFields;
    parts.push(part);
  }
  const specPath = [...objectPath, ...holderPath];
  const kindPair = getPair(obj, 'kind');
  const pod: PodModel = {
    kind,
    schema: { kind: 'PodTemplate', objectPrefix: holderPath, schemaPrefix: ['template', 'spec'], parts },
    objectPath,
    specPath,
    kindRange: keyRange(kindPair) ?? nodeRange(obj),
    specRange: nodeRange(holder),
    containers,
    volumes: [],
    spec: holder,
  };
  const apiVersion = getString(obj, 'apiVersion');
  if (apiVersion) pod.apiVersion = apiVersion;
  const name = getString(getMap(obj, 'metadata'), 'name');
  if (name) pod.name = name;
  const podMetadata =
    (site.metadata && mapAt(holder, site.metadata)) ?? (site.podMetadata && mapAt(obj, site.podMetadata));
  if (podMetadata) pod.podMetadata = podMetadata;
  const workloadMetadata = getMap(obj, 'metadata');
  if (workloadMetadata) pod.workloadMetadata = workloadMetadata;
  let volumeCount = 0;
  for (const list of site.volumes ?? []) {
    const base = list.fromRoot ? list.path : [...holderPath, ...list.path];
    for (const { node, index } of mapItems(seqAt(obj, base))) {
      const volume = buildVolume(node, index, [...objectPath, ...base, index]);
      if (list.fromRoot) volume.shared = true;
      pod.volumes.push(volume);
      const part: SchemaPart = {
        objectPath: [...base, index],
        schemaPath: ['template', 'spec', 'volumes', volumeCount++],
      };
      if (list.fromRoot) part.shared = true;
      parts.push(part);
    }
  }
  const patches = (site.specPatches ?? []).flatMap(({ path, fromRoot }) => {
    const at = fromRoot ? path : [...holderPath, ...path];
    const holder = mapAt(obj, at.slice(0, -1));
    const key = at[at.length - 1] as string;
    if (getNode(holder, key) === undefined) return [];
    return [getString(holder, key)?.value];
  });
  const specPatch = readSpecPatches(patches);
  if (specPatch) pod.specPatch = specPatch;
  if (site.claimTemplates) {
    for (const { node, index } of mapItems(seqAt(obj, site.claimTemplates))) {
      const volume: VolumeModel = {
        index,
        node,
        range: nodeRange(node),
        source: 'volumeClaimTemplate',
        path: [...objectPath, ...site.claimTemplates, index],
        shared: true,
      };
      const claimName = getString(getMap(node, 'metadata'), 'name');
      if (claimName) volume.name = claimName;
      pod.volumes.push(volume);
    }
  }
  return pod;
}

/**
 * The mounts each container of a mirroring slot copies from another (Argo's mirrorVolumeMounts:
 * the main container's), when its flag is true and that container is there.
 */
function mirrorMounts(containers: ContainerModel[], site: AssembledSite): void {
  for (const slot of site.containers) {
    const mirror = slot.mirrorsMounts;
    if (!mirror) continue;
    const from = containers.find((c) => (c.clusterName ?? c.name?.value) === mirror.of);
    if (!from) continue;
    const path = slot.path.join('.');
    for (const container of containers) {
      if (container === from || container.writtenIn?.list !== path) continue;
      const flag = getPair(container.node, mirror.flag);
      if (!flag || getBoolean(container.node, mirror.flag) !== true) continue;
      const mounts = from.mounts.filter((m) => m.list === 'volumeMounts');
      container.mirrored = { from, flag: keyRange(flag) ?? container.range, mounts };
    }
  }
}

function buildPod(
  obj: YAMLMap,
  kind: string,
  objectPath: (string | number)[],
  specPath: readonly (string | number)[],
  schema: SchemaView,
): PodModel | undefined {
  let spec: YAMLMap | undefined = obj;
  let parent: YAMLMap | undefined;
  for (const key of specPath) {
    parent = spec;
    spec = mapAt(spec, [key]);
    if (!spec) break;
  }
  // The metadata that applies to the pod: its template's (the map that holds its spec: the object
  // itself for a Pod)
  const templateHolder = specPath.length === 1 ? obj : parent;
  const kindPair = getPair(obj, 'kind');
  const apiVersion = getString(obj, 'apiVersion');
  const name = getString(getMap(obj, 'metadata'), 'name');
  const pod: PodModel = {
    kind,
    schema,
    objectPath,
    specPath: [...objectPath, ...specPath],
    kindRange: keyRange(kindPair) ?? nodeRange(obj),
    specRange: spec ? nodeRange(spec) : (keyRange(kindPair) ?? nodeRange(obj)),
    containers: [],
    volumes: [],
  };
  if (apiVersion) pod.apiVersion = apiVersion;
  if (name) pod.name = name;
  if (spec) pod.spec = spec;
  const podMetadata = getMap(templateHolder, 'metadata');
  if (podMetadata) pod.podMetadata = podMetadata;
  if (templateHolder !== obj) {
    const workloadMetadata = getMap(obj, 'metadata');
    if (workloadMetadata) pod.workloadMetadata = workloadMetadata;
  }
  if (!spec) return pod;

  const lists: ContainerListKey[] = ['initContainers', 'containers', 'ephemeralContainers'];
  for (const list of lists) {
    for (const { node, index } of mapItems(getSeq(spec, list))) {
      pod.containers.push(buildContainer(node, list, index, [...pod.specPath, list, index]));
    }
  }
  for (const { node, index } of mapItems(getSeq(spec, 'volumes'))) {
    pod.volumes.push(buildVolume(node, index, [...pod.specPath, 'volumes', index]));
  }
  if (kind === 'StatefulSet') {
    // Each claim template becomes a volume of the pod, named by the template's metadata.name.
    const claims = getSeq(getMap(obj, 'spec'), 'volumeClaimTemplates');
    for (const { node, index } of mapItems(claims)) {
      const volume: VolumeModel = {
        index,
        node,
        range: nodeRange(node),
        source: 'volumeClaimTemplate',
        path: [...objectPath, 'spec', 'volumeClaimTemplates', index],
      };
      const claimName = getString(getMap(node, 'metadata'), 'name');
      if (claimName) volume.name = claimName;
      pod.volumes.push(volume);
    }
  }
  return pod;
}

function buildContainer(
  node: YAMLMap,
  list: ContainerListKey,
  index: number,
  path: (string | number)[],
  assembledRole?: ContainerModel['role'],
): ContainerModel {
  const restartPolicy = getString(node, 'restartPolicy');
  const role: ContainerModel['role'] =
    assembledRole ??
    (list === 'containers'
      ? 'regular'
      : list === 'ephemeralContainers'
        ? 'ephemeral'
        : restartPolicy?.value === 'Always'
          ? 'sidecar'
          : 'init');
  const container: ContainerModel = {
    role,
    list,
    index,
    ports: mapItems(getSeq(node, 'ports')).map(({ node: p }) => buildPort(p)),
    mounts: [
      ...mapItems(getSeq(node, 'volumeMounts')).map(({ node: m }) => buildMount(m, 'volumeMounts')),
      ...mapItems(getSeq(node, 'volumeDevices')).map(({ node: m }) => buildMount(m, 'volumeDevices')),
    ],
    path,
    node,
    range: nodeRange(node),
  };
  const name = getString(node, 'name');
  if (name) container.name = name;
  const image = getString(node, 'image');
  if (image) container.image = image;
  if (restartPolicy) container.restartPolicy = restartPolicy;
  return container;
}

function buildPort(node: YAMLMap): PortModel {
  const port: PortModel = {
    protocol: (getString(node, 'protocol')?.value ?? 'TCP').toUpperCase(),
    range: nodeRange(node),
  };
  const containerPort = getInteger(node, 'containerPort');
  if (containerPort) port.containerPort = containerPort;
  const hostPort = getInteger(node, 'hostPort');
  if (hostPort) port.hostPort = hostPort;
  const name = getString(node, 'name');
  if (name) port.name = name;
  return port;
}

function buildMount(node: YAMLMap, list: MountModel['list']): MountModel {
  const mount: MountModel = {
    list,
    readOnly: getBoolean(node, 'readOnly') === true,
    range: nodeRange(node),
  };
  if (hasPlaceholder(getString(node, 'readOnly')?.value)) mount.readOnlyPlaceholder = true;
  const name = getString(node, 'name');
  if (name) mount.name = name;
  const path = getString(node, list === 'volumeMounts' ? 'mountPath' : 'devicePath');
  if (path) mount.path = path;
  return mount;
}

function buildVolume(node: YAMLMap, index: number, path: (string | number)[]): VolumeModel {
  const volume: VolumeModel = { index, node, range: nodeRange(node), path };
  const name = getString(node, 'name');
  if (name) volume.name = name;
  for (const item of node.items) {
    const key = isScalar(item.key) ? item.key.value : undefined;
    if (typeof key === 'string' && key !== 'name') {
      volume.source = key;
      break;
    }
  }
  return volume;
}

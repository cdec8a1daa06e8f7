import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import {
  getBoolean,
  getInteger,
  getMap,
  getPair,
  getSeq,
  getString,
  keyRange,
  mapItems,
  nodeRange,
} from './yaml-nodes';
import { customPodKind } from './kinds';
import { hasPlaceholder } from './placeholders';
import {
  isPodKind,
  type ContainerListKey,
  type ContainerModel,
  type MountModel,
  type CustomPodTraits,
  type PodKind,
  type PodModel,
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
    docs: custom.docs,
  };
  const pods: PodModel[] = [];
  for (const site of custom.sites) {
    for (const holder of expand(obj, site.path)) {
      const schema: SchemaView =
        site.shape === 'pod'
          ? { kind: 'Pod', objectPrefix: holder, schemaPrefix: [] }
          : { kind: 'PodTemplate', objectPrefix: holder, schemaPrefix: ['template'] };
      const pod = buildPod(obj, kind, objectPath, [...holder, 'spec'], schema);
      if (pod) {
        pod.custom = traits;
        pods.push(pod);
      }
    }
  }
  return pods;
}

/** The concrete paths of a site's path under `obj`, `*` taking every key of the map there; only paths that exist. */
function expand(obj: YAMLMap, path: readonly string[]): string[][] {
  let found: { node: YAMLMap; path: string[] }[] = [{ node: obj, path: [] }];
  for (const seg of path) {
    const next: { node: YAMLMap; path: string[] }[] = [];
    for (const { node, path: at } of found) {
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
  }
  return found.map((f) => f.path);
}

function buildPod(
  obj: YAMLMap,
  kind: string,
  objectPath: (string | number)[],
  specPath: readonly string[],
  schema: SchemaView,
): PodModel | undefined {
  let spec: YAMLMap | undefined = obj;
  let parent: YAMLMap | undefined;
  for (const key of specPath) {
    parent = spec;
    spec = getMap(spec, key);
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
      pod.containers.push(buildContainer(node, list, index));
    }
  }
  for (const { node, index } of mapItems(getSeq(spec, 'volumes'))) {
    pod.volumes.push(buildVolume(node, index));
  }
  if (kind === 'StatefulSet') {
    // Each claim template becomes a volume of the pod, named by the template's metadata.name.
    const claims = getSeq(getMap(obj, 'spec'), 'volumeClaimTemplates');
    for (const { node, index } of mapItems(claims)) {
      const volume: VolumeModel = { index, node, range: nodeRange(node), source: 'volumeClaimTemplate' };
      const claimName = getString(getMap(node, 'metadata'), 'name');
      if (claimName) volume.name = claimName;
      pod.volumes.push(volume);
    }
  }
  return pod;
}

function buildContainer(node: YAMLMap, list: ContainerListKey, index: number): ContainerModel {
  const restartPolicy = getString(node, 'restartPolicy');
  const role =
    list === 'containers'
      ? 'regular'
      : list === 'ephemeralContainers'
        ? 'ephemeral'
        : restartPolicy?.value === 'Always'
          ? 'sidecar'
          : 'init';
  const container: ContainerModel = {
    role,
    list,
    index,
    ports: mapItems(getSeq(node, 'ports')).map(({ node: p }) => buildPort(p)),
    mounts: [
      ...mapItems(getSeq(node, 'volumeMounts')).map(({ node: m }) => buildMount(m, 'volumeMounts')),
      ...mapItems(getSeq(node, 'volumeDevices')).map(({ node: m }) => buildMount(m, 'volumeDevices')),
    ],
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

function buildVolume(node: YAMLMap, index: number): VolumeModel {
  const volume: VolumeModel = { index, node, range: nodeRange(node) };
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

// A pod spec patch that a controller merges into the pod it builds from what is written: Argo
// Workflows' `podSpecPatch`, a string on the WorkflowSpec (and its templateDefaults) and on each
// template (argo-workflows pkg/apis/workflow/v1alpha1/workflow_types.go: WorkflowSpec.PodSpecPatch
// and Template.PodSpecPatch, "strategic merge patch to apply against the pod spec"). The controller
// applies the WorkflowSpec's and then the template's (workflow/controller/workflowpod.go,
// createWorkflowPod: processPodSpecPatch, then util.ApplyPodSpecPatch), reading each as JSON when
// it starts with `{` and as YAML otherwise (util.ConvertYAMLToJSON), and merging it over the PodSpec
// with strategicpatch.StrategicMergePatch: containers and volumes by name.
//
// The pod as written is then not the whole pod: what a patch sets may be just what a rule would
// call missing. What a readable patch sets to the pod's volumes, its containers' resources and
// their mounts is known (SpecPatch) and the rules that judge those ask (patchSets); a patch that
// cannot be read before Argo fills in its placeholders (one for the whole patch,
// `{{inputs.parameters.patch}}`, or for a list of containers, volumes or mounts), or that sets
// anything else (an image, a probe, a port...), makes the pod a partial one: no field is required
// of it and no rule that needs the whole pod runs on it (isPartialPod). What is inside a patch is
// not checked.
import { isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import type { ContainerModel, PodModel, SpecPatch } from './types';

/**
 * Fields of a pod spec that no rule needing the whole pod reads, or that only place and admit the
 * pod (scheduling, identity, DNS): a patch that sets them leaves what the rules judge as written.
 * Pod-level `resources` is judged by the resources rule, which asks.
 */
const QUIET_POD_FIELDS = new Set([
  'resources',
  'nodeSelector',
  'nodeName',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'schedulerName',
  'priorityClassName',
  'priority',
  'preemptionPolicy',
  'runtimeClassName',
  'overhead',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'imagePullSecrets',
  'securityContext',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'dnsConfig',
  'hostAliases',
  'hostname',
  'subdomain',
  'setHostnameAsFQDN',
  'enableServiceLinks',
  'readinessGates',
]);

/**
 * Fields of a container that no rule needing the whole pod reads; `resources` and the mounts are
 * judged by the rules that ask (resources, unused-volume, sidecar-mount-readonly).
 */
const QUIET_CONTAINER_FIELDS = new Set([
  'name',
  'resources',
  'resizePolicy',
  'volumeMounts',
  'volumeDevices',
  'env',
  'envFrom',
  'securityContext',
  'imagePullPolicy',
  'workingDir',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'tty',
  'stdin',
  'stdinOnce',
]);

/**
 * A patch's text as the map of a PodSpec (fragment) it is, or undefined when it cannot be read as
 * one. Read as YAML, of which JSON is a part, on the syntax tree: only the keys and names this
 * module reads are looked at, and a key that is not a plain scalar (`{{inputs.parameters.patch}}`
 * unquoted is a flow map holding a flow map) makes it unreadable, as it is before Argo fills it in.
 */
function readPatch(text: string): YAMLMap | undefined {
  try {
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
    return doc.contents.items.every((p) => isScalar(p.key)) ? doc.contents : undefined;
  } catch {
    return undefined;
  }
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

/** The `name` of each map of a list (volumes, mounts); false when it is no such list (a placeholder stands there). */
function names(list: unknown, into: Set<string>): boolean {
  if (list === undefined) return true;
  if (!isSeq(list)) return false;
  let read = true;
  for (const item of list.items) {
    const name = isMap(item) ? item.get('name') : undefined;
    if (typeof name === 'string') into.add(name);
    else read = false;
  }
  return read;
}

/**
 * What the patches of a pod set, together (each a string as written; `undefined` for one written
 * as something else, which the controller cannot read either). An empty or blank patch sets
 * nothing, as Argo skips it (Template.HasPodSpecPatch).
 */
export function readSpecPatches(patches: readonly (string | undefined)[]): SpecPatch | undefined {
  const written = patches.filter((p) => p === undefined || p.trim() !== '');
  if (written.length === 0) return undefined;
  let opaque = false;
  const volumes = new Set<string>();
  const mounted = new Set<string>();
  const containers = new Map<string, Set<string>>();
  const fields = new Set<string>();
  for (const text of written) {
    const patch = text === undefined ? undefined : readPatch(text);
    if (!patch) {
      opaque = true;
      continue;
    }
    for (const pair of patch.items) {
      const field = keyOf(pair);
      if (field === 'volumes') {
        if (!names(pair.value, volumes)) opaque = true;
      } else if (field === 'containers' || field === 'initContainers') {
        if (!isSeq(pair.value)) opaque = true;
        for (const c of isSeq(pair.value) ? pair.value.items : []) {
          const name = isMap(c) ? c.get('name') : undefined;
          if (!isMap(c) || typeof name !== 'string') {
            opaque = true;
            continue;
          }
          let set = containers.get(name);
          if (!set) containers.set(name, (set = new Set()));
          for (const item of c.items) {
            const key = keyOf(item);
            if (key !== undefined) set.add(key);
            if (key === undefined || !QUIET_CONTAINER_FIELDS.has(key)) opaque = true;
          }
          if (!names(c.get('volumeMounts'), mounted) || !names(c.get('volumeDevices'), mounted)) opaque = true;
        }
      } else {
        if (field !== undefined) fields.add(field);
        if (field === undefined || !QUIET_POD_FIELDS.has(field)) opaque = true;
      }
    }
  }
  return { opaque, volumes, mounted, containers, fields };
}

/**
 * Whether the pod's spec patch sets `field`: of `container` (by the name the cluster gives it),
 * or of the pod spec itself when no container is given.
 */
export function patchSets(pod: PodModel, field: string, container?: ContainerModel): boolean {
  const patch = pod.specPatch;
  if (!patch) return false;
  if (!container) return patch.fields.has(field);
  const name = container.clusterName ?? container.name?.value;
  return name !== undefined && patch.containers.get(name)?.has(field) === true;
}

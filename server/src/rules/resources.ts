import { containerAnchor, containerLabel } from '../model/describe';
import { columnOf, eolOf, indentBlock, indentUnit, insertPair } from '../fixes/edits';
import { mayHide } from '../model/aliases';
import { patchSets } from '../model/spec-patch';
import type { ContainerModel } from '../model/types';
import { getMap, getNode, getPair, keyRange } from '../model/yaml-nodes';
import { isMap, type YAMLMap } from 'yaml';
import type { Fix, PodRule, TextEditSpec } from '../engine/types';

/**
 * The skeleton's numbers are placeholders (the comment says so): only the author knows what the
 * container needs. A memory limit equal to the request keeps the pod out of the node's overcommit;
 * no CPU limit, which throttles without need.
 */
const PLACEHOLDER = '128Mi # placeholder: what the container needs';
const SKELETON = `requests:\n  memory: ${PLACEHOLDER}\nlimits:\n  memory: ${PLACEHOLDER}`;

function resourcesEdit(text: string, container: ContainerModel): TextEditSpec | undefined {
  const pair = getPair(container.node, 'resources');
  if (!pair) return insertPair(text, container.node, 'resources', { map: SKELETON });
  const value = pair.value;
  const key = keyRange(pair);
  if (isMap(value) && value.flow === true && value.items.length === 0 && value.range && key) {
    // `resources: {}`: the empty flow map becomes the block skeleton under the key
    const eol = eolOf(text);
    const block = indentBlock(SKELETON, columnOf(text, key.start) + indentUnit(text), eol);
    // from just after the colon, so no space is left dangling at the end of the key's line
    const colon = text.lastIndexOf(':', value.range[0]);
    if (colon < key.end) return undefined;
    return { range: { start: colon + 1, end: value.range[1] }, newText: eol + block };
  }
  if (!isMap(value)) return undefined;
  const requests = getMap(value, 'requests');
  if (requests) return insertPair(text, requests, 'memory', { inline: PLACEHOLDER });
  return getPair(value, 'requests')
    ? undefined
    : insertPair(text, value, 'requests', { map: `memory: ${PLACEHOLDER}` });
}

function stepTemplateHasMemory(spec: YAMLMap | undefined): boolean {
  const template = getMap(spec, 'stepTemplate');
  return hasMemory(getMap(template, 'resources')) || hasMemory(getMap(template, 'computeResources'));
}

function hasMemory(resources: YAMLMap | undefined): boolean {
  return ['requests', 'limits'].some((k) => getNode(getMap(resources, k), 'memory') !== undefined);
}

export const resources: PodRule = {
  meta: {
    id: 'resources',
    description:
      "A container with neither a memory request nor a memory limit: the scheduler cannot account for it (a sidecar counts towards the pod's requests for its whole life).",
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    wholePod: true,
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    // pod-level resources (1.32+) cover every container that has none of its own
    if (hasMemory(getMap(pod.spec, 'resources')) || mayHide(pod.spec, 'resources')) return;
    // a spec patch the controller merges in (Argo's podSpecPatch) may set them, as its docs show
    if (patchSets(pod, 'resources')) return;
    for (const container of pod.containers) {
      // ephemeral containers may not have resources
      if (container.role === 'ephemeral' || hasMemory(getMap(container.node, 'resources'))) continue;
      // a Tekton v1 step's or sidecar's resources are computeResources, and a stepTemplate's are
      // merged into every step (tektoncd/pipeline pkg/apis/pipeline/v1/container_types.go)
      const tekton = pod.custom?.injects === 'tekton';
      if (tekton && hasMemory(getMap(container.node, 'computeResources'))) continue;
      if (tekton && container.role === 'init' && stepTemplateHasMemory(pod.spec)) continue;
      if (mayHide(container.node, 'resources') || patchSets(pod, 'resources', container)) continue;
      ctx.report({
        message: `${containerLabel(container)} has no memory request or limit: the scheduler places it blind and it may use memory the node does not have`,
        range: containerAnchor(container),
        fixes: (): Fix[] => {
          // `resources` is no field of a Tekton v1 step: the fix would write what its webhook rejects
          if (tekton) return [];
          const edit = resourcesEdit(ctx.document.text, container);
          // never unattended: the numbers are placeholders to fill in
          return edit ? [{ title: 'Add a memory request and limit (placeholders)', edits: [edit], safe: false }] : [];
        },
      });
    }
  },
};

import { containerAnchor, containerLabel } from '../model/describe';
import { getMap, getNode } from '../model/yaml-nodes';
import type { YAMLMap } from 'yaml';
import type { PodRule } from './types';

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
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    // pod-level resources (1.32+) cover every container that has none of its own
    if (hasMemory(getMap(pod.spec, 'resources'))) return;
    for (const container of pod.containers) {
      // ephemeral containers may not have resources
      if (container.role === 'ephemeral' || hasMemory(getMap(container.node, 'resources'))) continue;
      ctx.report({
        message: `${containerLabel(container)} has no memory request or limit: the scheduler places it blind and it may use memory the node does not have`,
        range: containerAnchor(container),
      });
    }
  },
};

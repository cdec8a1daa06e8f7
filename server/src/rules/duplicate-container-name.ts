import type { Located } from '../model/types';
import type { PodRule } from '../engine/types';

export const duplicateContainerName: PodRule = {
  meta: {
    id: 'duplicate-container-name',
    description: 'A container name used twice across initContainers, containers and ephemeralContainers.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers',
  },
  scope: 'pod',
  check(pod, ctx) {
    const first = new Map<string, { name: Located<string>; list: string }>();
    for (const container of pod.containers) {
      const name = container.name;
      if (!name) continue;
      const seen = first.get(name.value);
      if (!seen) {
        first.set(name.value, { name, list: container.list });
        continue;
      }
      ctx.report({
        message: `container name "${name.value}" is already used in ${seen.list}; names must be unique across all containers of a pod`,
        range: name.range,
        related: [{ range: seen.name.range, message: `first "${name.value}"` }],
      });
    }
  },
};

import type { Range } from '../model/types';
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
    const first = new Map<string, { range: Range; list: string; written?: string }>();
    for (const container of pod.containers) {
      const name = container.name;
      // the name in the cluster: Tekton's step-<name>, the main container Argo calls main
      const effective = container.clusterName ?? name?.value;
      if (effective === undefined) continue;
      const seen = first.get(effective);
      if (!seen) {
        const entry: { range: Range; list: string; written?: string } = {
          range: name?.range ?? container.range,
          list: container.writtenIn?.list ?? container.list,
        };
        if (name) entry.written = name.value;
        first.set(effective, entry);
        continue;
      }
      // the name a controller gives (Tekton's sidecar-<name>, Argo's main) is said with the written one
      const written =
        name && name.value !== effective ? ` (what the ${pod.kind}'s controller names "${name.value}")` : '';
      const given =
        seen.written === effective
          ? ''
          : seen.written === undefined
            ? ` (by the ${pod.kind}'s controller)`
            : ` (by the ${pod.kind}'s controller, for "${seen.written}")`;
      ctx.report({
        message: `container name "${effective}"${written} is already used in ${seen.list}${given}; names must be unique across all containers of a pod`,
        range: name?.range ?? container.range,
        related: [{ range: seen.range, message: `first "${effective}"` }],
      });
    }
  },
};

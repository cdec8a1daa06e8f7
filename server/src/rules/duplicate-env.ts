import { containerLabel } from '../model/describe';
import type { Located } from '../model/types';
import { getSeq, getString, mapItems } from '../model/yaml-nodes';
import type { PodRule } from './types';

export const duplicateEnv: PodRule = {
  meta: {
    id: 'duplicate-env',
    description: 'An env var name set twice in one container: the later one silently wins.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const first = new Map<string, { name: Located<string>; index: number }>();
      for (const { node, index } of mapItems(getSeq(container.node, 'env'))) {
        const name = getString(node, 'name');
        if (!name) continue;
        const seen = first.get(name.value);
        first.set(name.value, { name, index });
        if (!seen) continue;
        ctx.report({
          message: `env var ${name.value} is already set earlier in ${containerLabel(container)}; the later value wins, so the earlier one is dead`,
          range: name.range,
          related: [{ range: seen.name.range, message: `earlier ${name.value}` }],
          data: { name: name.value, earlier: seen.index, later: index },
        });
      }
    }
  },
};

import { containerLabel } from '../model/describe';
import type { Located } from '../model/types';
import { removeSeqItem } from '../fixes/edits';
import { getSeq, getString, mapItems } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

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
      const env = getSeq(container.node, 'env');
      const first = new Map<string, { name: Located<string>; index: number }>();
      for (const { node, index } of mapItems(env)) {
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
          fixes: () => {
            const edit = env && removeSeqItem(ctx.document.text, env, seen.index);
            if (!edit) return [];
            // Entries in between that expand $(NAME) see the earlier value: removing it changes them.
            const between = ctx.document.text.slice(seen.name.range.end, name.range.start);
            const referenced = between.includes(`$(${name.value})`);
            return [{ title: `Remove the earlier ${name.value}`, edits: [edit], safe: !referenced, preferred: true }];
          },
        });
      }
    }
  },
};

import type { Fix, SetRule } from '../engine/types';
import { replaceValueAt } from '../fixes/set-edits';
import { closest } from '../schema/validate';
import { fileRange, objectRef, relationsOf } from '../workspace/relations';

export const missingKey: SetRule = {
  meta: {
    id: 'missing-key',
    description:
      "A configMapKeyRef/secretKeyRef key or a volume's items[].key that the ConfigMap or Secret found in the files does not hold.",
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data',
  },
  scope: 'set',
  tracked: true,
  check(members, ctx) {
    const rel = relationsOf(members);
    for (const { owner, ref } of rel.references()) {
      // optional: true also lets the key be missing (the API's ConfigMapKeySelector.optional)
      if (ref.optional || ref.keys.length === 0) continue;
      const found = rel.named(ref.kind, owner.object.namespace, ref.name);
      // a kustomize patch holds only the keys it changes; a key we could not read may be the one
      if (found.length === 0 || found.some((o) => !o.object.data?.keysKnown || o.member.settings.patchOf !== undefined))
        continue;
      const held = [...new Set(found.flatMap((o) => [...o.object.data!.keys.keys()]))];
      const where = found[0]!;
      for (const use of ref.keys) {
        if (held.includes(use.key)) continue;
        const best = closest(use.key, held) ?? (held.length === 1 ? held[0] : undefined);
        const volume = ref.via.startsWith('volume');
        ctx.report(owner.key, {
          object: objectRef(owner),
          message: `${ref.kind} ${ref.name} holds no key ${use.key}${held.length > 0 ? ` (it holds ${held.slice(0, 8).join(', ')}${held.length > 8 ? ', ...' : ''})` : ' (it holds none)'}: ${volume ? 'the volume cannot be mounted and the pod stays in ContainerCreating' : 'the container fails with CreateContainerConfigError'}`,
          range: fileRange(owner, use.range),
          related: [
            {
              key: where.key,
              range: fileRange(where, where.object.data!.range),
              message: `the keys of ${ref.kind} ${ref.name}`,
            },
          ],
          ...(best !== undefined
            ? {
                fixes: (): Fix[] => {
                  const edit = replaceValueAt(owner, use.path, best);
                  return edit ? [{ title: `Use the key ${best}`, edits: [edit], safe: false, preferred: true }] : [];
                },
              }
            : {}),
        });
      }
    }
  },
};

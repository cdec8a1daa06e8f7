import type { Located } from '../model/types';
import type { PodRule } from '../engine/types';

export const duplicateVolume: PodRule = {
  meta: {
    id: 'duplicate-volume',
    description: 'Two volumes of a pod with one name.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/',
  },
  scope: 'pod',
  check(pod, ctx) {
    // `volumes` and a StatefulSet's `volumeClaimTemplates` are compared each within itself: the
    // API server rejects a duplicate inside either list, while a claim that shares a template
    // volume's name replaces that volume in the controller, which some manifests rely on.
    const first = new Map<string, Located<string>>();
    for (const volume of pod.volumes) {
      const name = volume.name;
      if (!name) continue;
      const key = `${volume.source === 'volumeClaimTemplate' ? 'claim' : 'volume'}:${name.value}`;
      const seen = first.get(key);
      if (!seen) {
        first.set(key, name);
        continue;
      }
      const what = volume.source === 'volumeClaimTemplate' ? 'volume claim template' : 'volume';
      ctx.report({
        message: `${what} name "${name.value}" is already used; volume names must be unique within a pod`,
        range: name.range,
        related: [{ range: seen.range, message: `first "${name.value}"` }],
      });
    }
  },
};

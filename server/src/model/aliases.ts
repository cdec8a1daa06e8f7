import { isAlias, isPair, isScalar, type YAMLMap } from 'yaml';
import { getPair } from './yaml-nodes';

/**
 * Whether a map may hold `key` where the model cannot see it: behind a merge key (`<<: *base`,
 * which Kubernetes' YAML 1.1 decoder applies) or as an alias (`resources: *limits`). A rule that
 * reports the absence of something must not report it then.
 */
export function mayHide(map: YAMLMap | undefined, key: string): boolean {
  if (!map) return false;
  if (isAlias(getPair(map, key)?.value)) return true;
  // with `merge: true` (parse.ts) the parser gives the merge key a symbol value, `<<` otherwise
  return map.items.some(
    (p) => isPair(p) && isScalar(p.key) && (typeof p.key.value === 'symbol' || p.key.value === '<<'),
  );
}

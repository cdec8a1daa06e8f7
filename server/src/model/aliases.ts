import { isAlias, isScalar, type YAMLMap } from 'yaml';
import { hasPlaceholder } from './placeholders';
import { getPair, hasMergeKey } from './yaml-nodes';

/**
 * Whether a map may hold `key` where the model cannot see it: behind a merge key (`<<: *base`,
 * which Kubernetes' YAML 1.1 decoder applies), as an alias (`resources: *limits`), or as a
 * placeholder that a tool fills in with the real value (`volumeMounts: $(params.mounts)`,
 * `resources: ${RESOURCES}`). A rule that reports the absence of something must not report it then.
 */
export function mayHide(map: YAMLMap | undefined, key: string): boolean {
  if (!map) return false;
  const value = getPair(map, key)?.value;
  return isAlias(value) || (isScalar(value) && hasPlaceholder(value.value)) || hasMergeKey(map);
}

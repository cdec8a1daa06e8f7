import { isAlias, type YAMLMap } from 'yaml';
import { getPair, hasMergeKey } from './yaml-nodes';

/**
 * Whether a map may hold `key` where the model cannot see it: behind a merge key (`<<: *base`,
 * which Kubernetes' YAML 1.1 decoder applies) or as an alias (`resources: *limits`). A rule that
 * reports the absence of something must not report it then.
 */
export function mayHide(map: YAMLMap | undefined, key: string): boolean {
  if (!map) return false;
  return isAlias(getPair(map, key)?.value) || hasMergeKey(map);
}

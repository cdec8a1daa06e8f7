import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Located, Range } from './types';

/** Range of a node's value (without trailing comments); empty range at 0 when the node has none. */
export function nodeRange(node: Node | null | undefined): Range {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

/** The text of a scalar that is a string, number or boolean (not null); undefined for anything else. */
export function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  return isSeq(node) ? node : undefined;
}

function keyText(pair: Pair): unknown {
  const k = pair.key;
  return isScalar(k) ? k.value : k;
}

/**
 * The pair of a map whose key is `key`; the last one wins, as in the API server's decoder. Looked
 * for from the end, so the first found is the one (every rule asks for keys this way, much of it
 * before V8 has optimised anything: a plain indexed loop, no iterator).
 */
export function getPair(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (isPair(item) && keyText(item) === key) return item;
  }
  return undefined;
}

export function getNode(map: YAMLMap | undefined, key: string): Node | undefined {
  const v = getPair(map, key)?.value;
  return v === null || v === undefined ? undefined : (v as Node);
}

export function getMap(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  return asMap(getNode(map, key));
}

export function getSeq(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  return asSeq(getNode(map, key));
}

/** A scalar string value (numbers and booleans are given as written, e.g. ports named 8080). */
export function getString(map: YAMLMap | undefined, key: string): Located<string> | undefined {
  const node = getNode(map, key);
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const v = node.value;
  if (typeof v === 'object') return undefined;
  return { value: String(v), range: nodeRange(node) };
}

/** An integer value; strings of digits do not count (the API server rejects them too). */
export function getInteger(map: YAMLMap | undefined, key: string): Located<number> | undefined {
  const node = getNode(map, key);
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) return undefined;
  return { value: node.value, range: nodeRange(node) };
}

export function getBoolean(map: YAMLMap | undefined, key: string): boolean | undefined {
  const node = getNode(map, key);
  return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
}

export function keyRange(pair: Pair | undefined): Range | undefined {
  return pair && isScalar(pair.key) ? nodeRange(pair.key) : undefined;
}

/**
 * Where a map sets `key: true` (a boolean, as the API server reads it; `"true"` is a string), from
 * the key to the end of the value, so a finding marks the whole setting; undefined otherwise.
 */
export function trueFlagRange(map: YAMLMap | undefined, key: string): Range | undefined {
  const pair = getPair(map, key);
  if (!pair || !isScalar(pair.value) || pair.value.value !== true) return undefined;
  const value = nodeRange(pair.value);
  const start = keyRange(pair)?.start;
  return start === undefined ? value : { start, end: value.end };
}

/** Items of a sequence that are maps, with their index; other items (nulls, scalars) are skipped. */
export function mapItems(seq: YAMLSeq | undefined): { node: YAMLMap; index: number }[] {
  if (!seq) return [];
  const out: { node: YAMLMap; index: number }[] = [];
  const items = seq.items;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (isMap(item)) out.push({ node: item, index });
  }
  return out;
}

/**
 * Where a JSON path points in a parsed YAML tree, as the range a person expects to see marked:
 * - target 'key': the key of the last segment (an unknown field);
 * - target 'value': a scalar value itself; for a map or sequence, the key that holds it (or, for a
 *   list item, its first key), so a finding about a whole object marks one line, not a block.
 * When the path does not resolve all the way (null values, missing parents), the deepest part that
 * exists is used.
 */
export function locatePath(
  root: Node | null | undefined,
  path: readonly (string | number)[],
  target: 'key' | 'value',
): Range {
  if (!root) return { start: 0, end: 0 };
  let node: Node = root;
  let holder: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = getPair(node, String(seg));
      if (!pair) return holderRange(node, holder);
      if (last && target === 'key') return keyRange(pair) ?? nodeRange(node);
      const v = pair.value as Node | null;
      if (v === null || v === undefined || (isScalar(v) && v.range === undefined))
        return keyRange(pair) ?? nodeRange(node);
      node = v;
      holder = pair;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] != null) {
      node = node.items[seg] as Node;
      holder = undefined;
    } else {
      return holderRange(node, holder);
    }
  }
  return holderRange(node, holder);
}

function holderRange(node: Node, holder: Pair | undefined): Range {
  if (isScalar(node)) {
    const r = nodeRange(node);
    // an empty plain scalar (`key:` with nothing after it) has no width; mark its key instead
    if (r.end > r.start) return r;
  }
  if (holder) return keyRange(holder) ?? nodeRange(node);
  if (isMap(node)) {
    const first = node.items[0];
    if (first && isPair(first)) return keyRange(first) ?? nodeRange(node);
  }
  // a collection spans many lines: mark its first character only
  const r = nodeRange(node);
  return { start: r.start, end: Math.min(r.end, r.start + 1) };
}

/**
 * Whether a map takes keys from elsewhere through a YAML merge key (`<<: *base`): its own items
 * then do not tell the whole story, and a check that needs all of them must hold back.
 */
export function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((item) => {
    if (!isPair(item) || !isScalar(item.key)) return false;
    const k: unknown = item.key.value;
    return k === '<<' || (typeof k === 'symbol' && k.description === '<<');
  });
}

import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Node } from 'yaml';
import { nodeRange } from './yaml-nodes';
import type { Range } from './types';

/** What sits under a cursor in a parsed YAML tree. */
export interface Cursor {
  /** Path from the document root to the key or value under the cursor. */
  path: (string | number)[];
  /** On a map key (the path's last segment names it) or on a scalar value (or an alias). */
  on: 'key' | 'value';
  /** The characters of that key or scalar. */
  range: Range;
  /** The value at `path`: the key's value when on a key; null when the key has none yet. */
  node: Node | null;
}

const within = (r: Range, offset: number): boolean => r.start <= offset && offset <= r.end;

/**
 * The key or scalar at `offset` (document-relative). A cursor just after a word still counts as on
 * it, as editors place the caret there after typing. Blank space between entries and the dashes
 * of list items are on nothing. Half-typed YAML (null values, missing parents) just gives a shorter
 * path; this never throws on a tree the parser produced.
 */
export function locate(root: Node | null | undefined, offset: number): Cursor | undefined {
  const path: (string | number)[] = [];
  let node: Node | null | undefined = root;
  for (let depth = 0; node && depth < 1000; depth++) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const value = isNode(item.value) ? item.value : null;
        const keyRange = nodeRange(item.key);
        if (within(keyRange, offset) && item.key.range) {
          return { path: [...path, keyText(item.key.value)], on: 'key', range: keyRange, node: value };
        }
        if (value && value.range && within(nodeRange(value), offset)) {
          path.push(keyText(item.key.value));
          next = value;
          break;
        }
      }
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => isNode(item) && within(nodeRange(item), offset));
      if (index < 0) return undefined;
      path.push(index);
      node = node.items[index] as Node;
    } else if (isScalar(node) || isAlias(node)) {
      if (!node.range) return undefined;
      return { path, on: 'value', range: nodeRange(node), node };
    } else {
      return undefined;
    }
  }
  return undefined;
}

function keyText(key: unknown): string {
  return typeof key === 'string' ? key : String(key);
}

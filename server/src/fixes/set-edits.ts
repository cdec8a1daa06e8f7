// Edits of a set rule's quick fix, in file offsets of the member they change. A set rule's facts
// keep no syntax tree (see workspace/relations.ts), so a fix reads its document again, when an
// editor asks for it, and finds the node by its path from the document root.
import { isMap, isScalar } from 'yaml';
import type { TextEditSpec } from '../engine/types';
import { documentOf, type Path, type SetObject } from '../workspace/relations';
import { insertPair, replaceScalar } from './edits';
import { scalarText } from './scalar-text';

function shifted(edit: TextEditSpec | undefined, offset: number): TextEditSpec | undefined {
  return edit && { ...edit, range: { start: edit.range.start + offset, end: edit.range.end + offset } };
}

/** Writes `value` into the scalar at `path` of the object's document, in that scalar's style. */
export function replaceValueAt(object: SetObject, path: Path, value: string | number): TextEditSpec | undefined {
  const doc = documentOf(object);
  const node = doc?.model.yaml.getIn(path, true);
  if (!doc || !isScalar(node)) return undefined;
  const text = typeof value === 'number' ? String(value) : scalarText(node, value);
  return shifted(replaceScalar(node, text), doc.offset);
}

/** Adds `key: inline` as the last pair of the block map at `path` of the object's document. */
export function insertPairAt(object: SetObject, path: Path, key: string, inline: string): TextEditSpec | undefined {
  const doc = documentOf(object);
  const map = doc?.model.yaml.getIn(path, true);
  if (!doc || !isMap(map) || map.flow) return undefined;
  return shifted(insertPair(doc.model.text, map, key, { inline }), doc.offset);
}

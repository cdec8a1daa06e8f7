// Moving a label or annotation between metadata maps, built from the edit primitives.
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import type { DocumentModel, PodModel } from '../model/types';
import { getMap, getPair } from '../model/yaml-nodes';
import type { TextEditSpec } from '../engine/types';
import { insertPair, removePair, replaceScalar } from './edits';

export type MetaField = 'labels' | 'annotations';

/** The entry's `key: value` exactly as written (quotes kept), or undefined if it is not a plain scalar pair. */
function entryText(text: string, pair: Pair): { key: string; value: string } | undefined {
  const k = pair.key;
  const v = pair.value;
  if (!isScalar(k) || !k.range || !isScalar(v) || !v.range) return undefined;
  const value = text.slice(v.range[0], v.range[1]);
  // a block scalar spans lines: not worth moving by hand
  if (value.includes('\n') || value === '') return undefined;
  return { key: text.slice(k.range[0], k.range[1]), value };
}

/**
 * Removes `key` from `metadata.<field>`, dropping the whole field when the entry was its only one
 * (an empty `annotations:` would read as null).
 */
export function removeEntry(text: string, metadata: YAMLMap, field: MetaField, key: string): TextEditSpec | undefined {
  const map = getMap(metadata, field);
  if (!map) return undefined;
  const others = map.items.filter((p) => !(isScalar(p.key) && p.key.value === key));
  return others.length === 0 ? removePair(text, metadata, field) : removePair(text, map, key);
}

/**
 * Adds `key: value` (as written) to `metadata.<field>` of the target: into the map if there is one,
 * creating the field, or the whole `metadata` of `holder` when it writes none (none when it writes
 * an empty one).
 */
export function addEntry(
  text: string,
  target: { metadata: YAMLMap | undefined; holder: YAMLMap | undefined },
  field: MetaField,
  entry: { key: string; value: string },
): TextEditSpec | undefined {
  const line = `${entry.key}: ${entry.value}`;
  if (!target.metadata) {
    // `metadata:` written with no value (or not a map): a second one would be a duplicate key
    if (!target.holder || getPair(target.holder, 'metadata')) return undefined;
    return insertPair(text, target.holder, 'metadata', { map: `${field}:\n  ${line}` });
  }
  const map = getPair(target.metadata, field)?.value;
  if (isMap(map)) return insertPair(text, map, entry.key, { inline: entry.value });
  // `field:` written with no value counts as missing, but a second key would be a duplicate
  if (getPair(target.metadata, field)) return undefined;
  return insertPair(text, target.metadata, field, { map: line });
}

/**
 * Sets `key: value` (as written) in the pod template's `field`: the value replaced where the key is
 * written, the entry added where it is not (creating the field, or the template's metadata).
 */
export function setTemplateEntry(
  doc: DocumentModel,
  pod: PodModel,
  field: MetaField,
  entry: { key: string; value: string },
): TextEditSpec | undefined {
  const written = getPair(getMap(pod.podMetadata, field), entry.key);
  if (written) return isScalar(written.value) ? replaceScalar(written.value, entry.value) : undefined;
  const template = doc.yaml.getIn(pod.specPath.slice(0, -1), true);
  return addEntry(
    doc.text,
    { metadata: pod.podMetadata, holder: isMap(template) ? template : undefined },
    field,
    entry,
  );
}

/** Moves `key` from one metadata map's field to another's: two edits, or none when either is unsure. */
export function moveEntry(
  text: string,
  from: { metadata: YAMLMap; field: MetaField },
  to: { metadata: YAMLMap | undefined; holder: YAMLMap | undefined; field: MetaField },
  key: string,
): TextEditSpec[] | undefined {
  const pair = getPair(getMap(from.metadata, from.field), key);
  const entry = pair && entryText(text, pair);
  if (!entry) return undefined;
  const remove = removeEntry(text, from.metadata, from.field, key);
  const add = addEntry(text, to, to.field, entry);
  if (!remove || !add) return undefined;
  // Both edits in one metadata map must not touch the same text (e.g. the removed pair is the
  // one after which the new field would be inserted).
  const overlap = remove.range.start < add.range.end && add.range.start < remove.range.end;
  const inside = add.range.start > remove.range.start && add.range.start < remove.range.end;
  if (overlap || inside) return undefined;
  // An insertion where the removal starts (the new field goes after the last line of `labels`,
  // which is where the removed `annotations:` begins) comes first: LSP applies edits that start
  // at one place in the order given, and a client that reads the removal first takes the
  // insertion for an overlap (vscode-languageserver-textdocument throws).
  return add.range.start <= remove.range.start ? [add, remove] : [remove, add];
}

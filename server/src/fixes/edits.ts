// Small, careful text edits on block-style YAML, for quick fixes. Each primitive touches only the
// lines it must, keeps the document's own line ending and indentation, and returns undefined
// (no fix offered) where it cannot be sure of the result, e.g. in flow collections (`{...}`,
// `[...]`). Offsets are relative to the text the nodes were parsed from.
import { isCollection, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEditSpec } from '../engine/types';
import { parseDocumentModel } from '../model/parse';
import { splitDocuments } from '../model/split';

/** The document's line ending: CRLF if its first line break is one. */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break ending the line of `offset` (before a CR), or the text's end. */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Offset just after the line break ending the line of `offset`, or the text's end. */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Column of `offset` in its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/**
 * The indentation step the document uses: the smallest indentation of a key line beyond the least
 * indented key lines (column 0 in a document; deeper in an item of a big List, which is parsed on
 * its own), 2 if none.
 */
export function indentUnit(text: string): number {
  const indents = new Set<number>();
  const re = /^( *)[^ \s#-]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) indents.add(m[1]!.length);
  const base = Math.min(...indents);
  let unit = 0;
  for (const n of indents) if (n > base && (unit === 0 || n - base < unit)) unit = n - base;
  return unit > 0 && unit <= 8 ? unit : 2;
}

/**
 * Whether block sequences under a key are indented (`key:\n  - a`) rather than flush with it
 * (`key:\n- a`); judged from the first such sequence in the text, indented when there is none.
 */
export function indentsSequences(text: string): boolean {
  const m = /^( *)[^\s#][^\n]*:[ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)- /m.exec(text);
  return m ? m[2]!.length > m[1]!.length : true;
}

function isFlow(node: unknown): boolean {
  return isCollection(node) && node.flow === true;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const item of map.items) if (isPair(item) && isScalar(item.key) && item.key.value === key) found = item;
  return found;
}

function nodeEnd(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? r[1] : undefined;
}

function keyStart(pair: Pair): number | undefined {
  return isScalar(pair.key) && pair.key.range ? pair.key.range[0] : undefined;
}

/** Where the text of a pair ends: the end of its value, or of its key when it has no value. */
function pairEnd(pair: Pair): number | undefined {
  const v = nodeEnd(pair.value);
  const k = nodeEnd(pair.key);
  return v !== undefined && k !== undefined ? Math.max(v, k) : (v ?? k);
}

/** Column of a block map's keys; undefined for an empty or flow map. */
export function mapIndent(text: string, map: YAMLMap): number | undefined {
  if (isFlow(map)) return undefined;
  const first = map.items.find(isPair);
  const start = first && keyStart(first);
  return start === undefined ? undefined : columnOf(text, start);
}

/** `yaml` at column 0 (lines joined by \n) re-indented to `indent` with the document's line ending. */
export function indentBlock(yaml: string, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  return yaml
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map((l) => (l.length > 0 ? pad + l : l))
    .join(eol);
}

export type InsertValue =
  /** A scalar or flow value written on the key's line, e.g. `true`, `"8080"`, `{}`. */
  | { inline: string }
  /** A block map at column 0 (`a: 1\nb: 2`), indented one step under the key. */
  | { map: string }
  /** A block sequence at column 0 (`- name: x\n  emptyDir: {}`), indented as the document indents sequences. */
  | { seq: string };

function renderPair(text: string, indent: number, key: string, value: InsertValue): string {
  const eol = eolOf(text);
  const pad = ' '.repeat(indent);
  if ('inline' in value) return `${pad}${key}: ${value.inline}${eol}`;
  if ('map' in value) return `${pad}${key}:${eol}${indentBlock(value.map, indent + indentUnit(text), eol)}${eol}`;
  const seqIndent = indent + (indentsSequences(text) ? indentUnit(text) : 0);
  return `${pad}${key}:${eol}${indentBlock(value.seq, seqIndent, eol)}${eol}`;
}

/**
 * Inserts `key: value` as the last pair of a block map, on a line of its own at the map's
 * indentation. Undefined for flow or empty maps (there is no indentation to follow).
 */
export function insertPair(text: string, map: YAMLMap, key: string, value: InsertValue): TextEditSpec | undefined {
  const indent = mapIndent(text, map);
  const last = [...map.items].reverse().find(isPair);
  const end = last && pairEnd(last);
  if (indent === undefined || end === undefined) return undefined;
  return insertLinesAfter(text, end, renderPair(text, indent, key, value));
}

/** Inserts whole `lines` (ending with a line break) at the start of the line after `offset`. */
function insertLinesAfter(text: string, offset: number, lines: string): TextEditSpec {
  // a block collection's range already ends at the start of the next line
  const at = offset > 0 && text[offset - 1] === '\n' ? offset : nextLineStart(text, offset);
  if (at === text.length && text.length > 0 && !text.endsWith('\n')) {
    return { range: { start: at, end: at }, newText: eolOf(text) + lines.replace(/\r?\n$/, '') };
  }
  return { range: { start: at, end: at }, newText: lines };
}

/**
 * Sets `key` to an inline value: replaces the value of an existing scalar pair (or fills an empty
 * one), or inserts a new pair. Undefined when the existing value is a collection or the map is flow.
 */
export function setScalar(text: string, map: YAMLMap, key: string, inline: string): TextEditSpec | undefined {
  if (isFlow(map)) return undefined;
  const pair = pairOf(map, key);
  if (!pair) return insertPair(text, map, key, { inline });
  const value = pair.value;
  if (isScalar(value) && value.range && value.range[1] > value.range[0]) {
    return { range: { start: value.range[0], end: value.range[1] }, newText: inline };
  }
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
    // `key:` with nothing after it (a comment may follow): write the value after the colon
    const kEnd = nodeEnd(pair.key);
    if (kEnd === undefined) return undefined;
    const colon = text.indexOf(':', kEnd);
    if (colon < 0 || colon >= lineEnd(text, kEnd)) return undefined;
    return { range: { start: colon + 1, end: colon + 1 }, newText: ` ${inline}` };
  }
  return undefined;
}

/** Replaces a scalar node's text. */
export function replaceScalar(node: Node | null | undefined, newText: string): TextEditSpec | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return { range: { start: node.range[0], end: node.range[1] }, newText };
}

/**
 * Extends `start` (a line start) upwards over comment lines indented exactly as `column`: the
 * comments a person wrote about the thing being removed go with it.
 */
function withOwnComments(text: string, start: number, column: number): number {
  let s = start;
  while (s > 0) {
    const prev = lineStart(text, s - 1);
    const line = text.slice(prev, s).replace(/\r?\n$/, '');
    const m = /^( *)#/.exec(line);
    if (!m || m[1]!.length !== column) break;
    s = prev;
  }
  return s;
}

/**
 * Removes a pair with its own comment lines. When the pair is the first of a sequence item's map
 * (`- key: v`), the next pair moves up onto the `- ` line; if it is the item's only pair, the
 * item is left empty-handed, so undefined (remove the item instead).
 */
export function removePair(text: string, map: YAMLMap, key: string): TextEditSpec | undefined {
  if (isFlow(map)) return undefined;
  const pair = pairOf(map, key);
  const start = pair && keyStart(pair);
  const end = pair && pairEnd(pair);
  if (!pair || start === undefined || end === undefined) return undefined;
  const ls = lineStart(text, start);
  const onDashLine = /^\s*-\s+$/.test(text.slice(ls, start));
  if (onDashLine) {
    const pairs = map.items.filter(isPair);
    const next = pairs[pairs.indexOf(pair) + 1];
    const nextStart = next && keyStart(next);
    if (nextStart === undefined) return undefined;
    return { range: { start, end: nextStart }, newText: '' };
  }
  const from = withOwnComments(text, ls, columnOf(text, start));
  const to = end > 0 && text[end - 1] === '\n' ? end : nextLineStart(text, end);
  return { range: { start: from, end: to }, newText: '' };
}

/** Removes the `index`th item of a block sequence, whole lines, with its own comment lines. */
export function removeSeqItem(text: string, seq: YAMLSeq, index: number): TextEditSpec | undefined {
  if (isFlow(seq)) return undefined;
  const item = seq.items[index] as Node | null | undefined;
  const r = item?.range;
  if (!r) return undefined;
  // the item's own range starts after `- `; the dash is the last one before it on its line
  const ls = lineStart(text, r[0]);
  const dash = text.lastIndexOf('-', r[0]);
  if (dash < ls) return undefined;
  const from = withOwnComments(text, ls, columnOf(text, dash));
  const next = seq.items[index + 1] as Node | null | undefined;
  let to: number;
  if (next?.range) to = lineStart(text, text.lastIndexOf('-', next.range[0]));
  else to = r[1] > 0 && text[r[1] - 1] === '\n' ? r[1] : nextLineStart(text, r[1]);
  return { range: { start: from, end: to }, newText: '' };
}

/** Appends an item (block YAML at column 0, without the dash) to a block sequence. */
export function appendSeqItem(text: string, seq: YAMLSeq, item: string): TextEditSpec | undefined {
  if (isFlow(seq)) return undefined;
  const first = seq.items[0] as Node | null | undefined;
  const last = seq.items[seq.items.length - 1] as Node | null | undefined;
  if (!first?.range || !last?.range) return undefined;
  const dash = text.lastIndexOf('-', first.range[0]);
  if (dash < lineStart(text, first.range[0])) return undefined;
  const column = columnOf(text, dash);
  const eol = eolOf(text);
  const lines = indentBlock(item, 2, eol).replace(/^ {2}/, '- ');
  return insertLinesAfter(text, last.range[1], indentBlock(lines, column, eol) + eol);
}

export function isBlockSeq(node: unknown): node is YAMLSeq {
  return isSeq(node) && !isFlow(node);
}

/**
 * Whether `after` has no more YAML errors than `before`: the one check that a fix does not break
 * the document, with the parse options the model uses. Only the documents an edit changed are
 * parsed again, so checking a fix costs what the touched document costs, not the whole file.
 */
export function keepsYamlValid(before: string, after: string): boolean {
  const oldDocs = splitDocuments(before).map((c) => c.text);
  const newDocs = splitDocuments(after).map((c) => c.text);
  const oldSet = new Set(oldDocs);
  const newSet = new Set(newDocs);
  const errors = (docs: string[], other: Set<string>): number =>
    docs.filter((d) => !other.has(d)).reduce((n, d) => n + parseDocumentModel(d).yaml.errors.length, 0);
  return errors(newDocs, oldSet) <= errors(oldDocs, newSet);
}

/** Applies non-overlapping edits to a text (for tests and the CLI). */
export function applyEdits(text: string, edits: readonly TextEditSpec[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.range.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    limit = e.range.start;
  }
  return out;
}

// Text surgery on block-style YAML, for quick fixes that move or remove whole entries. A fix edits
// the user's text, never re-serialises the tree: comments, quoting, key order and indentation of
// everything the fix does not touch stay byte for byte as written. Each primitive declines
// (returns undefined) when the text is not in the plain block shape it understands: a fix that is
// not offered is better than one that damages the document.
import { isAlias, isMap, isNode, isScalar, isSeq, visit, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Range } from '../model/types';
import { eolOf, lineStart } from './edits';

/** Offset just past the line break of the line holding `offset` (text length on the last line). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** The line holding `offset`, without its line break. */
function lineAt(text: string, offset: number): { start: number; content: string } {
  const start = lineStart(text, offset);
  const next = nextLineStart(text, offset);
  return { start, content: text.slice(start, next).replace(/\r?\n$/, '') };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/** Column of `offset`, provided only spaces precede it on its line (so it starts a block line). */
function leadingColumn(text: string, offset: number): number | undefined {
  const start = lineStart(text, offset);
  return /^ *$/.test(text.slice(start, offset)) ? offset - start : undefined;
}

/** Offset of the last non-blank character before `end`, plus one. */
function contentEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

/**
 * Whole lines of one block entry: the comment lines directly above it at its own column (they
 * describe it), its own lines, and the comment lines below its last line that are indented deeper
 * than it (they sit inside it). A blank line ends the comments either way.
 */
export interface LineBlock {
  /** Start of the first line. */
  start: number;
  /** Just past the line break of the last line (or the end of the text). */
  end: number;
  /** Column of the entry's indicator: the `-` of a list item, or the first character of a key. */
  column: number;
}

function lineBlock(text: string, anchor: number, column: number, valueEnd: number): LineBlock | undefined {
  let start = lineStart(text, anchor);
  while (start > 0) {
    const above = lineAt(text, start - 1);
    if (!isCommentLine(above.content) || indentOf(above.content) !== column) break;
    start = above.start;
  }
  const last = contentEnd(text, valueEnd);
  if (last <= anchor) return undefined;
  let end = nextLineStart(text, last - 1);
  // What follows the entry on its last line must be nothing or a comment.
  const tail = text.slice(last, end).trim();
  if (tail !== '' && !tail.startsWith('#')) return undefined;
  while (end < text.length) {
    const below = lineAt(text, end);
    if (!isCommentLine(below.content) || indentOf(below.content) <= column) break;
    end = nextLineStart(text, end);
  }
  return { start, end, column };
}

/** A block-style map that is an item of a block-style list, with the list item's lines. */
export interface SeqItemBlock extends LineBlock {
  map: YAMLMap;
}

export function seqItemBlock(text: string, seq: YAMLSeq, index: number): SeqItemBlock | undefined {
  if (seq.flow) return undefined;
  const map = seq.items[index];
  if (!isMap(map) || map.flow || !map.range) return undefined;
  const first = map.range[0];
  // The `- ` indicator sits on the map's first line, right before its first key.
  let dash = first - 1;
  while (dash >= 0 && text[dash] === ' ') dash--;
  if (dash < 0 || text[dash] !== '-') return undefined;
  const column = leadingColumn(text, dash);
  if (column === undefined) return undefined;
  const block = lineBlock(text, dash, column, map.range[1]);
  if (!block) return undefined;
  return { ...block, map };
}

/** A key/value pair of a block map with its lines (the key starts its line). */
export function pairBlock(text: string, pair: Pair): LineBlock | undefined {
  const key = pair.key;
  if (!isScalar(key) || !key.range) return undefined;
  const column = leadingColumn(text, key.range[0]);
  if (column === undefined) return undefined;
  const value = pair.value;
  const valueEnd = isNode(value) ? (value.range?.[1] ?? key.range[1]) : key.range[1];
  return lineBlock(text, key.range[0], column, Math.max(valueEnd, key.range[1]));
}

/**
 * Shifts every line of a block by `delta` columns (negative: to the left). Blank lines lose what
 * spaces they have; a non-blank line without enough indentation to lose makes the shift impossible.
 */
export function reindent(block: string, delta: number): string | undefined {
  if (delta === 0) return block;
  const lines = block.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      out.push(delta > 0 || i === lines.length - 1 ? line : line.slice(Math.min(indentOf(line), -delta)));
      continue;
    }
    if (delta > 0) out.push(' '.repeat(delta) + line);
    else if (indentOf(line) >= -delta) out.push(line.slice(-delta));
    else return undefined;
  }
  return out.join('\n');
}

/** Removes a line block; a block that ends the text without a line break takes the break before it. */
export function deleteBlock(text: string, block: LineBlock): Range {
  if (block.end === text.length && !text.endsWith('\n') && block.start > 0) {
    const breakLength = text[block.start - 2] === '\r' ? 2 : 1;
    return { start: block.start - breakLength, end: block.end };
  }
  return { start: block.start, end: block.end };
}

/**
 * Lines to insert at `at` (a line start, or the text end): ends them with a break, or, at the end
 * of a text without a final break, starts them with one.
 */
export function linesAt(text: string, at: number, lines: string): string {
  const eol = eolOf(text);
  const body = lines.endsWith(eol) ? lines.slice(0, -eol.length) : lines;
  if (at === text.length && text.length > 0 && !text.endsWith('\n')) return eol + body;
  return body + eol;
}

/** The text of a block as whole lines ending with the document's line break. */
export function blockText(text: string, block: LineBlock): string {
  const slice = text.slice(block.start, block.end);
  const eol = eolOf(text);
  return slice.endsWith('\n') ? slice : slice + eol;
}

/**
 * Whether text moved or removed from here could break a reference: an anchor (`&a`) that an alias
 * elsewhere may use, or, when `aliases` is set, an alias (`*a`) that must stay after its anchor.
 */
export function holdsReferences(nodes: unknown[], aliases: boolean): boolean {
  let found = false;
  for (const node of nodes)
    if (isNode(node))
      visit(node, (_key, n) => {
        if ((aliases && isAlias(n)) || ((isScalar(n) || isMap(n) || isSeq(n)) && n.anchor)) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      });
  return found;
}

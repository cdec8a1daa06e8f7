// Where in the YAML structure the cursor is, read from the text and its indentation alone.
//
// Completion runs while a line is half typed (`    - flu`, `      imag`), where the parser gives up
// or builds a tree that no longer matches what the person means. Indentation still says it: the
// cursor's column, and the first lines above it that are less indented, are its parents. So this
// reads lines upwards from the cursor (work bounded by the depth of the position, not by the file)
// and never needs a parse.
import { LineIndex } from './line-index';

export type PathSegment = string | number;

export interface CursorContext {
  /**
   * Path from the document root to the collection the cursor is in; a list item is its index.
   * For `kind: 'item'` the path of the list; otherwise of the map whose key or value is typed.
   */
  path: PathSegment[];
  /**
   * - 'key': a key of the map at `path` (an empty line, or a word without a colon yet);
   * - 'value': the value of `key` in the map at `path`;
   * - 'item': a new item of the list at `path`, no dash typed yet.
   */
  kind: 'key' | 'value' | 'item';
  key?: string;
  /**
   * The cursor line starts a new list item (`- ` typed): `path` then ends with the new item's
   * index, and `dashColumn` is the dash's column.
   */
  dashColumn?: number;
  /** A lone `-` without its space was typed: insertions replace it and bring their own. */
  bareDash: boolean;
  /** What has been typed of the word being completed, and where it starts (offset into the text). */
  prefix: string;
  start: number;
  /** Column of the keys of the map at `path` (or of the list's dashes for 'item'). */
  column: number;
  /** Keys already in the map at `path`, above and below the cursor. */
  siblings: Set<string>;
  /** The cursor is on the first line under its parent key (`containers:` then the cursor). */
  firstUnderParent: boolean;
}

interface Line {
  indent: number;
  /** Column of a leading `- ` (or of a lone `-` ending the line). */
  dash?: number;
  /** Column where the content after indentation and dash starts. */
  content: number;
  key?: string;
  /** Text after `key:`, trimmed. */
  value?: string;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s#"'{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+|$)(.*)$/;

function readLine(text: string): Line | undefined {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i === text.length || text[i] === '#' || text[i] === '\r') return undefined;
  const line: Line = { indent: i, content: i };
  if (text[i] === '-' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\r')) {
    line.dash = i;
    i++;
    while (i < text.length && text[i] === ' ') i++;
    line.content = i;
  }
  const m = KEY.exec(text.slice(line.content).replace(/\r$/, ''));
  if (m) {
    line.key = unquote(m[1]!);
    line.value = m[2]!.replace(/(^|[ \t]+)#.*$/, '').trim();
  }
  return line;
}

function unquote(key: string): string {
  return (key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))
    ? key.slice(1, -1)
    : key;
}

/**
 * The structural position of `offset` in one YAML document's `text`; undefined where nothing can
 * be completed (a comment, a quoted string, a flow collection, a block scalar, text that does not
 * nest as YAML).
 */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lines = new Lines(text);
  const lineIndex = lines.indexAt(offset);
  const lineStart = lines.start(lineIndex);
  const before = text.slice(lineStart, offset);

  // the cursor line up to the cursor: indentation, an optional dash, what is typed
  // (a lone CR, U+2028 or U+2029 ends a line for the editor but not for `.`: no completion there)
  if (/[\r\u2028\u2029]/.test(before)) return undefined;
  const m = /^([ \t]*)(?:(-)( +|$))?(.*)$/.exec(before);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const dashColumn = m[2] ? indent : undefined;
  const bareDash = m[2] !== undefined && m[3] === '';
  const rest = m[4]!;
  if (/[#[\]{}"'&*!|>]/.test(rest) || rest.startsWith('---')) return undefined;

  let kind: CursorContext['kind'] = 'key';
  let key: string | undefined;
  let prefix = rest;
  const keyed = /^([^:]+?)[ \t]*:[ \t]+(.*)$/.exec(rest);
  if (keyed) {
    kind = 'value';
    key = keyed[1]!;
    prefix = keyed[2]!;
  } else if (/[:\s]/.test(rest)) {
    return undefined; // the cursor on a key's colon, or after two words: nothing to offer
  }
  const start = bareDash ? lineStart + indent : offset - prefix.length;

  if (dashColumn !== undefined) {
    // a new item: the walk starts at the list (the dash's column); the item's map is one deeper
    const up = walkUp(lines, lineIndex, dashColumn, true);
    if (!up) return undefined;
    const context: CursorContext = {
      path: [...up.path, up.items],
      kind,
      dashColumn,
      bareDash,
      prefix,
      start,
      column: indent + 2,
      siblings: new Set(),
      firstUnderParent: false,
    };
    if (key !== undefined) context.key = key;
    return context;
  }
  const up = walkUp(lines, lineIndex, indent, false);
  if (!up) return undefined;
  collectBelow(lines, lineIndex, indent, up.siblings);
  // dashes at the cursor's column and no keys: the cursor is at a list's item position
  const isItem = kind === 'key' && up.items > 0 && up.siblings.size === 0;
  const context: CursorContext = {
    path: up.path,
    kind: isItem ? 'item' : kind,
    bareDash: false,
    prefix,
    start,
    column: indent,
    siblings: up.siblings,
    firstUnderParent: up.empty && up.siblings.size === 0,
  };
  if (key !== undefined) context.key = key;
  return context;
}

/** The lines of a text, each read on demand and at most once. */
class Lines {
  private readonly index: LineIndex;
  private readonly read = new Map<number, Line | undefined>();

  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
  }

  private get starts(): readonly number[] {
    return this.index.starts;
  }

  get count(): number {
    return this.starts.length;
  }

  start(index: number): number {
    return this.starts[index]!;
  }

  /** The line holding `offset` (binary search: the text may be long). */
  indexAt(offset: number): number {
    return this.index.lineAt(offset);
  }

  /**
   * The line's indentation without reading the rest (-1 for a blank or comment line): lines more
   * indented than the position in question are skipped at this price, which keeps a long list
   * (thousands of env entries) cheap to walk past.
   */
  indentOf(index: number): number {
    const end = index + 1 < this.starts.length ? this.starts[index + 1]! - 1 : this.text.length;
    let i = this.starts[index]!;
    while (i < end && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    return i === end || this.text[i] === '#' || this.text[i] === '\r' ? -1 : i - this.starts[index]!;
  }

  /** The line's structure; undefined for blank and comment lines. */
  at(index: number): Line | undefined {
    if (!this.read.has(index)) {
      const end = index + 1 < this.starts.length ? this.starts[index + 1]! - 1 : this.text.length;
      this.read.set(index, readLine(this.text.slice(this.starts[index]!, end)));
    }
    return this.read.get(index);
  }
}

interface Walk {
  path: PathSegment[];
  /** Keys at the starting column (siblings of the cursor). */
  siblings: Set<string>;
  /** List items at the starting column above the cursor: the new item's index. */
  items: number;
  /** The line above the cursor is its parent key's: nothing is in the collection above the cursor. */
  empty: boolean;
}

/**
 * Walks up from `lineIndex` collecting the parents of a position at `column`; undefined when the
 * lines above do not nest down to it. `itemPosition`: the position is a list item, whose key may
 * sit at the same column (`key:` then `- item` below it).
 */
function walkUp(lines: Lines, lineIndex: number, column: number, itemPosition: boolean): Walk | undefined {
  const reversed: PathSegment[] = [];
  const siblings = new Set<string>();
  let c = column;
  let sameColumnParent = itemPosition;
  let atStart = true;
  let items = 0;
  let firstContent: number | undefined;
  let empty = false;
  /** The item the position is inside of: counting its elder siblings gives its index. */
  let item: { index: number } | undefined;
  for (let i = lineIndex - 1; i >= 0 && !(c === 0 && !atStart && !sameColumnParent); i--) {
    const indent = lines.indentOf(i);
    if (indent >= 0 && firstContent === undefined) firstContent = i;
    if (indent < 0 || indent > c) continue; // neither a parent, a sibling nor an elder item
    const line = lines.at(i);
    if (!line) continue;
    if (line.dash === c && (atStart || item)) {
      // an elder item of the same list
      if (item) item.index++;
      else items++;
      if (!itemPosition && line.key !== undefined && line.content === column) siblings.add(line.key);
      continue;
    }
    if (line.key !== undefined) {
      const isParent =
        line.content < c || (line.content === c && sameColumnParent && line.dash === undefined && line.value === '');
      if (isParent) {
        // a value on the parent's line (text, a block scalar's `|`) means the cursor is inside it;
        // an anchor or a tag still introduces a collection
        if (line.value !== '' && !/^[&!]\S*$/.test(line.value!)) return undefined;
        if (item) reversed.push(item.index);
        item = undefined;
        if (atStart) empty = i === firstContent;
        reversed.push(line.key);
        c = line.content;
        sameColumnParent = false;
        atStart = false;
      } else if (line.content === c && atStart && !itemPosition) {
        siblings.add(line.key);
      }
    } else if (line.dash === undefined && line.indent < c) {
      return undefined; // text less indented than the cursor (a multi-line scalar, a top-level `---`)
    }
    if (line.dash !== undefined && line.dash < c) {
      // the position is inside this item
      if (item) reversed.push(item.index);
      item = { index: 0 };
      c = line.dash;
      sameColumnParent = true;
      atStart = false;
    }
  }
  if (item) reversed.push(item.index);
  return c === 0 ? { path: reversed.reverse(), siblings, items, empty } : undefined;
}

/** Adds the keys at `column` below the cursor line, to the end of the map. */
function collectBelow(lines: Lines, lineIndex: number, column: number, siblings: Set<string>): void {
  for (let i = lineIndex + 1; i < lines.count; i++) {
    const indent = lines.indentOf(i);
    if (indent < 0 || indent > column) continue;
    const line = lines.at(i)!;
    if (line.indent < column) return;
    if (line.indent === column) {
      if (line.dash !== undefined || line.key === undefined) return;
      siblings.add(line.key);
    }
  }
}

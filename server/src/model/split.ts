import { topLevelKinds } from './parse';

/**
 * Splits a YAML stream into documents at `---` marker lines. In YAML 1.2 a line starting with `---`
 * followed by white space or the end of the line is always a document marker (it cannot occur
 * inside a block scalar), so this split agrees with the parser without parsing.
 * Every chunk keeps its own marker line, so chunks concatenate back to the input.
 */
export interface Chunk {
  offset: number;
  text: string;
  /**
   * Set on the parts of a big `kind: List` document split at its items (see splitList): each item
   * is parsed and checked on its own, the rest (`apiVersion`, `kind`, `items:`...) is 'list-rest'.
   */
  part?: ListPart;
}

export type ListPart = 'list-item' | 'list-rest';

// a marker line after the first line; one regular-expression scan of the text is several times
// faster than looking at every line, which matters on every keystroke in a big file
const MARKER = /\n---(?=[ \t\r\n]|$)/g;

export function splitDocuments(text: string): Chunk[] {
  const starts: number[] = [0];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) starts.push(m.index + 1);
  const chunks: Chunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    chunks.push({ offset: start, text: text.slice(start, end) });
  }
  return chunks;
}

/**
 * A `kind: List` document at least this big is split at its items, so an edit in one item re-parses
 * that item and not the whole list (`kubectl get ... -o yaml` writes thousands of lines as one
 * List). Smaller lists are parsed whole: nothing to gain.
 */
export const LIST_SPLIT_MIN_CHARS = 64 * 1024;

// what splitting could change the meaning of: anchors and aliases (which reach across items),
// tabs (indentation), directives, templates, and comments that disable a rule for the whole document
const NOT_SPLITTABLE = /(?:^|[ [{,])[&*][^ \r\n]|\t|^%|\{\{|#[ \t]*sidecar-pods-disable(?!-next-line)/m;
const CUSTOM_API_VERSION = /^apiVersion:[ \t]*["']?[^\s"'/#]*\.[^\s"'/#]*\//m;
const ITEMS_LINE = /^items:[ \t]*(?:#[^\r\n]*)?\r?$/gm;
const BLANK_OR_COMMENT = /^[ ]*(?:#.*)?\r?$/;
const TOP_LEVEL_KEY = /^(?:[A-Za-z0-9_.-]+|"[^"]*"|'[^']*'):(?:[ ]|\r?$)|^\.\.\.(?:[ ]|\r?$)/;

/**
 * The parts of a List document written in plain block style: the text before the first item, one
 * chunk per item of `items:`, and the text after them; undefined when the document is not such a
 * List, is small, or has anything that splitting could change the meaning of (then it is parsed
 * whole, as before). Every item line is indented more than the item's dash, so each item's text
 * parses on its own to exactly what it is inside the list (a sequence of one item).
 */
export function splitList(chunk: Chunk, minChars = LIST_SPLIT_MIN_CHARS): Chunk[] | undefined {
  const text = chunk.text;
  if (text.length < minChars || chunk.part || NOT_SPLITTABLE.test(text)) return undefined;
  // a plain `kind: List` of the core API, as the whole document would be checked (other *List
  // kinds are not parsed at all, and a List of a custom API group holds no pods we know)
  const kinds = topLevelKinds(text);
  if (kinds.length !== 1 || kinds[0] !== 'List' || CUSTOM_API_VERSION.test(text)) return undefined;
  const itemsLines = [...text.matchAll(ITEMS_LINE)];
  if (itemsLines.length !== 1) return undefined;

  const lines = linesOf(text, itemsLines[0]!.index! + itemsLines[0]![0].length + 1);
  let dash: number | undefined;
  const itemStarts: number[] = [];
  let end = text.length;
  for (const line of lines) {
    if (BLANK_OR_COMMENT.test(line.text)) continue;
    const indent = line.text.length - line.text.trimStart().length;
    if (dash === undefined) {
      if (!/^ *-(?: |\r?$)/.test(line.text)) return undefined; // `items:` holds no block sequence
      dash = indent;
    }
    if (indent > dash) continue;
    if (indent === dash && /^ *-(?: |\r?$)/.test(line.text)) {
      itemStarts.push(line.start);
      continue;
    }
    // neither inside the list nor a top-level key (a flow collection or a quoted string going on
    // less indented than it should): leave the document whole
    if (indent > 0 || !TOP_LEVEL_KEY.test(line.text)) return undefined;
    end = line.start;
    break;
  }
  if (itemStarts.length < 2) return undefined;

  const parts: Chunk[] = [];
  const add = (start: number, stop: number, part: ListPart): void => {
    if (stop > start) parts.push({ offset: chunk.offset + start, text: text.slice(start, stop), part });
  };
  add(0, itemStarts[0]!, 'list-rest');
  itemStarts.forEach((start, i) => add(start, itemStarts[i + 1] ?? end, 'list-item'));
  add(end, text.length, 'list-rest');
  return parts;
}

/** The lines of `text` from `from` on, with their offsets (line breaks not included). */
function* linesOf(text: string, from: number): Generator<{ start: number; text: string }> {
  let start = Math.min(from, text.length);
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const stop = nl === -1 ? text.length : nl;
    yield { start, text: text.slice(start, stop) };
    start = stop + 1;
  }
}

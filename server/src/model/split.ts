import { topLevelKinds } from './kind-lines';
import { isCustomApiVersion } from './pod-builder';
import type { ListPart } from './types';

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
// the value of each top-level apiVersion line, without quotes or comment
const API_VERSION_VALUE = /^apiVersion:[ \t]*["']?([^"'\r\n#]*)/gm;
const ITEMS_LINE = /^items:[ \t]*(?:#[^\r\n]*)?\r?$/gm;
// a key of the top-level map outside the items, quotes off
const REST_KEY = /^(["']?)([^\s#"'][^:\r\n]*?)\1[ \t]*:(?:[ \t]|\r?$)/gm;
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
  if (text.length < minChars || chunk.part) return undefined;
  // a plain `kind: List` of the core API, as the whole document would be checked (other *List
  // kinds are not parsed at all, and a List of a custom API group holds no pods we know); asked
  // first, as most big documents (CRDs) are no List
  const kinds = topLevelKinds(text);
  if (kinds.length !== 1 || kinds[0] !== 'List' || NOT_SPLITTABLE.test(text)) return undefined;
  if ([...text.matchAll(API_VERSION_VALUE)].some((m) => isCustomApiVersion(m[1]!.trim()))) return undefined;
  const itemsLines = [...text.matchAll(ITEMS_LINE)];
  if (itemsLines.length !== 1) return undefined;

  // the first line with content after `items:` must be the first item's dash
  const first = /^( *)-(?: |\r?$)/m;
  const afterItems = itemsLines[0]!.index! + itemsLines[0]![0].length + 1;
  const lead = /^(?:[ ]*(?:#[^\n]*)?\r?(?:\n|$))*/.exec(text.slice(afterItems))![0].length;
  const firstItem = first.exec(text.slice(afterItems + lead, afterItems + lead + 256));
  if (!firstItem || firstItem.index !== 0) return undefined; // `items:` holds no block sequence
  const dash = firstItem[1]!.length;
  // only lines indented no deeper than the dash can start an item or end the list: the regular
  // expression skips the others without looking at them (a keystroke in a big List runs this)
  const shallow = new RegExp(`^ {0,${dash}}(?! )`, 'gm');
  shallow.lastIndex = afterItems + lead;
  const itemStarts: number[] = [];
  let end = text.length;
  for (let m = shallow.exec(text); m && m.index < text.length; m = shallow.exec(text)) {
    const nl = text.indexOf('\n', m.index);
    const line = text.slice(m.index, nl === -1 ? text.length : nl);
    shallow.lastIndex = nl === -1 ? text.length : nl + 1;
    if (BLANK_OR_COMMENT.test(line)) continue;
    const indent = m[0].length;
    if (indent === dash && /^ *-(?: |\r?$)/.test(line)) {
      itemStarts.push(m.index);
      continue;
    }
    // neither inside the list nor a top-level key (a flow collection or a quoted string going on
    // less indented than it should): leave the document whole
    if (indent > 0 || !TOP_LEVEL_KEY.test(line)) return undefined;
    end = m.index;
    break;
  }
  if (itemStarts.length < 2) return undefined;
  // a key written both before and after the items is a duplicate the whole List reports, and
  // parts parsed apart would not
  const restKeys = [...`${text.slice(0, itemStarts[0])}\n${text.slice(end)}`.matchAll(REST_KEY)].map((m) => m[2]!);
  if (new Set(restKeys).size !== restKeys.length) return undefined;

  const parts: Chunk[] = [];
  const add = (start: number, stop: number, part: ListPart): void => {
    if (stop > start) parts.push({ offset: chunk.offset + start, text: text.slice(start, stop), part });
  };
  add(0, itemStarts[0]!, 'list-rest');
  itemStarts.forEach((start, i) => add(start, itemStarts[i + 1] ?? end, 'list-item'));
  add(end, text.length, 'list-rest');
  return parts;
}

import {
  Document,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type DocumentOptions,
  type ParseOptions,
  type ScalarTag,
  type Schema,
  type SchemaOptions,
} from 'yaml';

/**
 * A fast path for the block-style YAML that Kubernetes manifests are written in: it builds the very
 * tree `yaml`'s parseDocument builds (the same node classes, values, scalar types and ranges) three
 * to five times as fast, and returns undefined for any text it is not sure of, which `yaml` then
 * parses. The first parse of a big file is most of the time to its first diagnostics.
 *
 * Taken on: one document of block maps and block sequences at any indentation; plain scalars, also
 * wrapped onto the lines below (numbers, booleans and nulls resolved by `yaml`'s own core schema
 * tags); quoted scalars, over several lines as block values; literal and folded block scalars
 * (`|`, `|-`, `>`, `>-`); flow collections of scalars and of flow collections (`[a, "b"]`,
 * `{name: x, ports: [{containerPort: 80}]}`), also over several lines, and a document that is one
 * (JSON); comments; LF and CRLF line ends. Left to `yaml`: anchors, aliases, tags, explicit keys,
 * directives, blank lines inside flow collections, tabs, a CR not before a line feed, duplicate
 * keys, and anything malformed, so every syntax error is still reported by `yaml`, in its words.
 *
 * Ranges follow `yaml` exactly, including where a collection ends when comment lines follow its
 * last item (the parser keeps them in the collection or hands them to the parent depending on
 * their indentation; see `Trailing`). test/unit/block-yaml.test.ts holds this to `yaml` on every
 * corpus document and on thousands of edited ones.
 */
export function parseBlockYaml(text: string, options: BlockYamlOptions): Document.Parsed | undefined {
  // tabs and a byte order mark: `yaml`'s (indexOf is much faster than a regular expression here)
  if (text.indexOf('\t') >= 0 || text.indexOf('\uFEFF') >= 0) return undefined;
  return text.indexOf('\r') >= 0 ? parseCrlf(text, options) : parseLf(text, options);
}

function parseLf(text: string, options: BlockYamlOptions): Document.Parsed | undefined {
  try {
    return new BlockParser(text, withSharedSchema(options)).document();
  } catch {
    // BAIL, or a fault of this parser (the differential test is there to find those): either way
    // `yaml` reads the text, and the user sees no difference
    return undefined;
  }
}

/**
 * Windows line ends (all or some lines): the text with `\n` for each `\r\n` takes the fast path,
 * and every range moves back onto the text as written. That is the tree `yaml` builds of the CRLF
 * text itself (its values, sources and ranges), which a test holds on every corpus document. A CR
 * anywhere else is `yaml`'s.
 */
function parseCrlf(text: string, options: BlockYamlOptions): Document.Parsed | undefined {
  const lf = text.replace(/\r\n/g, '\n');
  if (lf.indexOf('\r') >= 0) return undefined;
  const doc = parseLf(lf, options);
  if (!doc) return undefined;
  try {
    moveRanges(doc, text);
    return doc;
  } catch {
    // a node without a range would be a fault of this parser: `yaml` reads the text instead
    return undefined;
  }
}

/** Moves the ranges of `doc`, parsed from `text` with LF for each CRLF, onto `text` itself. */
function moveRanges(doc: Document.Parsed, text: string): void {
  // the line feeds of `lf` that had a CR before them
  const crlf: number[] = [];
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) crlf.push(i - crlf.length);
  // an offset of `lf` in the text: after the CRs of the line feeds before it (an offset at a line
  // feed is its CR's, where `yaml` ends a value)
  const moved = (offset: number): number => {
    let lo = 0;
    let hi = crlf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (crlf[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset + lo;
  };
  const move = (node: unknown): void => {
    if (!(node instanceof Scalar || node instanceof YAMLMap || node instanceof YAMLSeq)) return;
    const r = node.range!;
    node.range = [moved(r[0]), moved(r[1]), moved(r[2])];
    if (node instanceof Scalar) return;
    for (const item of node.items) {
      if (item instanceof Pair) {
        move(item.key);
        move(item.value);
      } else move(item);
    }
  };
  move(doc.contents);
  const r = doc.range;
  doc.range = [moved(r[0]), moved(r[1]), moved(r[2])];
}

export type BlockYamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * What toJS() gives for a tree this parser built, without toJS()'s machinery for aliases, merge
 * keys and tags (a tree of this parser has none): plain objects, arrays and scalar values, keys as
 * strings (`null` as ''), a key that names an Object.prototype member set as an own property.
 */
export function toPlainValue(node: unknown): unknown {
  if (node instanceof Scalar) return node.value;
  if (node instanceof YAMLSeq) {
    const items = node.items;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) out.push(toPlainValue(items[i]));
    return out;
  }
  if (!(node instanceof YAMLMap)) return null;
  const out: Record<string, unknown> = {};
  const items = node.items as Pair<Scalar>[];
  for (let i = 0; i < items.length; i++) {
    const pair = items[i]!;
    const key = pair.key.value;
    const name = key === null ? '' : String(key);
    const value = toPlainValue(pair.value);
    // a key the tree has once (duplicates are `yaml`'s) is in `out` only if Object.prototype has it
    if (INHERITED.has(name))
      Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

/** What a new object has before any key is set: what `name in {}` is true for. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The options with one Schema for every document parsed with them: `yaml` builds a Schema per
 * document, which costs more than reading a small document. The fast path only reads a schema
 * (it leaves explicit tags, the only thing that adds to one, to `yaml`).
 */
function withSharedSchema(options: BlockYamlOptions): BlockYamlOptions {
  let shared = SHARED.get(options);
  if (!shared) {
    const schema = new Document(undefined, options).schema;
    shared = { ...options, schema };
    SHARED.set(options, shared);
  }
  return shared;
}

const SHARED = new WeakMap<BlockYamlOptions, BlockYamlOptions>();

/**
 * Nodes made without running `yaml`'s constructors, which mark each node with its type through
 * Object.defineProperty (a runtime call per node, the dearest part of building a tree): the mark
 * is on a prototype made once per class, between the node and the class's own prototype. The
 * nodes are of the same classes (instanceof, constructor), `yaml`'s own is-functions see the same
 * mark, and they have the same own enumerable properties in the same order.
 */
const NODE_TYPE = Object.getOwnPropertySymbols(new Scalar(null))[0]!;
function markedPrototype<T extends object>(probe: T): T {
  return Object.create(Object.getPrototypeOf(probe) as object, {
    [NODE_TYPE]: { value: (probe as Record<symbol, unknown>)[NODE_TYPE] },
  }) as T;
}
const SCALAR = markedPrototype(new Scalar(null));
const PAIR = markedPrototype(new Pair(null));

function newScalar(value: unknown): Scalar {
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  return node;
}

function newPair(key: unknown, value: unknown): Pair {
  const pair = Object.create(PAIR) as Pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

/** A collection's prototype also holds its schema (an own, hidden property of `yaml`'s), per schema. */
const COLLECTIONS = new WeakMap<Schema, Map<typeof YAMLMap | typeof YAMLSeq, object>>();

function newCollection<T extends typeof YAMLMap | typeof YAMLSeq>(Class: T, schema: Schema): InstanceType<T> {
  let protos = COLLECTIONS.get(schema);
  if (!protos) COLLECTIONS.set(schema, (protos = new Map()));
  let proto = protos.get(Class);
  if (!proto) {
    const probe = new (Class as new (schema: Schema) => YAMLMap | YAMLSeq)(schema);
    proto = Object.create(Object.getPrototypeOf(probe) as object, {
      [NODE_TYPE]: { value: (probe as unknown as Record<symbol, unknown>)[NODE_TYPE] },
      schema: Object.getOwnPropertyDescriptor(probe, 'schema')!,
    }) as object;
    protos.set(Class, proto);
  }
  const node = Object.create(proto) as InstanceType<T>;
  node.items = [];
  return node;
}

/** Far deeper than any manifest nests, far below what the call stack holds. */
const MAX_DEPTH = 200;

/** Thrown (one shared value, no stack to capture) when the text needs the full parser. */
const BAIL = Object.freeze({ bail: true });
function bail(): never {
  throw BAIL;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;

/** A content line: its indentation and where its content starts. */
interface Line {
  indent: number;
  content: number;
}

/**
 * Comment lines after the last item of a collection, before the line that closes it. `yaml` keeps
 * them in the collection (its range then ends where they end) unless they are all indented less
 * than the collection or the collection is at column 0; then they move to its parent, which makes
 * the same choice when it closes.
 */
interface Trailing {
  end: number;
  commentIndents: number[];
}

/** The lines after a value, up to the next content line (see scanTo). */
interface Scan {
  line: Line | undefined;
  trailing: Trailing | undefined;
  sawComment: boolean;
}

/** How an item's value ended, which decides what the comment lines after it attach to. */
type ValueEnd =
  | { kind: 'inline'; node: Scalar | YAMLSeq | YAMLMap } // ends its line; indented comments join it
  | { kind: 'block-scalar'; node: Scalar }
  | { kind: 'empty'; node: Scalar; scan: Scan } // the lines below, already scanned for a collection
  | { kind: 'collection'; node: YAMLMap | YAMLSeq; trailing: Trailing | undefined };

class BlockParser {
  private readonly doc: Document.Parsed;
  private readonly len: number;
  /** The next line to look at, after a value; undefined at the end of the text. */
  private line: Line | undefined;
  /** Collections open around the one being read; deep nesting is left to `yaml` and its message. */
  private depth = 0;

  constructor(
    private readonly text: string,
    options: BlockYamlOptions,
  ) {
    this.len = text.length;
    this.doc = new Document(undefined, options) as unknown as Document.Parsed;
  }

  document(): Document.Parsed {
    const text = this.text;
    let pos = 0;
    if (text.startsWith('---')) {
      const after = text.charCodeAt(3);
      if (!(after === NEWLINE || Number.isNaN(after))) bail();
      this.doc.directives.docStart = true;
      pos = this.nextLineStart(3);
    }
    const first = this.scanTo(pos, -1, undefined).line;
    if (!first) bail();
    const c = text.charCodeAt(first.content);
    if (c === 0x5b || c === 0x7b) return this.flowDocument(first.content);
    this.line = first;
    const contents = this.collectionAt(first);
    const rest = this.line;
    if (rest) bail();
    this.doc.contents = contents.node as never;
    const end = contents.node.range![2];
    this.doc.range = [0, end, this.len];
    return this.doc;
  }

  /**
   * A document that is one flow collection (JSON, or YAML written like it), opened at `start`: its
   * lines may start at any column, and nothing but comments may follow it.
   */
  private flowDocument(start: number): Document.Parsed {
    const flow = this.flow(start, -1);
    const node = this.endInline(flow.node, start, flow.end);
    if (this.scanTo(node.range![2], -1, undefined).line) bail();
    this.doc.contents = node as never;
    this.doc.range = [0, node.range![2], this.len];
    return this.doc;
  }

  /** The block collection that starts on `line`: a sequence if it starts with `- `, else a map. */
  private collectionAt(line: Line): { node: YAMLMap | YAMLSeq; trailing: Trailing | undefined } {
    return this.isSeqItem(line.content) ? this.seq(line.indent) : this.map(line.content, line.indent);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) bail();
  }

  // --- block maps -------------------------------------------------------------------------------

  /** A block map whose first key is at `keyPos`, column `indent`. Leaves this.line at the line after it. */
  private map(keyPos: number, indent: number): { node: YAMLMap; trailing: Trailing | undefined } {
    this.enter();
    const map = newCollection(YAMLMap, this.doc.schema);
    const keys = new Set<unknown>();
    const start = keyPos;
    let offset: number;
    let trailing: Trailing | undefined;
    for (;;) {
      const key = this.key(keyPos);
      if (keys.has(key.node.value)) bail(); // `yaml` reports the duplicate
      keys.add(key.node.value);
      const value = this.valueAfter(key.valueStart, indent, true);
      map.items.push(newPair(key.node, value.node));
      ({ offset, trailing } = this.afterValue(value, indent));
      const line = this.line;
      if (!line || line.indent < indent) break;
      if (line.indent > indent || this.isSeqItem(line.content)) bail();
      keyPos = line.content;
    }
    return this.close(map, start, offset, indent, trailing);
  }

  /** A key at `pos`: a plain or quoted scalar on one line, then `:` and a space or the line's end. */
  private key(pos: number): { node: Scalar; valueStart: number } {
    const colon = this.keyColon(pos);
    if (colon < 0) bail();
    let node: Scalar;
    if (isQuote(this.text.charCodeAt(pos))) {
      const q = this.quoted(pos);
      node = q.node;
      node.range = [pos, q.end, q.end];
    } else {
      let keyEnd = colon;
      while (this.text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      node = this.plainScalar(this.text.slice(pos, keyEnd));
      node.range = [pos, keyEnd, keyEnd];
    }
    return { node, valueStart: colon + 1 };
  }

  /**
   * The `:` of a key (plain or quoted, on one line) that starts at `pos`, or -1 when no key starts
   * there (a comment or the line's end comes first).
   */
  private keyColon(pos: number): number {
    const text = this.text;
    const lineEnd = this.lineEnd(pos);
    const c = text.charCodeAt(pos);
    if (isQuote(c)) {
      const close = c === 0x22 ? this.doubleQuoteEnd(pos, lineEnd) : this.singleQuoteEnd(pos, lineEnd);
      if (close < 0) return -1;
      let p = close + 1;
      while (text.charCodeAt(p) === SPACE) p++;
      return this.isValueIndicator(p) ? p : -1;
    }
    if (!startsPlain(text, pos)) return -1;
    for (let p = pos + 1; p < lineEnd; p++) {
      const ch = text.charCodeAt(p);
      if (ch === HASH && text.charCodeAt(p - 1) === SPACE) return -1;
      if (ch === COLON && this.endsIndicator(p)) return p;
    }
    return -1;
  }

  // --- block sequences --------------------------------------------------------------------------

  /** A block sequence whose first `-` is on this.line at column `indent`. */
  private seq(indent: number): { node: YAMLSeq; trailing: Trailing | undefined } {
    this.enter();
    const seq = newCollection(YAMLSeq, this.doc.schema);
    const start = this.line!.content;
    let offset: number;
    let trailing: Trailing | undefined;
    let sawComment = false;
    for (;;) {
      const dash = this.line!.content;
      const value = this.valueAfter(dash + 1, indent, false);
      // after a comment line between items, `yaml` stretches an empty item's range to what follows
      if (value.kind === 'empty' && sawComment) bail();
      seq.items.push(value.node);
      let comments: boolean;
      ({ offset, trailing, sawComment: comments } = this.afterValue(value, indent));
      sawComment ||= comments;
      const line = this.line;
      if (!line || line.indent < indent) break;
      if (line.indent > indent) bail();
      if (!this.isSeqItem(line.content)) break; // a key of the map this sequence is the value of
    }
    return this.close(seq, start, offset, indent, trailing);
  }

  /** A `-` that starts a sequence item: followed by a space, a line break or the end of the text. */
  private isSeqItem(pos: number): boolean {
    return this.text.charCodeAt(pos) === DASH && this.endsIndicator(pos);
  }

  /** A `:` that ends a key: followed by a space, a line break or the end of the text. */
  private isValueIndicator(pos: number): boolean {
    return this.text.charCodeAt(pos) === COLON && this.endsIndicator(pos);
  }

  private endsIndicator(pos: number): boolean {
    return pos + 1 >= this.len || isSpaceOrBreak(this.text.charCodeAt(pos + 1));
  }

  /**
   * Sets a collection's range as `yaml` does and decides where comment lines after its last item
   * go: kept, its range then covers them; or handed to the parent.
   */
  private close<T extends YAMLMap | YAMLSeq>(
    node: T,
    start: number,
    offset: number,
    indent: number,
    trailing: Trailing | undefined,
  ): { node: T; trailing: Trailing | undefined } {
    this.depth--;
    const keep = trailing !== undefined && indent !== 0 && trailing.commentIndents.some((i) => i >= indent);
    node.range = [start, offset, keep ? trailing.end : offset];
    return { node, trailing: keep ? undefined : trailing };
  }

  /**
   * After an item's value: the comment and blank lines up to the next content line (this.line),
   * the end of the item (the collection's range so far) and the comments that trail it.
   */
  private afterValue(
    value: ValueEnd,
    indent: number,
  ): { offset: number; trailing: Trailing | undefined; sawComment: boolean } {
    if (value.kind === 'collection') {
      // comments inside the collection are its own; those after it trail it
      return { offset: value.node.range![2], trailing: value.trailing, sawComment: value.trailing !== undefined };
    }
    // other values end after their line's newline (or at the text's end)
    const scan =
      value.kind === 'empty'
        ? value.scan
        : this.scanTo(value.node.range![2], indent, value.kind === 'inline' ? value.node : undefined);
    if (value.kind === 'empty' && scan.sawComment) bail(); // `yaml` gives such an empty value a comment range
    this.line = scan.line;
    return { offset: value.node.range![2], trailing: scan.trailing, sawComment: scan.sawComment };
  }

  /**
   * Skips blank and comment lines from `pos` (a line start) to the next content line. Comment lines
   * indented deeper than `indent` right after an inline value become part of that value's range
   * (`yaml` counts them as its trailing comment); others trail the collection.
   */
  private scanTo(pos: number, indent: number, absorb: Scalar | YAMLSeq | YAMLMap | undefined): Scan {
    const text = this.text;
    let commentIndents: number[] | undefined;
    let sawComment = false;
    while (pos < this.len) {
      let p = pos;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      const lineEnd = c === NEWLINE ? p : this.lineEnd(p);
      if (c === HASH) {
        sawComment = true;
        const next = lineEnd < this.len ? lineEnd + 1 : lineEnd;
        if (absorb && !commentIndents && p - pos > indent) absorb.range![2] = next;
        else (commentIndents ??= []).push(p - pos);
        pos = next;
        continue;
      }
      if (p < lineEnd) {
        const line = { indent: p - pos, content: p };
        if (line.indent === 0 && (text.startsWith('---', p) || text.startsWith('...', p))) bail();
        return { line, trailing: commentIndents && { end: p, commentIndents }, sawComment };
      }
      if (lineEnd >= this.len) break;
      pos = lineEnd + 1;
    }
    return { line: undefined, trailing: commentIndents && { end: this.len, commentIndents }, sawComment };
  }

  // --- values -----------------------------------------------------------------------------------

  /**
   * The value that starts after a key's `:` or an item's `-` (at `pos`), in a collection at column
   * `indent`. Sets this.line to the first line after the value when the value is a collection.
   */
  private valueAfter(pos: number, indent: number, inMap: boolean): ValueEnd {
    const text = this.text;
    let p = pos;
    while (text.charCodeAt(p) === SPACE) p++;
    const c = text.charCodeAt(p);
    if (p >= this.len || c === NEWLINE || c === HASH) return this.valueBelow(p, indent, inMap);
    if (p === pos && p < this.len) bail(); // `-x` or `a:b` would not have got here; be sure
    switch (c) {
      case 0x22: // "
      case 0x27: {
        const q = this.quoted(p, indent);
        return { kind: 'inline', node: this.endInline(q.node, p, q.end) };
      }
      case 0x7c: // |
      case 0x3e: // >
        return { kind: 'block-scalar', node: this.blockScalar(p, indent) };
      case 0x5b: // [
      case 0x7b: {
        // {
        const flow = this.flow(p, indent);
        return { kind: 'inline', node: this.endInline(flow.node, p, flow.end) };
      }
    }
    if (!inMap) {
      if (this.isSeqItem(p)) {
        const column = p - this.lineStart(p);
        this.line = { indent: column, content: p };
        const nested = this.seq(column);
        return { kind: 'collection', ...nested };
      }
      if (this.isKeyLine(p)) {
        const nested = this.map(p, p - this.lineStart(p));
        return { kind: 'collection', ...nested };
      }
    }
    return { kind: 'inline', node: this.plainValue(p, indent) };
  }

  /** Nothing after `key:` or `-` on its line: a collection on the lines below, or an empty value. */
  private valueBelow(p: number, indent: number, inMap: boolean): ValueEnd {
    const text = this.text;
    const scan = this.scanTo(this.nextLineStart(p), indent, undefined);
    const line = scan.line;
    if (line) {
      const seqItem = this.isSeqItem(line.content);
      // a map's value may be a sequence at the map's own column; anything else is indented deeper
      if (line.indent > indent || (inMap && seqItem && line.indent === indent)) {
        if (!inMap && text.charCodeAt(p) === HASH) bail();
        this.line = line;
        if (seqItem) return { kind: 'collection', ...this.seq(line.indent) };
        if (!this.isKeyLine(line.content)) bail(); // a scalar on the next line
        return { kind: 'collection', ...this.map(line.content, line.indent) };
      }
    }
    if (text.charCodeAt(p) === HASH) bail(); // `yaml` gives such an empty value a comment range
    const node = this.resolved('', Scalar.PLAIN);
    node.range = [p, p, p];
    return { kind: 'empty', node, scan };
  }

  /** Whether a key (plain or quoted, then `: ` or `:` at the line's end) starts at `pos`. */
  private isKeyLine(pos: number): boolean {
    return this.keyColon(pos) >= 0;
  }

  /**
   * A plain scalar value: to its line's end or comment, and on over the lines below that are
   * indented deeper than its collection (`indent`), as Go's YAML encoder (kubectl, kustomize) wraps
   * long values. Lines fold into one with a space, and each blank line between them is a newline.
   * A `: ` in it, or a comment after its first line, is `yaml`'s to judge.
   */
  private plainValue(pos: number, indent: number): Scalar {
    const text = this.text;
    if (!startsPlain(text, pos)) bail();
    let end = this.plainLineEnd(pos);
    let value = text.slice(pos, end);
    let after = end;
    while (text.charCodeAt(after) === SPACE) after++;
    if (after >= this.len || text.charCodeAt(after) === NEWLINE) {
      // no comment on the first line: the value may go on below
      let next = after + 1;
      let blanks = 0;
      while (next < this.len) {
        let p = next;
        while (text.charCodeAt(p) === SPACE) p++;
        const c = text.charCodeAt(p);
        if (c === NEWLINE) {
          blanks++;
          next = p + 1;
          continue;
        }
        if (p >= this.len || p - next <= indent || c === HASH) break;
        if (!continuesPlain(text, p)) bail();
        const lineEnd = this.lineEnd(p);
        const contentEnd = this.plainLineEnd(p);
        if (text.slice(contentEnd, lineEnd).trim() !== '') bail(); // a comment after a continued line
        value += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + text.slice(p, contentEnd);
        end = contentEnd;
        blanks = 0;
        next = lineEnd + 1;
      }
    }
    return this.endInline(this.plainScalar(value), pos, end);
  }

  /**
   * Where the text of a plain scalar's line ends: before a comment, or at the line's end, trailing
   * spaces off. Bails at a `: ` (a key where a value should be).
   */
  private plainLineEnd(pos: number): number {
    const text = this.text;
    const lineEnd = this.lineEnd(pos);
    let end = lineEnd;
    for (let p = pos + 1; p < lineEnd; p++) {
      const ch = text.charCodeAt(p);
      if (ch === COLON && this.isValueIndicator(p)) bail();
      if (ch === HASH && text.charCodeAt(p - 1) === SPACE) {
        end = p;
        break;
      }
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /**
   * Range of a value that ends its line: to the end of its text, then over spaces, a comment and
   * the newline. Bails if anything else follows on the line.
   */
  private endInline<T extends Scalar | YAMLSeq | YAMLMap>(node: T, start: number, end: number): T {
    const text = this.text;
    let p = end;
    while (text.charCodeAt(p) === SPACE) p++;
    if (p < this.len && text.charCodeAt(p) !== NEWLINE) {
      if (text.charCodeAt(p) !== HASH || p === end) bail();
      p = this.lineEnd(p);
    }
    node.range = [start, end, p < this.len ? p + 1 : p];
    return node;
  }

  /**
   * A flow collection, `[...]` or `{...}`, opened at `open` as the value of a block collection at
   * column `indent` (-1: the document's own): plain and quoted scalars and flow collections nested
   * in it (`["sh", "-c"]`, `{name: a, ports: [{containerPort: 80}]}`), on one line or on several
   * (see flowSpace).
   * Returns the node, whose range the caller sets, and the position after its closing bracket.
   * A map's keys are scalars, each followed by `: ` and a value on the same line. Left to `yaml`: a
   * trailing comma, a key without a value, a pair in a sequence, a `:` or `#` inside a plain scalar,
   * a scalar over several lines, a duplicate key.
   */
  private flow(open: number, indent: number, nested = false): { node: YAMLSeq | YAMLMap; end: number } {
    this.enter();
    const text = this.text;
    const inMap = text.charCodeAt(open) === 0x7b;
    const closer = inMap ? 0x7d : 0x5d;
    // the outermost collection may close on a line of its own under its key, a nested one not
    const aligned = nested ? -1 : closer;
    const node = inMap ? newCollection(YAMLMap, this.doc.schema) : newCollection(YAMLSeq, this.doc.schema);
    node.flow = true;
    const keys = new Set<unknown>();
    let p = this.flowSpace(open + 1, indent, aligned, true);
    if (text.charCodeAt(p) !== closer) {
      for (;;) {
        let item = this.flowItem(p, closer, inMap, indent);
        if (inMap) {
          // a key's range ends at its last character, whatever spaces come before the `:`
          const key = item.node;
          if (!(key instanceof Scalar)) bail();
          key.range = [p, item.end, item.end];
          if (keys.has(key.value)) bail(); // `yaml` reports the duplicate
          keys.add(key.value);
          const colon = this.skipSpaces(item.end);
          if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) bail();
          p = this.skipSpaces(colon + 1);
          item = this.flowItem(p, closer, false, indent);
          (node as YAMLMap).items.push(newPair(key, item.node));
        } else {
          (node as YAMLSeq).items.push(item.node);
        }
        // a value's range takes the spaces before the separator; over a line break, an item of a
        // sequence takes the next line's indentation too, a value in a map only the line break
        const q = this.flowSpace(item.end, indent, aligned, false);
        const lineBreak = inMap && q > item.end ? text.indexOf('\n', item.end) : -1;
        item.node.range = [p, item.end, lineBreak >= 0 && lineBreak < q ? lineBreak + 1 : q];
        const sep = text.charCodeAt(q);
        if (sep === closer) {
          p = q;
          break;
        }
        if (sep !== 0x2c) bail();
        p = this.flowSpace(q + 1, indent, aligned, true);
        if (text.charCodeAt(p) === closer) bail(); // a trailing comma
      }
    }
    this.depth--;
    return { node, end: p + 1 };
  }

  /**
   * An item, key or value in a flow collection closed by `closer`: a scalar on one line or a nested
   * flow collection. A plain key ends at its `:`.
   */
  private flowItem(
    p: number,
    closer: number,
    key: boolean,
    indent: number,
  ): { node: Scalar | YAMLSeq | YAMLMap; end: number } {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === 0x5b || c === 0x7b) return this.flow(p, indent, true);
    if (isQuote(c)) return this.quoted(p);
    let end = p;
    for (;;) {
      const ch = text.charCodeAt(end);
      if (end >= this.len || ch === NEWLINE || ch === 0x2c || ch === closer || (key && ch === COLON)) break;
      if (FLOW_PLAIN_STOP.has(ch)) bail();
      end++;
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    if (end === p || !startsPlain(text, p, true)) bail();
    return { node: this.plainScalar(text.slice(p, end)), end };
  }

  /**
   * Spaces inside a flow collection of a block collection at column `indent`, and line breaks when
   * the next line goes on with the collection: indented deeper than `indent`, or as deep when it
   * starts with `aligned` (the outermost collection's closing bracket, under its key). Before an
   * item (`comments`), comments too: after a space, and on lines of their own. Returns where the
   * next token starts. A blank line, a comment elsewhere or a shallower line is left to `yaml` (it
   * marks the item after a blank line, keeps the comment and reports the indentation).
   */
  private flowSpace(pos: number, indent: number, aligned: number, comments: boolean): number {
    const text = this.text;
    for (;;) {
      while (text.charCodeAt(pos) === SPACE) pos++;
      // a comment starts after a space or at the start of a line, not right after `[` or `,`
      if (comments && text.charCodeAt(pos) === HASH && isSpaceOrBreak(text.charCodeAt(pos - 1))) {
        pos = this.lineEnd(pos);
      }
      if (text.charCodeAt(pos) !== NEWLINE) return pos;
      const lineStart = pos + 1;
      let p = lineStart;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (p >= this.len || c === NEWLINE || (c === HASH && !comments)) bail();
      const column = p - lineStart;
      if (column < indent || (column === indent && c !== aligned)) bail();
      // a document marker ends a top-level flow collection, in `yaml`'s words
      if (column === 0 && (text.startsWith('---', p) || text.startsWith('...', p))) bail();
      pos = p;
    }
  }

  private skipSpaces(pos: number): number {
    while (this.text.charCodeAt(pos) === SPACE) pos++;
    return pos;
  }

  /**
   * A quoted scalar that closes on its own line; or, as the value of a block collection at column
   * `indent`, on a later one (see foldDouble and foldSingle).
   */
  private quoted(pos: number, indent?: number): { node: Scalar; end: number } {
    const text = this.text;
    const lineEnd = this.lineEnd(pos);
    const limit = indent === undefined ? lineEnd : this.len;
    let value: string;
    let close: number;
    let type: Scalar.Type;
    if (text.charCodeAt(pos) === 0x22) {
      close = this.doubleQuoteEnd(pos, limit);
      if (close < 0) bail();
      let raw = text.slice(pos + 1, close);
      if (close > lineEnd) raw = foldDouble(this.continuationLines(raw, indent!));
      value = raw.includes('\\') ? unescapeDouble(raw) : raw;
      type = Scalar.QUOTE_DOUBLE;
    } else {
      close = this.singleQuoteEnd(pos, limit);
      if (close < 0) bail();
      const raw = text.slice(pos + 1, close);
      value = (close > lineEnd ? foldSingle(this.continuationLines(raw, indent!)) : raw).replace(/''/g, "'");
      type = Scalar.QUOTE_SINGLE;
    }
    return { node: stringScalar(value, type), end: close + 1 };
  }

  /**
   * The lines of a quoted scalar's text that goes on below its first line, in a block collection at
   * column `indent`: every line with content, and the closing quote's, must be indented deeper
   * (else `yaml` reports it).
   */
  private continuationLines(raw: string, indent: number): string[] {
    const lines = raw.split('\n');
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      let column = 0;
      while (line.charCodeAt(column) === SPACE) column++;
      const content = column < line.length || k === lines.length - 1;
      if (content && column <= indent) bail();
    }
    return lines;
  }

  /**
   * The `"` closing a double-quoted scalar opened at `pos`, before `limit` (its line's end, or the
   * text's for a scalar that may go on), or -1. Found with indexOf (a value can be kilobytes long):
   * a quote after an odd run of backslashes is escaped.
   */
  private doubleQuoteEnd(pos: number, limit: number): number {
    const text = this.text;
    for (let q = text.indexOf('"', pos + 1); q >= 0 && q < limit; q = text.indexOf('"', q + 1)) {
      let b = q;
      while (b > pos + 1 && text.charCodeAt(b - 1) === 0x5c) b--;
      if ((q - b) % 2 === 0) return q;
    }
    return -1;
  }

  /** The `'` closing a single-quoted scalar opened at `pos`, before `limit`, or -1 (`''` is a quote in it). */
  private singleQuoteEnd(pos: number, limit: number): number {
    const text = this.text;
    for (let q = text.indexOf("'", pos + 1); q >= 0 && q < limit; q = text.indexOf("'", q + 1)) {
      if (text.charCodeAt(q + 1) !== 0x27) return q;
      q++;
    }
    return -1;
  }

  /**
   * `|`, `|-`, `>` or `>-` at `header`, in a collection at column `indent`; content lines are all
   * indented alike (deeper lines in a folded scalar, keep chomping and explicit indentation are left
   * to `yaml`). Sets this.line to nothing: the caller scans on from the scalar's end.
   */
  private blockScalar(header: number, indent: number): Scalar {
    const text = this.text;
    const folded = text.charCodeAt(header) === 0x3e;
    let p = header + 1;
    const strip = text.charCodeAt(p) === DASH;
    if (strip) p++;
    const headerEnd = this.lineEnd(p);
    // after the indicators: nothing, or spaces and a comment
    let q = p;
    while (text.charCodeAt(q) === SPACE) q++;
    if (q < headerEnd && (text.charCodeAt(q) !== HASH || q === p)) bail();
    if (headerEnd >= this.len) bail();
    const lines: string[] = [];
    let contentIndent = -1;
    let pos = headerEnd + 1;
    let end = pos; // after the last content line
    let blanks = 0; // blank lines since the last content line
    while (pos < this.len) {
      let s = pos;
      while (text.charCodeAt(s) === SPACE) s++;
      const lineEnd = this.lineEnd(s);
      const lineIndent = s - pos;
      if (s === lineEnd) {
        // a blank line: within the scalar if content follows; spaces beyond the indentation are content
        if (contentIndent < 0 || lineIndent > contentIndent) bail();
        blanks++;
      } else {
        if (contentIndent < 0) {
          if (lineIndent <= indent) bail(); // an empty block scalar
          contentIndent = lineIndent;
        } else if (lineIndent < contentIndent) break;
        if (lineIndent > contentIndent && folded) bail(); // more-indented lines fold differently
        for (let i = 0; i < blanks; i++) lines.push('');
        blanks = 0;
        lines.push(text.slice(pos + contentIndent, lineEnd));
        end = lineEnd < this.len ? lineEnd + 1 : lineEnd;
      }
      if (lineEnd >= this.len) break;
      pos = lineEnd + 1;
    }
    if (contentIndent < 0) bail();
    let value = folded ? foldRuns(lines) : lines.join('\n');
    if (!strip) value += '\n'; // clip keeps one line break, even at the end of the text
    const node = stringScalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL);
    node.range = [header, end, end];
    return node;
  }

  // --- scalars ----------------------------------------------------------------------------------

  /** A plain scalar's value as `yaml`'s core schema resolves it. */
  private plainScalar(source: string): Scalar {
    return this.resolved(source, Scalar.PLAIN);
  }

  private resolved(source: string, type: Scalar.Type): Scalar {
    const tag = mayNotBeString(source) ? defaultTagOf(this.doc.schema, source) : undefined;
    if (!tag) return stringScalar(source, type);
    const res = tag.resolve(source, bail, this.doc.options) as unknown;
    const node = res instanceof Scalar ? res : newScalar(res);
    if (tag.format) node.format = tag.format;
    node.source = source;
    node.type = type;
    return node;
  }

  // --- lines ------------------------------------------------------------------------------------

  private lineEnd(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    return nl < 0 ? this.len : nl;
  }

  private nextLineStart(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    return nl < 0 ? this.len : nl + 1;
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }
}

/** A scalar whose value is its text, as `yaml` gives quoted and block scalars and plain strings. */
function stringScalar(value: string, type: Scalar.Type): Scalar {
  const node = newScalar(value);
  node.source = value;
  node.type = type;
  return node;
}

/** The default scalar tags of a schema (those a plain scalar may resolve to), in the schema's order. */
const DEFAULT_TAGS = new WeakMap<Schema, readonly ScalarTag[]>();

/** The tag `yaml` resolves a plain scalar's source with: the first default tag whose pattern matches. */
function defaultTagOf(schema: Schema, source: string): ScalarTag | undefined {
  let tags = DEFAULT_TAGS.get(schema);
  if (!tags) {
    tags = schema.tags.filter((t): t is ScalarTag => t.default === true && 'test' in t);
    DEFAULT_TAGS.set(schema, tags);
  }
  for (let i = 0; i < tags.length; i++) if (tags[i]!.test?.test(source)) return tags[i];
  return undefined;
}

/**
 * Whether the core schema could read a plain scalar as anything but a string: a number starts with
 * a digit, a sign or a dot, a null is empty or `~`, and the words (null, true, false in their three
 * spellings) have 4 or 5 letters. Every other scalar (most keys and values) is a string without
 * asking the schema's regular expressions.
 */
function mayNotBeString(source: string): boolean {
  const n = source.length;
  if (n === 0) return true;
  const c = source.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === 0x2e) return true;
  if (c === 0x7e) return n === 1;
  return (n === 4 || n === 5) && WORD_STARTS.has(c);
}

const WORD_STARTS = new Set([...'nNtTfF'].map((ch) => ch.charCodeAt(0)));

/** The characters that end a plain scalar inside a flow collection: `,[]{}`. */
const FLOW_INDICATORS = new Set([0x2c, 0x5b, 0x5d, 0x7b, 0x7d]);

/** Characters a plain scalar inside `[...]` or `{...}` could be something else with. */
const FLOW_PLAIN_STOP = new Set([0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x23, 0x22, 0x27]);

/**
 * A plain scalar may start with anything but an indicator (`- `, `? `, `: ` and the rest); inside a
 * flow collection (`inFlow`), `-`, `?` and `:` before a flow indicator are indicators too.
 */
function startsPlain(text: string, pos: number, inFlow = false): boolean {
  const c = text.charCodeAt(pos);
  if (Number.isNaN(c)) return false;
  if (c === DASH || c === 0x3f || c === COLON) {
    const next = text.charCodeAt(pos + 1);
    return !(Number.isNaN(next) || isSpaceOrBreak(next) || (inFlow && FLOW_INDICATORS.has(next)));
  }
  return !INDICATORS.has(c);
}

/**
 * Whether a continuation line of a block plain scalar may start at `pos`: as a first line may,
 * or with an indicator that only opens something at the start of a scalar (quotes, brackets,
 * `&`, `*`, `!`, `|`, `>`...), which `yaml` folds into the value like any other text. Generated
 * CRDs wrap descriptions such as `(e.g. "2m", "1h")` onto a line that starts with a quote.
 * `#` ends the scalar (the caller stops there) and `%` is left to `yaml`.
 */
function continuesPlain(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  return startsPlain(text, pos) || (c !== HASH && c !== 0x25 && INDICATORS.has(c));
}

const INDICATORS = new Set([...',[]{}#&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));

function isQuote(c: number): boolean {
  return c === 0x22 || c === 0x27;
}

function isSpaceOrBreak(c: number): boolean {
  return c === SPACE || c === NEWLINE;
}

const JSON_ESCAPES = new Set([...'"\\/bfnrtu']);

/** Double-quoted escapes that JSON shares with YAML; any other leaves the text to `yaml`. */
function unescapeDouble(raw: string): string {
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i + 2)) if (!JSON_ESCAPES.has(raw[i + 1]!)) bail();
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return bail();
  }
}

/**
 * The text of a double-quoted scalar over several lines, as one line of the same escapes, folded
 * as `yaml` folds it: a line break between lines is a space, each blank line between them a
 * newline, an escaped line break (`\` last) nothing; the next line's indentation goes. Spaces at
 * the end of a line (which stay when escaped), and a blank line after an escaped line break, are
 * left to `yaml`.
 */
function foldDouble(lines: string[]): string {
  let out = '';
  for (let k = 0; ;) {
    const line = k === 0 ? lines[0]! : lines[k]!.trimStart();
    if (k === lines.length - 1) return out + line;
    if (line.endsWith(' ')) bail();
    let backslashes = 0;
    while (line.charCodeAt(line.length - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 1) {
      if (lines[k + 1]!.trim() === '') bail();
      out += line.slice(0, -1);
      k++;
      continue;
    }
    let blanks = 0;
    while (k + 1 + blanks < lines.length - 1 && lines[k + 1 + blanks]!.trim() === '') blanks++;
    out += line + (blanks > 0 ? '\\n'.repeat(blanks) : ' ');
    k += 1 + blanks;
  }
}

/**
 * The text of a single-quoted scalar over several lines (before `''` becomes `'`), folded as
 * `yaml` folds it: spaces around line breaks go, a line break is a space, each blank line a newline.
 */
function foldSingle(lines: string[]): string {
  let value = lines[0]!.trimEnd();
  let separator = ' ';
  for (let k = 1; k < lines.length - 1; k++) {
    const line = lines[k]!.trim();
    if (line === '') {
      if (separator === '\n') value += separator;
      else separator = '\n';
    } else {
      value += separator + line;
      separator = ' ';
    }
  }
  return value + separator + lines[lines.length - 1]!.trimStart();
}

/** Folds a folded scalar's lines: neighbours join with a space, each blank line between gives a newline. */
function foldRuns(lines: string[]): string {
  let value = '';
  let blanks = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      blanks++;
      continue;
    }
    if (started) value += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    value += line;
    blanks = 0;
    started = true;
  }
  return value;
}

import { isMap, isPair, isSeq } from 'yaml';
import { looksLikePodDocument, topLevelApiVersion, topLevelKinds } from './kind-lines';
import { kindsGeneration } from './kinds';
import { deferredDocumentModel } from './parse';
import { isGoTemplateAction, placeholderDialect } from './placeholders';
import { splitDocuments, splitList, type Chunk } from './split';
import type { DocumentModel, FileModel, PlacedDocument, Range } from './types';

/**
 * Splits files into documents and keeps each file's document models keyed by their text, so an
 * edit re-parses only the document it touched: work grows with the edit, not with the file. Every
 * model parses on first read (a request about one place of a big file pays for the document it
 * looks at) and can drop its parse again (DocumentModel.release). Only the documents of each
 * file's latest version are kept, so memory follows the open files, not the history of edits.
 */
export class ModelCache {
  private files = new Map<string, KnownDocuments>();
  /**
   * The documents the files' latest versions hold, by key, with how many files hold each: a
   * document written the same in another file (a manifest copied to another folder, a test's
   * variants) is parsed and checked once. Holds nothing the files do not.
   */
  private shared = new Map<string, { known: KnownDocument; files: number }>();
  /** The configured kinds the models were built with (model/kinds.ts). */
  private generation = kindsGeneration();
  /** Counts parses, so tests can prove an edit re-parsed one document only. */
  parseCount = 0;

  /** `listSplitMinChars`: from what size a List is split at its items (tests vary it). */
  constructor(private readonly options: { listSplitMinChars?: number } = {}) {}

  /** `key` names the file (its URI); successive versions of one file share unchanged documents. */
  parseFile(text: string, key = ''): FileModel {
    const steps = this.parseFileSteps(text, key);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * parseFile in steps, for a caller that spreads a big file over several turns of the event loop
   * and gives up when the text is superseded: the only parsing done here is what telling a
   * template apart needs (the pod documents of a text with `{{`), one document per step.
   * Documents parsed by an abandoned run stay cached for the next one.
   */
  *parseFileSteps(text: string, key = ''): Generator<void, FileModel> {
    if (this.generation !== kindsGeneration()) {
      // a config file added or changed a custom resource kind: documents built before may lack pods
      this.files.clear();
      this.shared.clear();
      this.generation = kindsGeneration();
    }
    const previous: KnownDocuments = this.files.get(key) ?? { list: [], byKey: new Map() };
    // the text of the file's latest version again (the workspace index opens what the diagnostics
    // just checked): the same model, without splitting a big file and comparing every document
    if (previous.file && previous.file.text === text) return previous.file;
    const current: KnownDocuments = { list: [], byKey: new Map() };
    // a big List counts as one document per item: an edit in it re-parses one item
    const chunks = splitDocuments(text).flatMap((chunk) => splitList(chunk, this.options.listSplitMinChars) ?? [chunk]);
    const templated = hasTemplateOpening(text);
    const template = templated ? obviousTemplate(chunks) : undefined;
    // an edit changes the documents it touches; the others are where they were, counted from the
    // start of the file (those before the edit) or from its end (those after it)
    const shift = chunks.length - previous.list.length;
    const documents: PlacedDocument[] = chunks.map((chunk, index) => {
      const known =
        sameDocument(previous.list[index], chunk) ??
        sameDocument(previous.list[index - shift], chunk) ??
        this.lookUp(chunk, current, previous, text);
      current.list.push(known);
      current.byKey.set(known.key, known);
      return { index, offset: chunk.offset, model: known.model };
    });
    this.files.set(key, current);
    this.share(current, previous);
    if (templated && !template) {
      // findTemplate reads every document: parse them here, a step each
      for (const doc of documents) {
        const before = this.parseCount;
        void doc.model.isPodDocument;
        if (this.parseCount !== before) yield;
      }
    }
    current.file = fileModel(text, documents, templated, template);
    return current.file;
  }

  /**
   * A document that is not where it was: by its text, among the documents of this version so far
   * and those of the previous one (it may have moved, or repeat another); else a new model.
   */
  private lookUp(chunk: Chunk, current: KnownDocuments, previous: KnownDocuments, file: string): KnownDocument {
    const key = chunk.part ? `${chunk.part}\u0000${chunk.text}` : chunk.text;
    const found = current.byKey.get(key) ?? previous.byKey.get(key) ?? this.shared.get(key)?.known;
    if (found) return found;
    // a file of one document is that document: nothing else to let go of
    const text = chunk.text === file ? file : detached(chunk.text);
    return {
      key: chunk.part ? `${chunk.part}\u0000${text}` : text,
      part: chunk.part,
      model: deferredDocumentModel(text, () => this.parseCount++, chunk.part),
    };
  }

  /** Drops a closed file's documents. */
  forget(key: string): void {
    const known = this.files.get(key);
    if (known) this.share({ list: [], byKey: new Map() }, known);
    this.files.delete(key);
  }

  /** Counts the documents a file now holds in `shared`, and no longer those it held before only. */
  private share(current: KnownDocuments, previous: KnownDocuments): void {
    for (const [key, known] of current.byKey) {
      if (previous.byKey.has(key)) continue;
      const entry = this.shared.get(key);
      if (entry) entry.files++;
      else this.shared.set(key, { known, files: 1 });
    }
    for (const key of previous.byKey.keys()) {
      if (current.byKey.has(key)) continue;
      const entry = this.shared.get(key);
      if (entry && --entry.files === 0) this.shared.delete(key);
    }
  }

  /** Document models held, over all files. */
  get size(): number {
    let n = 0;
    for (const docs of this.files.values()) n += docs.byKey.size;
    return n;
  }
}

/** A file's documents: in the order of its latest version, and by key (text, and List part if any). */
interface KnownDocuments {
  list: KnownDocument[];
  byKey: Map<string, KnownDocument>;
  /** The model of the whole text, once made. */
  file?: FileModel;
}

interface KnownDocument {
  key: string;
  part: Chunk['part'];
  model: DocumentModel;
}

/**
 * `known` if it is the document of `chunk`. A string comparison: on every keystroke in a big file
 * each unchanged document is found this way, where a Map would hash the text of every one of them
 * (a new string each version) before it could compare it.
 */
function sameDocument(known: KnownDocument | undefined, chunk: Chunk): KnownDocument | undefined {
  return known && known.part === chunk.part && known.model.text === chunk.text ? known : undefined;
}

/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 makes a long substring a
 * view into its parent string, which stays alive as long as the view does: a document model kept
 * across edits would keep the whole file as it was when the document was last changed, one copy
 * per version, so that editing a document after another in a 1 MB file grew the heap by 1 MB each
 * time. Copied as Latin-1 where that gives the text back (most manifests are ASCII: a copy of one
 * byte a character, made several times as fast), else through UTF-16 code units, so any string
 * comes back unchanged (lone surrogates too).
 */
function detached(s: string): string {
  if (typeof Buffer === 'function') {
    const latin1 = Buffer.from(s, 'latin1').toString('latin1');
    return latin1 === s ? latin1 : Buffer.from(s, 'utf16le').toString('utf16le');
  }
  // a browser worker has no Buffer: joining fresh chunks of code units makes a flat copy too
  const chunks: string[] = [];
  for (let i = 0; i < s.length; i += 8192) {
    const units: number[] = [];
    for (let j = i; j < Math.min(i + 8192, s.length); j++) units.push(s.charCodeAt(j));
    chunks.push(String.fromCharCode(...units));
  }
  return chunks.join('');
}

/**
 * Whether a text holds a template's opening `{{` or `{%` anywhere. Two string searches: on every
 * keystroke in a big file this scans the whole text, and V8 runs them an order of magnitude faster
 * than the regular expression /\{\{|\{%/ (0.04 against 0.55 ms on a 1.2 MB file), which stops at
 * every `{` of the text (`emptyDir: {}`).
 */
function hasTemplateOpening(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** The file model; a template's range is the obvious one, else the one its documents show. */
function fileModel(
  text: string,
  documents: PlacedDocument[],
  templated: boolean,
  obvious: Template | undefined,
): FileModel {
  const file: FileModel = { text, documents };
  const template = obvious ?? (templated ? findTemplate(documents) : undefined);
  if (template) file.template = template;
  return file;
}

type Template = NonNullable<FileModel['template']>;

/**
 * A template that shows without parsing: a document whose own top-level lines name a pod kind
 * and that has a Go template action outside a comment. Its documents are then not parsed at
 * all (a Helm template's parse is mostly thousands of syntax errors).
 */
function obviousTemplate(chunks: readonly { text: string; offset: number }[]): Template | undefined {
  for (const chunk of chunks) {
    if (!looksLikePodDocument(chunk.text)) continue;
    const found = findTemplateIn(chunk.text);
    if (found) return { range: { start: chunk.offset + found.start, end: chunk.offset + found.end }, syntax: 'go' };
  }
  return undefined;
}

/**
 * A Helm or Go template with pods in it: its text is not YAML until it is rendered, so it is
 * skipped as a whole (control structures span documents). Returns where the first template
 * action outside a comment is; else where the first placeholder of another tool stands in for a
 * YAML value (see unfilledPlaceholder).
 */
function findTemplate(documents: PlacedDocument[]): Template | undefined {
  if (!documents.some((d) => d.model.isPodDocument)) return undefined;
  // Go templates inside the strings of other objects (alerting rules in a ConfigMap) are data, not
  // templating: only a pod document with a template, or one that fails to parse, marks the file.
  const searched = documents.filter((doc) => doc.model.isPodDocument || doc.model.syntaxErrors.length > 0);
  for (const doc of searched) {
    const found = findTemplateIn(doc.model.text);
    if (found) return { range: { start: doc.offset + found.start, end: doc.offset + found.end }, syntax: 'go' };
  }
  for (const doc of searched) {
    const found = unfilledPlaceholder(doc.model);
    if (found)
      return { range: { start: doc.offset + found.start, end: doc.offset + found.end }, syntax: 'placeholder' };
  }
  return undefined;
}

/**
 * The first Go template action (or Jinja tag) outside a comment line. The placeholders of other
 * tools (Argo's `{{inputs.parameters.x}}`, sed-style `{{ name }}`) are not: a file that has only
 * those is checked (see placeholders.ts). An action not closed on its line is taken for Go's (its
 * pipeline goes on below); a placeholder is one line.
 */
function findTemplateIn(text: string): Range | undefined {
  if (!hasTemplateOpening(text)) return undefined;
  const dialect = placeholderDialect(topLevelApiVersion(text), topLevelKinds(text)[0]);
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    if (!/^\s*#/.test(line)) {
      const open = /\{\{|\{%/g;
      for (let m = open.exec(line); m; m = open.exec(line)) {
        const start = lineStart + m.index;
        const close = line.indexOf(m[0] === '{%' ? '%}' : '}}', m.index + 2);
        if (close === -1) return { start, end: lineEnd };
        if (m[0] === '{%' || isGoTemplateAction(line.slice(m.index + 2, close), dialect))
          return { start, end: lineStart + close + 2 };
        open.lastIndex = close + 2;
      }
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return undefined;
}

/**
 * A placeholder written where YAML expects a value (`replicas: {{count}}`, `- {{item}}`): unquoted,
 * `{{` opens a flow mapping, so the text is not the YAML it will be once the placeholder is
 * filled in (kubectl rejects the mapping as a key), and checking it would report a map where a
 * number belongs. Such a document is a template to render, like a Helm one. A placeholder inside
 * a scalar (`"{{image}}"`, `etcd-{{cell}}`, a block scalar) leaves the YAML as it will be: checked.
 */
function unfilledPlaceholder(model: DocumentModel): Range | undefined {
  const text = model.text;
  if (text.indexOf('{{') < 0) return undefined;
  let found: Range | undefined;
  const visit = (node: unknown): void => {
    if (found || !(isMap(node) || isSeq(node))) return;
    const start = node.range?.[0];
    if (node.flow && start !== undefined && text.startsWith('{{', start)) {
      const close = text.indexOf('}}', start);
      found = { start, end: close === -1 ? start + 2 : close + 2 };
      return;
    }
    for (const item of node.items) {
      if (isPair(item)) {
        visit(item.key);
        visit(item.value);
      } else visit(item);
    }
  };
  visit(model.yaml.contents);
  return found;
}

import { deferredDocumentModel, looksLikePodDocument } from './parse';
import { splitDocuments, splitList } from './split';
import type { DocumentModel, FileModel, PlacedDocument, Range } from './types';

/**
 * Splits files into documents and keeps each file's document models keyed by their text, so an
 * edit re-parses only the document it touched: work grows with the edit, not with the file. Every
 * model parses on first read (a request about one place of a big file pays for the document it
 * looks at) and can drop its parse again (DocumentModel.release). Only the documents of each
 * file's latest version are kept, so memory follows the open files, not the history of edits.
 */
export class ModelCache {
  private files = new Map<string, Map<string, DocumentModel>>();
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
    const previous = this.documentsOf(key);
    const current = new Map<string, DocumentModel>();
    // a big List counts as one document per item: an edit in it re-parses one item
    const chunks = splitDocuments(text).flatMap((chunk) => splitList(chunk, this.options.listSplitMinChars) ?? [chunk]);
    const templated = TEMPLATE.test(text);
    const template = templated ? obviousTemplate(chunks) : undefined;
    const documents: PlacedDocument[] = chunks.map((chunk, index) => {
      // the same text means something else as a part of a List
      const key = chunk.part ? `${chunk.part}\u0000${chunk.text}` : chunk.text;
      let model = current.get(key) ?? previous.get(key);
      if (!model) {
        model = deferredDocumentModel(chunk.text, () => this.parseCount++, chunk.part);
        previous.set(key, model);
      }
      current.set(key, model);
      return { index, offset: chunk.offset, model };
    });
    this.files.set(key, current);
    if (templated && !template) {
      // findTemplate reads every document: parse them here, a step each
      for (const doc of documents) {
        const before = this.parseCount;
        void doc.model.isPodDocument;
        if (this.parseCount !== before) yield;
      }
    }
    return fileModel(text, documents, templated, template);
  }

  /** The cached documents of a file, by text (and List part; created empty on first use). */
  private documentsOf(key: string): Map<string, DocumentModel> {
    let known = this.files.get(key);
    if (!known) this.files.set(key, (known = new Map()));
    return known;
  }

  /** Drops a closed file's documents. */
  forget(key: string): void {
    this.files.delete(key);
  }

  /** Document models held, over all files. */
  get size(): number {
    let n = 0;
    for (const docs of this.files.values()) n += docs.size;
    return n;
  }
}

const TEMPLATE = /\{\{|\{%/;

/** The file model; a template's range is the obvious one, else the one its documents show. */
function fileModel(
  text: string,
  documents: PlacedDocument[],
  templated: boolean,
  obvious: Range | undefined,
): FileModel {
  const file: FileModel = { text, documents };
  const range = obvious ?? (templated ? findTemplate(documents) : undefined);
  if (range) file.template = { range };
  return file;
}

/**
 * A template that shows without parsing: a document whose own top-level lines name a pod kind
 * and that has a template expression outside a comment. Its documents are then not parsed at
 * all (a Helm template's parse is mostly thousands of syntax errors).
 */
function obviousTemplate(chunks: readonly { text: string; offset: number }[]): Range | undefined {
  for (const chunk of chunks) {
    if (!looksLikePodDocument(chunk.text)) continue;
    const found = findTemplateIn(chunk.text);
    if (found) return { start: chunk.offset + found.start, end: chunk.offset + found.end };
  }
  return undefined;
}

/**
 * A Helm or Go template with pods in it: its text is not YAML until it is rendered, so it is
 * skipped as a whole (control structures span documents). Returns where the first template
 * expression outside a comment is.
 */
function findTemplate(documents: PlacedDocument[]): Range | undefined {
  if (!documents.some((d) => d.model.isPodDocument)) return undefined;
  // Go templates inside the strings of other objects (alerting rules in a ConfigMap) are data, not
  // templating: only a pod document with a template, or one that fails to parse, marks the file.
  for (const doc of documents) {
    if (!doc.model.isPodDocument && doc.model.syntaxErrors.length === 0) continue;
    const found = findTemplateIn(doc.model.text);
    if (found) return { start: doc.offset + found.start, end: doc.offset + found.end };
  }
  return undefined;
}

function findTemplateIn(text: string): Range | undefined {
  if (!TEMPLATE.test(text)) return undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    if (!/^\s*#/.test(line)) {
      const m = TEMPLATE.exec(line);
      if (m) {
        const start = lineStart + m.index;
        const close = line.indexOf('}}', m.index);
        return { start, end: close === -1 ? lineEnd : lineStart + close + 2 };
      }
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return undefined;
}

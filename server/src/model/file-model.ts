import { parseDocumentModel } from './parse';
import { splitDocuments } from './split';
import type { DocumentModel, FileModel, PlacedDocument, Range } from './types';

/**
 * Parses files document by document and keeps each document's model keyed by its text, so an edit
 * re-parses only the document it touched: work grows with the edit, not with the file.
 */
export class ModelCache {
  private models = new Map<string, DocumentModel>();
  /** Counts parses, so tests can prove an edit re-parsed one document only. */
  parseCount = 0;

  constructor(private readonly maxEntries = 20_000) {}

  parseFile(text: string): FileModel {
    const chunks = splitDocuments(text);
    const documents: PlacedDocument[] = chunks.map((chunk, index) => ({
      index,
      offset: chunk.offset,
      model: this.documentModel(chunk.text),
    }));
    const file: FileModel = { text, documents };
    const template = findTemplate(text, documents);
    if (template) file.template = { range: template };
    return file;
  }

  documentModel(text: string): DocumentModel {
    let model = this.models.get(text);
    if (model) {
      // refresh recency: Map iteration order is insertion order
      this.models.delete(text);
      this.models.set(text, model);
      return model;
    }
    model = parseDocumentModel(text);
    this.parseCount++;
    this.models.set(text, model);
    if (this.models.size > this.maxEntries) {
      const oldest = this.models.keys().next().value;
      if (oldest !== undefined) this.models.delete(oldest);
    }
    return model;
  }

  clear(): void {
    this.models.clear();
  }
}

const TEMPLATE = /\{\{|\{%/;

/**
 * A Helm or Go template with pods in it: its text is not YAML until it is rendered, so it is
 * skipped as a whole (control structures span documents). Returns where the first template
 * expression outside a comment is.
 */
function findTemplate(text: string, documents: PlacedDocument[]): Range | undefined {
  if (!TEMPLATE.test(text) || !documents.some((d) => d.model.isPodDocument)) return undefined;
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

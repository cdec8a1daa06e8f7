import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine, FileModel } from '../engine';
import { isYaml } from './diagnostics-handler';

/**
 * An open YAML document and its file model from the cache the diagnostics fill: a request between
 * two validations parses only the documents an edit touched, and the validation then reuses them.
 * Documents are parsed when a service first reads them, so a request about one place of a big
 * file does not wait for the whole file. A file too big to check gets no features at all.
 */
export function openFile(
  documents: TextDocuments<TextDocument>,
  engine: Engine,
  uri: string,
): { doc: TextDocument; file: FileModel } | undefined {
  const doc = documents.get(uri);
  if (!doc || !isYaml(doc)) return undefined;
  const file = engine.open(doc.getText(), uri);
  return file && { doc, file };
}

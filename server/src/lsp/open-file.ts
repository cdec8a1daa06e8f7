import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import type { FileModel } from '../model/types';
import { isYaml, MAX_FILE_CHARS } from './diagnostics-handler';

/**
 * An open YAML document and its file model from the cache the diagnostics fill: a request between
 * two validations parses only the documents an edit touched, and the validation then reuses them.
 * Documents are parsed when a service first reads them, so a request about one place of a big
 * file does not wait for the whole file. A file too big to check gets no features at all.
 */
export function openFile(
  documents: TextDocuments<TextDocument>,
  models: ModelCache,
  uri: string,
): { doc: TextDocument; file: FileModel } | undefined {
  const doc = documents.get(uri);
  if (!doc || !isYaml(doc)) return undefined;
  const text = doc.getText();
  if (text.length > MAX_FILE_CHARS) return undefined;
  return { doc, file: models.parseFile(text, uri) };
}

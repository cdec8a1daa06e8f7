import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import type { FileModel } from '../model/types';
import { isYaml } from './diagnostics-handler';

/**
 * An open YAML document and its file model from the cache the diagnostics fill: a request between
 * two validations parses only the documents an edit touched, and the validation then reuses them.
 */
export function openFile(
  documents: TextDocuments<TextDocument>,
  models: ModelCache,
  uri: string,
): { doc: TextDocument; file: FileModel } | undefined {
  const doc = documents.get(uri);
  if (!doc || !isYaml(doc)) return undefined;
  return { doc, file: models.parseFile(doc.getText(), uri) };
}

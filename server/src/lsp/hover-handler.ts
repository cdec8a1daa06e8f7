import type { Hover, HoverParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import { hover } from '../services/hover';
import { openFile } from './open-file';

export class HoverHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: ModelCache,
  ) {}

  hover(params: HoverParams): Hover | null {
    const open = openFile(this.documents, this.models, params.textDocument.uri);
    return open ? hover(open.file, open.doc, params.position) : null;
  }
}

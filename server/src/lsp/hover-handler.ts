import type { Hover, HoverParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import { hover } from '../services/hover';
import { openFile } from './open-file';

export class HoverHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
  ) {}

  hover(params: HoverParams): Hover | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    return open ? hover(open.file, open.doc, params.position) : null;
  }
}

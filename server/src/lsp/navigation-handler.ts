import {
  ErrorCodes,
  ResponseError,
  type DefinitionParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import { definition, prepareRename, references, rename } from '../services/navigation';
import { documentSymbols } from '../services/symbols';
import { openFile } from './open-file';

/** Outline, definition, references and rename; a refused rename is an error the editor shows as is. */
export class NavigationHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
  ) {}

  documentSymbols(params: DocumentSymbolParams): DocumentSymbol[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    return open ? documentSymbols(open.file, open.doc) : null;
  }

  definition(params: DefinitionParams): Location[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    return open ? definition(open.file, open.doc, params.position) : null;
  }

  references(params: ReferenceParams): Location[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    return open ? references(open.file, open.doc, params.position, params.context.includeDeclaration) : null;
  }

  prepareRename(params: PrepareRenameParams): { range: Range; placeholder: string } | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const result = prepareRename(open.file, open.doc, params.position);
    // VS Code shows the message of a rejected prepareRename; a null would only say "cannot rename"
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidRequest, result.message);
    return { range: result.range, placeholder: result.placeholder };
  }

  rename(params: RenameParams): WorkspaceEdit | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const result = rename(open.file, open.doc, params.position, params.newName);
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidParams, result.message);
    return result.edit;
  }
}

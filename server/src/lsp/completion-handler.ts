import type { CompletionParams, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import { completions } from '../services/completion';
import { openFile } from './open-file';

/**
 * Answers textDocument/completion from the model cache the diagnostics fill: a keystroke's
 * document is parsed once, whichever of the two asks first.
 */
export class CompletionHandler {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
  ) {}

  /** Space completes after `- ` and `key: `; the service ignores it elsewhere. */
  static readonly triggerCharacters = [' '];

  listen(): void {
    this.connection.onCompletion((params) => this.complete(params));
  }

  private complete(params: CompletionParams): ReturnType<typeof completions> {
    try {
      // the documents are parsed as the service reads them: the one under the cursor
      const open = openFile(this.documents, this.engine, params.textDocument.uri);
      if (!open) return [];
      return completions(open.file, open.doc, params.position, params.context?.triggerCharacter);
    } catch (e) {
      this.connection.console.error(`completion failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  }
}

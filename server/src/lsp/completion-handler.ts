import type { CompletionParams, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import type { CompletionItem } from 'vscode-languageserver';
import { acrossCompletions } from '../services/across';
import { completions } from '../services/completion';
import { cursorContext } from '../services/completion-context';
import { documentAt } from '../services/pod-target';
import { openFile } from './open-file';
import type { WorkspaceSet } from './workspace-set';

/**
 * Answers textDocument/completion from the model cache the diagnostics fill: a keystroke's
 * document is parsed once, whichever of the two asks first.
 */
export class CompletionHandler {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    /** The workspace's other objects: port names a Service can target, ConfigMap names and keys. */
    private readonly set?: WorkspaceSet,
  ) {}

  /** Space completes after `- ` and `key: `; the service ignores it elsewhere. */
  static readonly triggerCharacters = [' '];

  listen(): void {
    this.connection.onCompletion((params) => this.complete(params));
  }

  /** Names and keys from other objects, replacing what has been typed of the value. */
  private across(
    doc: TextDocument,
    file: NonNullable<ReturnType<typeof openFile>>['file'],
    position: CompletionParams['position'],
  ): CompletionItem[] {
    const relations = this.set?.relationsFor(doc.uri, file.text);
    if (!relations || file.template) return [];
    const offset = doc.offsetAt(position);
    const placed = documentAt(file, offset);
    if (!placed) return [];
    const ctx = cursorContext(placed.model.text, offset - placed.offset);
    if (!ctx || ctx.kind !== 'value') return [];
    const items = acrossCompletions(relations, doc.uri, offset, ctx, placed.model.yaml.contents);
    const range = { start: doc.positionAt(placed.offset + ctx.start), end: position };
    return items.map((i) => ({ ...i, textEdit: { range, newText: i.label }, filterText: i.label }));
  }

  private complete(params: CompletionParams): ReturnType<typeof completions> {
    try {
      // the documents are parsed as the service reads them: the one under the cursor
      const open = openFile(this.documents, this.engine, params.textDocument.uri);
      if (!open) return [];
      const own = completions(open.file, open.doc, params.position, params.context?.triggerCharacter);
      const across = this.across(open.doc, open.file, params.position);
      const labels = new Set(own.map((i) => i.label));
      return [...own, ...across.filter((i) => !labels.has(i.label))];
    } catch (e) {
      this.connection.console.error(`completion failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  }
}

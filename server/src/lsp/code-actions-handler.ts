import type { CodeAction, CodeActionParams, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import { codeActions } from '../services/code-actions';
import type { Linter } from '../services/lint';
import type { ConfigStore } from './config-store';
import { MAX_FILE_CHARS } from './diagnostics-handler';

/** textDocument/codeAction: the current model's findings (the linter's cache) to code actions. */
export class CodeActionsHandler {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: ModelCache,
    private readonly linter: Linter,
    private readonly settings: ConfigStore,
    private readonly documentChanges: () => boolean,
  ) {}

  async handle(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    if (!this.documents.get(uri) || this.settings.isConfigFile(uri)) return [];
    const resolved = await this.settings.get(uri);
    // read the document after the await: an edit may have come in meanwhile
    const document = this.documents.get(uri);
    // a file too big to check has no findings, so no fixes either
    if (!document || resolved.ignored || document.getText().length > MAX_FILE_CHARS) return [];
    const findings = this.linter.lint(this.models.parseFile(document.getText(), uri), resolved.settings);
    return codeActions({
      document,
      findings,
      diagnostics: params.context.diagnostics,
      only: params.context.only,
      documentChanges: this.documentChanges(),
      log: (m) => this.connection.console.error(m),
    });
  }
}

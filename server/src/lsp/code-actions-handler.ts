import type { CodeAction, CodeActionParams, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Around, Engine } from '../engine';
import { codeActions } from '../services/code-actions';
import { DIAGNOSTIC_SOURCE } from '../services/diagnostics';
import type { ConfigStore } from './config-store';

/** textDocument/codeAction: the current model's findings (the linter's cache) to code actions. */
export class CodeActionsHandler {
  /** What the workspace's other files say about a file, as its diagnostics were checked with (DiagnosticsHandler.around). */
  around: (uri: string) => Around = () => ({});

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    private readonly settings: ConfigStore,
    private readonly documentChanges: () => boolean,
  ) {}

  async handle(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    if (!this.documents.get(uri) || this.settings.isConfigFile(uri)) return [];
    const resolved = await this.settings.get(uri);
    // read the document after the await: an edit may have come in meanwhile
    const document = this.documents.get(uri);
    if (!document || resolved.ignored) return [];
    const text = document.getText();
    const fixAll = params.context.only?.some((k) => k.startsWith('source')) === true;
    // every quick fix belongs to one of our diagnostics: an editor asks at each move of the
    // cursor, mostly where there is none, and then nothing needs checking
    if (!fixAll && !params.context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return [];
    // quick fixes concern the requested range: only its documents are parsed (documents parse when
    // read) and checked again, for fixes the diagnostics' cache does not keep; fix-all needs the
    // whole file. A file too big to check has no findings, so no fixes either.
    const range = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
    const findings = this.engine.checkWithFixes(
      text,
      resolved.settings,
      uri,
      fixAll ? undefined : range,
      this.around(uri),
    );
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

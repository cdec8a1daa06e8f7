import type { CodeAction, CodeActionParams, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import { codeActions } from '../services/code-actions';
import { DIAGNOSTIC_SOURCE } from '../services/diagnostics';
import type { Linter } from '../engine/linter';
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
    const text = document.getText();
    const fixAll = params.context.only?.some((k) => k.startsWith('source')) === true;
    // every quick fix belongs to one of our diagnostics: an editor asks at each move of the
    // cursor, mostly where there is none, and then nothing needs checking
    if (!fixAll && !params.context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return [];
    // quick fixes concern the requested range: only its documents are parsed (documents parse when
    // read) and checked again, for fixes the diagnostics' cache does not keep; fix-all needs the
    // whole file
    const file = this.models.parseFile(text, uri);
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    const scope = fixAll
      ? file
      : { ...file, documents: file.documents.filter((d, i, all) => overlaps(d, all[i + 1], start, end)) };
    const findings = this.linter.lint(scope, resolved.settings, { withFixes: true });
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

/** Whether a document (ending where the next one starts) overlaps the offsets start..end. */
function overlaps(doc: { offset: number }, next: { offset: number } | undefined, start: number, end: number): boolean {
  return doc.offset <= end && (next === undefined || next.offset > start);
}

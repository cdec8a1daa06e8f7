// The language server's wiring: transports, capabilities, handlers. Features live in services/.
// One wiring for both builds: what differs between Node and a browser worker is in platform/.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionsHandler } from './lsp/code-actions-handler';
import { CompletionHandler } from './lsp/completion-handler';
import { configLogger, ConfigStore } from './lsp/config-store';
import { DiagnosticsHandler } from './lsp/diagnostics-handler';
import { HoverHandler } from './lsp/hover-handler';
import { NavigationHandler } from './lsp/navigation-handler';
import { DiagramHandler } from './lsp/diagram-handler';
import { SettingsStore } from './lsp/settings-store';
import { registerStats } from './lsp/stats';
import { warmUpWhenIdle } from './lsp/warm-up';
import { CONFIG_FILE_NAME, Engine } from './engine';
import { CODE_ACTION_KINDS } from './services/code-actions';
import { DIAGRAM_REQUEST } from '../../shared/src/protocol';
import { platform } from './platform/current';

const connection = platform.createConnection();
const documents = new TextDocuments(TextDocument);
// a live config lookup: a config file changed on disk applies at the next check, with or without
// file events from the client (in the browser, `platform.fs` answers from what it last fetched)
const engine = new Engine({
  log: (m) => connection.console.error(m),
  config: { live: true, onLoad: configLogger(connection), ...(platform.fs ? { fs: platform.fs } : {}) },
});

let canPullConfiguration = false;
let canRegisterConfiguration = false;
const settings = new SettingsStore(connection, () => canPullConfiguration);
const configs = new ConfigStore(engine, settings, platform);
const diagnostics = new DiagnosticsHandler(connection, documents, engine, configs);
const completion = new CompletionHandler(connection, documents, engine);
const hovers = new HoverHandler(documents, engine);
const navigation = new NavigationHandler(documents, engine);
const diagram = new DiagramHandler(documents, engine, {
  // the diagram shows what the Problems panel shows: the config file applies to it too
  get: (uri) => configs.settingsFor(uri),
});
let canApplyDocumentChanges = false;
let canWatchFiles = false;
const codeActions = new CodeActionsHandler(connection, documents, engine, configs, () => canApplyDocumentChanges);

connection.onInitialize((params): InitializeResult => {
  platform.initialize(params);
  const workspace = params.capabilities.workspace;
  canPullConfiguration = workspace?.configuration === true;
  canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
  canApplyDocumentChanges = workspace?.workspaceEdit?.documentChanges === true;
  canWatchFiles = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: CompletionHandler.triggerCharacters },
      hoverProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      // prepareRename only for clients that say they send it (LSP 3.12+)
      renameProvider:
        params.capabilities.textDocument?.rename?.prepareSupport === true ? { prepareProvider: true } : true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
    },
    serverInfo: { name: 'sidecar-pods-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (platform.limitations) connection.console.info(platform.limitations);
  warmUpWhenIdle(
    () => documents.all().length > 0,
    (m) => connection.console.warn(m),
  );
  if (canRegisterConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'sidecarPods' });
  }
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [`**/${CONFIG_FILE_NAME}`, ...platform.extraWatchGlobs].map((globPattern) => ({ globPattern })),
    });
  }
});

// A config file was created, changed or deleted: read it again and re-check every open document.
connection.onDidChangeWatchedFiles(() => {
  configs.invalidate();
  diagnostics.scheduleAll();
});

connection.onCodeAction((params) => codeActions.handle(params));

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  diagnostics.scheduleAll();
});

completion.listen();
connection.onRequest(DIAGRAM_REQUEST, (params: unknown) => diagram.diagram(params));
connection.onCodeLens((params) => diagram.codeLenses(params));

documents.onDidOpen((e) => diagnostics.schedule(e.document.uri));
documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  diagnostics.clear(e.document.uri);
});

connection.onHover((p) => hovers.hover(p));
connection.onDocumentSymbol((p) => navigation.documentSymbols(p));
connection.onDefinition((p) => navigation.definition(p));
connection.onReferences((p) => navigation.references(p));
connection.onPrepareRename((p) => navigation.prepareRename(p));
connection.onRenameRequest((p) => navigation.rename(p));

// A bug must never take the editor's server down: log it and keep serving.
platform.catchUncaught((m) => connection.console.error(m));

registerStats(connection, engine, diagnostics, platform.maxRss);

documents.listen(connection);
connection.listen();

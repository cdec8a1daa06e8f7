// The language server's wiring: transports, capabilities, handlers. Features live in services/.
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticsHandler } from './lsp/diagnostics-handler';
import { DiagramHandler } from './lsp/diagram-handler';
import { SettingsStore } from './lsp/settings-store';
import { ModelCache } from './model/file-model';
import { Linter } from './services/lint';
import { DIAGRAM_REQUEST } from '../../shared/src/protocol';

// createConnection reads the transport from argv: --stdio, --node-ipc, --socket=N or --pipe=NAME.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const models = new ModelCache();
const linter = new Linter(undefined, (m) => connection.console.error(m));

let canPullConfiguration = false;
let canRegisterConfiguration = false;
const settings = new SettingsStore(connection, () => canPullConfiguration);
const diagnostics = new DiagnosticsHandler(connection, documents, models, linter, settings);
const diagram = new DiagramHandler(documents, models, linter, settings);

connection.onInitialize((params): InitializeResult => {
  const workspace = params.capabilities.workspace;
  canPullConfiguration = workspace?.configuration === true;
  canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'sidecar-pods-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canRegisterConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'sidecarPods' });
  }
});

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  diagnostics.scheduleAll();
});

connection.onRequest(DIAGRAM_REQUEST, (params: unknown) => diagram.diagram(params));
connection.onCodeLens((params) => diagram.codeLenses(params));

documents.onDidOpen((e) => diagnostics.schedule(e.document.uri));
documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  diagnostics.clear(e.document.uri);
});

// A bug must never take the editor's server down: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

documents.listen(connection);
connection.listen();

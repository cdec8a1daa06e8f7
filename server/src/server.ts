// The language server's wiring: transports, capabilities, handlers. Features live in services/.
// One wiring for both builds: what differs between Node and a browser worker is in platform/.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
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
import { KUSTOMIZATION_NAMES } from './workspace/kustomize';
import { SettingsStore } from './lsp/settings-store';
import { registerStats } from './lsp/stats';
import { warmUpWhenIdle } from './lsp/warm-up';
import { WorkspaceSet } from './lsp/workspace-set';
import { CONFIG_FILE_NAME, Engine, isKustomizationFile, type Around } from './engine';
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
// the workspace's files for the rules across objects; only open documents get diagnostics
const workspaceSet = new WorkspaceSet(
  connection,
  engine,
  configs,
  settings,
  (uri) => diagnostics.schedule(uri),
  (uri) => documents.get(uri) !== undefined,
  { fs: platform.indexFs, pathOf: (uri) => platform.pathOf(uri) },
);
diagnostics.setFindings = (uri, text) => workspaceSet.findingsOf(uri, text);
// an open document joins the set with each text the diagnostics have checked
diagnostics.onChecked = (uri, text) => workspaceSet.opened(uri, text);
workspaceSet.yieldTo = () => diagnostics.idle();
// the SidecarSets of the workspace's other files inject into the pods of each open file
const around = (uri: string): Around => ({ sidecarSets: workspaceSet.sidecarSetsElsewhere(uri) });
diagnostics.around = around;
// rendered kustomize overlays (none in the browser, which runs no programs)
const overlays = platform.createOverlays({
  connection,
  documents,
  engine,
  configs,
  revalidate: (uri) => diagnostics.schedule(uri),
  setFindings: (uri, text) => workspaceSet.findingsOf(uri, text),
  kustomizations: () => workspaceSet.kustomizations(),
});
// a rendered finding's related location may be in a file the workspace set does not hold
diagnostics.locate = (key, range) => workspaceSet.location({ key, range }) ?? overlays?.location(key, range);
workspaceSet.onChange = () => overlays?.refresh();
diagnostics.extra = (uri) => overlays?.extra(uri) ?? [];
const completion = new CompletionHandler(connection, documents, engine, workspaceSet);
const hovers = new HoverHandler(documents, engine, workspaceSet);
const navigation = new NavigationHandler(documents, engine, workspaceSet);
const diagram = new DiagramHandler(
  documents,
  engine,
  {
    // the diagram shows what the Problems panel shows: the config file applies to it too
    get: (uri) => configs.settingsFor(uri),
  },
  (uri) => overlays?.renderedModel(uri) ?? Promise.resolve(undefined),
  (uri, text) => workspaceSet.servicesSelecting(uri, text),
  (uri) => workspaceSet.sidecarSetsElsewhere(uri),
);
let workspaceFolders: string[] = [];
let canApplyDocumentChanges = false;
let canWatchFiles = false;
const codeActions = new CodeActionsHandler(connection, documents, engine, configs, () => canApplyDocumentChanges);
codeActions.around = around;

connection.onInitialize((params): InitializeResult => {
  platform.initialize(params);
  const workspace = params.capabilities.workspace;
  canPullConfiguration = workspace?.configuration === true;
  canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
  canApplyDocumentChanges = workspace?.workspaceEdit?.documentChanges === true;
  canWatchFiles = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  workspaceFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  overlays?.setWorkspaceFolders(workspaceFolderPaths(params));
  return {
    capabilities: {
      // saves re-render kustomize overlays (a render reads the files on disk)
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
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
      // config files, every YAML file for the workspace set, kustomizations (also `Kustomization`)
      watchers: [
        `**/${CONFIG_FILE_NAME}`,
        '**/*.{yaml,yml}',
        `**/{${KUSTOMIZATION_NAMES.join(',')}}`,
        ...platform.extraWatchGlobs,
      ]
        .filter((g, i, all) => all.indexOf(g) === i)
        .map((globPattern) => ({ globPattern })),
    });
  }
  // in the background: open documents are checked on their own meanwhile
  void workspaceSet.start(workspaceFolders);
});

connection.onDidChangeWatchedFiles((params) => {
  // a config file was created, changed or deleted: read it again and re-check every open document
  // or a kustomization (which files are its patches)
  if (params.changes.some((c) => configs.isConfigFile(c.uri) || isKustomizationFile(c.uri))) {
    configs.invalidate();
    overlays?.invalidate();
    diagnostics.scheduleAll();
  }
  void workspaceSet.fileEvents(params.changes);
});

connection.onCodeAction((params) => codeActions.handle(params));

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  diagnostics.scheduleAll();
  workspaceSet.recheck();
});

completion.listen();
connection.onRequest(DIAGRAM_REQUEST, (params: unknown) => diagram.diagram(params));
connection.onCodeLens((params) => diagram.codeLenses(params));

documents.onDidOpen((e) => {
  diagnostics.schedule(e.document.uri);
  // in the background: the document's own diagnostics do not wait for it
  void overlays?.trigger(e.document.uri);
});
documents.onDidSave((e) => void overlays?.trigger(e.document.uri));
documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  diagnostics.clear(e.document.uri);
  void workspaceSet.closed(e.document.uri);
  overlays?.closed(e.document.uri);
});

connection.onHover((p) => hovers.hover(p));
connection.onDocumentSymbol((p) => navigation.documentSymbols(p));
connection.onDefinition((p) => navigation.definition(p));
connection.onReferences((p) => navigation.references(p));
connection.onPrepareRename((p) => navigation.prepareRename(p));
connection.onRenameRequest((p) => navigation.rename(p));

/** The workspace folders on disk, where kustomizations are looked for. */
function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const out: string[] = [];
  for (const uri of uris) {
    if (!uri.startsWith('file:')) continue;
    const path = platform.pathOf(uri);
    if (path !== undefined) out.push(path);
  }
  return out;
}

// A bug must never take the editor's server down: log it and keep serving.
platform.catchUncaught((m) => connection.console.error(m));

registerStats(connection, engine, diagnostics, platform.maxRss, workspaceSet);

documents.listen(connection);
connection.listen();

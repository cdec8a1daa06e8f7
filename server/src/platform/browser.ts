// The browser server (dist/browser/server.js): a web worker of VS Code for the Web (vscode.dev,
// github.dev) or of a web extension host, speaking LSP by postMessage. It has no file system: the
// config and kustomize lookups read workspace files through the client (ClientFs). It cannot run
// programs, so nothing here renders kustomize overlays.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { Connection } from 'vscode-languageserver';
import { READ_FILE_REQUEST, type ReadFileParams, type ReadFileResult } from '../../../shared/src/protocol';
import { KUSTOMIZATION_NAMES } from '../workspace/kustomize';
import { ClientFs } from './client-fs';
import type { ServerPlatform } from './types';

/** The worker's global scope, typed as far as it is used (the server compiles without DOM types). */
interface WorkerScope {
  addEventListener(type: 'error', listener: (e: { message?: string; error?: unknown }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (e: { reason?: unknown }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let connection: Connection | undefined;

const fs = new ClientFs((uri) => {
  if (!connection) return Promise.resolve<ReadFileResult>({ kind: 'missing' });
  return connection.sendRequest<ReadFileResult>(READ_FILE_REQUEST, { uri } satisfies ReadFileParams);
});

export const platform: ServerPlatform = {
  name: 'browser',
  createConnection() {
    // the reader and writer take the worker's global scope (DedicatedWorkerGlobalScope)
    connection = createConnection(new BrowserMessageReader(scope as never), new BrowserMessageWriter(scope as never));
    return connection;
  },
  fs,
  initialize(params) {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    fs.setFolders(folders);
  },
  pathOf: (uri) => fs.pathOf(uri),
  prepare: (uri) => fs.prepare(uri),
  invalidate: () => fs.invalidate(),
  // the Node server stats kustomizations at every lookup; here only a file event says they changed
  extraWatchGlobs: KUSTOMIZATION_NAMES.map((n) => `**/${n}`),
  limitations:
    'Running in the browser: .sidecar-pods.yaml and kustomizations are read from the workspace folders ' +
    'through the editor; a config file above the workspace folders is not seen, and kustomize overlays ' +
    'are not rendered (no kubectl here); Services, ConfigMaps and Secrets are related across the open ' +
    'documents only (the workspace is not indexed).',
  catchUncaught(log) {
    scope.addEventListener('error', (e) =>
      log(`uncaught: ${e.error instanceof Error ? (e.error.stack ?? e.error.message) : String(e.message)}`),
    );
    scope.addEventListener('unhandledrejection', (e) => log(`unhandled rejection: ${String(e.reason)}`));
  },
  maxRss: () => 0,
  // no listing of folders through the client: the set is the open documents
  indexFs: undefined,
  createOverlays: () => undefined,
};

// The extension's web entry point (package.json `browser`): VS Code for the Web (vscode.dev,
// github.dev) and other web extension hosts run it in a web worker, with no Node. The language
// server is dist/browser/server.js in a worker of its own, speaking LSP by postMessage, and reads
// the config and kustomization files of the workspace through this client (workspace-files.ts).
import * as vscode from 'vscode';
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type MessageTransports,
} from 'vscode-languageclient/browser';
import { READ_FILE_REQUEST, type ReadFileParams } from '../../shared/src/protocol';
import { activateWith, deactivateServer } from './activation';
import type { SidecarPodsTestApi } from './api';
import { CONFIG_SECTION } from './config';
import { deferred } from './deferred';
import type { ServerHandle } from './server-handle';
import type { ServerStatusItem } from './status';
import { readWorkspaceFile } from './workspace-files';

const CLIENT_ID = 'sidecarPods'; // as the Node client: the same `sidecarPods.trace.server` setting
const CLIENT_NAME = 'Sidecar Pods';
const SERVER_SCRIPT = ['dist', 'browser', 'server.js'];

/** The Worker of the web extension host, typed as far as it is used (no DOM types here). */
interface WorkerLike {
  terminate(): void;
}
type WorkerConstructor = new (url: string, options?: { name?: string }) => WorkerLike;

export function activate(context: vscode.ExtensionContext): SidecarPodsTestApi {
  return activateWith(context, (output, status) => new WorkerServer(context, output, status));
}

export const deactivate = deactivateServer;

/**
 * The server in a web worker. A fresh worker for each start, and the old one terminated when the
 * client stops, so a restart never talks to a worker that has already exited. A worker that
 * fails is restarted by the library's default error handler (a few times, then it gives up and
 * says so); the Node client's crash policy is about processes, which there are none of here.
 */
class WorkerServer implements ServerHandle {
  readonly client: LanguageClient;
  private worker: WorkerLike | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private running = deferred();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: ServerStatusItem,
  ) {
    this.client = new LanguageClient(CLIENT_ID, CLIENT_NAME, () => this.newWorker(), this.clientOptions());
    this.subscriptions.push(
      this.client.onDidChangeState((e) => this.onState(e.newState)),
      this.client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => readWorkspaceFile(params)),
    );
  }

  private async newWorker(): Promise<MessageTransports> {
    this.worker?.terminate();
    this.worker = undefined;
    const Worker = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
    if (!Worker) throw new Error('this extension host has no Worker, so the language server cannot run');
    const script = vscode.Uri.joinPath(this.context.extensionUri, ...SERVER_SCRIPT);
    const options = { name: 'Sidecar Pods language server' };
    if (script.scheme === 'vscode-remote') {
      // Served by a VS Code server (code-server, a remote): the web extension host refuses to start
      // a worker from a vscode-remote: URI ("Creating workers from remote extensions is currently
      // not supported", microsoft/vscode extensionHostWorker.ts), so the script goes by a blob: URL
      this.worker = new Worker(await blobUrl(script), options);
    } else {
      this.worker = new Worker(script.toString(true), options);
    }
    // The transports, not the Worker: the library tells a Worker by `instanceof Worker`, and the
    // extension host's Worker is a wrapper function whose results are native Workers, so a Worker
    // returned here was taken for transports and the start failed ("reading 'onClose'").
    const port = this.worker as never; // the DOM's Worker type, which the client compiles without
    return { reader: new BrowserMessageReader(port), writer: new BrowserMessageWriter(port) };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      // any scheme a web workspace has: vscode-vfs (github.dev), vscode-remote, file, untitled ...
      documentSelector: [{ language: 'yaml' }],
      synchronize: { configurationSection: CONFIG_SECTION },
      diagnosticCollectionName: 'sidecar-pods',
      outputChannel: this.output,
      initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    };
  }

  private onState(state: State): void {
    if (state === State.Running) {
      this.status.set('running');
      this.running.resolve();
    } else {
      if (this.running.settled) this.running = deferred();
      this.status.set(state === State.Starting ? 'starting' : 'stopped');
    }
  }

  async start(): Promise<void> {
    await this.status.starting(() => this.client.start());
  }

  async restart(): Promise<void> {
    this.output.info('Restarting the server (asked by the user).');
    // the browser client has no restart(): stop (terminating the worker), then start a fresh one
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.client.state !== State.Stopped) await this.client.stop();
    this.worker?.terminate();
    this.worker = undefined;
  }

  whenRunning(): Promise<void> {
    return this.running.promise;
  }

  readonly restarts = 0;
  readonly crashNotices = 0;
  readonly serverPid = undefined;

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The script at `uri`, read through the editor, as a blob: URL of this extension host's origin. */
async function blobUrl(uri: vscode.Uri): Promise<string> {
  const scope = globalThis as unknown as {
    Blob: new (parts: Uint8Array[], options: { type: string }) => object;
    URL: { createObjectURL(blob: object): string };
  };
  const bytes = await vscode.workspace.fs.readFile(uri);
  return scope.URL.createObjectURL(new scope.Blob([bytes], { type: 'text/javascript' }));
}

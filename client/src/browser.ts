// The extension's web entry point (package.json `browser`): VS Code for the Web (vscode.dev,
// github.dev) and other web extension hosts run it in a web worker, with no Node. The language
// server is dist/browser/server.js in a worker of its own, speaking LSP by postMessage, and reads
// the config and kustomization files of the workspace through this client (workspace-files.ts).
import * as vscode from 'vscode';
import { LanguageClient, State, type LanguageClientOptions } from 'vscode-languageclient/browser';
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
    this.client = new LanguageClient(CLIENT_ID, CLIENT_NAME, async () => this.newWorker(), this.clientOptions());
    this.subscriptions.push(
      this.client.onDidChangeState((e) => this.onState(e.newState)),
      this.client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => readWorkspaceFile(params)),
    );
  }

  private newWorker(): never {
    this.worker?.terminate();
    const Worker = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
    if (!Worker) throw new Error('this extension host has no Worker, so the language server cannot run');
    const url = vscode.Uri.joinPath(this.context.extensionUri, ...SERVER_SCRIPT).toString(true);
    this.worker = new Worker(url, { name: 'Sidecar Pods language server' });
    // vscode-languageclient/browser takes the Worker itself (its ServerOptions type names the DOM's)
    return this.worker as never;
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

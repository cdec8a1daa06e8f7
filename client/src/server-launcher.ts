// Owns the LanguageClient: how the server process is started, what it is told, and what happens
// when it dies. extension.ts only wires this to the status item and the commands.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CONFIG_SECTION } from './config';
import { RestartPolicy, onTransportError } from './restart-policy';
import type { ServerHandle } from './server-handle';
import { deferred, type Deferred } from './deferred';
import type { ServerStatusItem } from './status';
import { CACHE_DIR_ENV, SERVER_NODE_FLAGS } from '../../shared/src/server-flags';

export const CLIENT_ID = 'sidecarPods'; // the client reads `${CLIENT_ID}.trace.server` itself
const CLIENT_NAME = 'Sidecar Pods';
// loads dist/server.js with V8's code cache (server/src/code-cache.ts)
const SERVER_MODULE = 'dist/start-server.js';
const DEBUG_PORT = 6009;

/** Restarts a crashed server with backoff and tells the user once per session. */
class RestartingErrorHandler implements ErrorHandler {
  /** Crash notifications shown this session (the user is told once, not once per crash). */
  notices = 0;
  /** Set while a crash restart is pending, so the status item shows "restarting", not "stopped". */
  restartPending = false;
  /** Set on dispose so a backoff that is still waiting does not bring the server back. */
  disposed = false;
  restarts = 0;

  constructor(
    private readonly policy: RestartPolicy,
    private readonly status: ServerStatusItem,
    private readonly output: vscode.LogOutputChannel,
    private readonly showOutputCommand: string,
    private readonly serverProcess: () => ChildProcess | undefined,
  ) {}

  // See onTransportError: the close event, not a count of failed writes, decides on a restart.
  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    const process = this.serverProcess();
    const alive = !!process && process.exitCode === null && process.signalCode === null && !process.killed;
    if (onTransportError(count, alive) === 'kill') {
      this.output.error(`The connection to the server keeps failing (${error.message}); stopping the process.`);
      process?.kill('SIGKILL');
    }
    return { action: ErrorAction.Continue, handled: true };
  }

  // The client awaits closed() before acting on the result (handleConnectionClosed in
  // vscode-languageclient/lib/common/client.js), so the backoff is simply a delay here. It is not
  // called when the close was asked for with stop(). `handled: true` keeps the library from
  // popping its own notification on top of ours.
  async closed(): Promise<CloseHandlerResult> {
    if (this.disposed) return { action: CloseAction.DoNotRestart, handled: true };
    const decision = this.policy.onCrash();
    if (!decision.restart) {
      this.restartPending = false;
      this.status.set('stopped', `crashed ${decision.crashes} times`);
      const msg = `The Sidecar Pods language server crashed ${decision.crashes} times in a short time and will not be restarted.`;
      this.output.error(msg);
      void vscode.window.showErrorMessage(msg, 'Show Output', 'Restart').then((pick) => {
        if (pick === 'Show Output') void vscode.commands.executeCommand(this.showOutputCommand);
        if (pick === 'Restart') void vscode.commands.executeCommand('sidecarPods.restartServer');
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restartPending = true;
    this.status.set('restarting');
    this.output.warn(
      `Server stopped unexpectedly; restarting in ${decision.delayMs} ms (attempt ${decision.attempt}).`,
    );
    if (this.notices === 0) {
      this.notices++;
      void vscode.window
        .showWarningMessage(
          'The Sidecar Pods language server stopped unexpectedly and is being restarted.',
          'Show Output',
        )
        .then((pick) => pick && vscode.commands.executeCommand(this.showOutputCommand));
    }
    await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (this.disposed) return { action: CloseAction.DoNotRestart, handled: true };
    this.restarts++;
    return { action: CloseAction.Restart, handled: true };
  }
}

export class ServerController implements ServerHandle {
  readonly client: LanguageClient;
  private readonly errorHandler: RestartingErrorHandler;
  private readonly policy = new RestartPolicy();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Resolved while the server runs; replaced by a pending one when it goes away. */
  private running: Deferred;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: ServerStatusItem,
    showOutputCommand: string,
  ) {
    this.running = deferred();
    this.errorHandler = new RestartingErrorHandler(
      this.policy,
      status,
      output,
      showOutputCommand,
      () => this.client.serverProcess,
    );
    this.client = new LanguageClient(CLIENT_ID, CLIENT_NAME, this.serverOptions(), this.clientOptions());
    this.subscriptions.push(this.client.onDidChangeState((e) => this.onState(e.newState)));
  }

  private serverModule(): string {
    return this.context.asAbsolutePath(SERVER_MODULE);
  }

  private serverOptions(): ServerOptions {
    const module = this.serverModule();
    // the code cache lives in the extension's own storage (the client passes no other environment)
    const env = { [CACHE_DIR_ENV]: join(this.context.globalStorageUri.fsPath, 'code-cache') };
    return {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } },
      // Used when the extension host itself runs under a debugger (F5): attach to port 6009.
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', `--inspect=${DEBUG_PORT}`], env },
      },
    };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      // The server pulls settings with workspace/configuration; this also pushes
      // workspace/didChangeConfiguration whenever `sidecarPods.*` changes, which is the server's cue to pull.
      synchronize: { configurationSection: CONFIG_SECTION },
      diagnosticCollectionName: 'sidecar-pods',
      outputChannel: this.output,
      errorHandler: this.errorHandler,
      // The server only reads the documents it is sent; it is told about trust so that anything
      // that would read workspace files on its own can stay off in restricted mode.
      initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    };
  }

  private onState(state: State): void {
    if (state === State.Running) {
      this.errorHandler.restartPending = false;
      this.status.set('running');
      this.running.resolve();
    } else {
      if (this.running.settled) this.running = deferred();
      if (state === State.Starting) this.status.set(this.errorHandler.restartPending ? 'restarting' : 'starting');
      else if (!this.errorHandler.restartPending) this.status.set('stopped');
    }
  }

  /** Starts the server; rejects with a readable error (the caller shows it). */
  async start(): Promise<void> {
    const module = this.serverModule();
    if (!existsSync(module)) {
      this.status.set('stopped', 'server not built');
      throw new Error(`Language server not found at ${module}. Run \`node esbuild.mjs\` (or reinstall the extension).`);
    }
    await this.status.starting(() => this.client.start());
  }

  async restart(): Promise<void> {
    this.policy.reset();
    this.output.info('Restarting the server (asked by the user).');
    if (this.client.state === State.Stopped) await this.start();
    else {
      this.status.set('starting');
      await this.client.restart();
    }
  }

  /** Resolves when the server is running (again, after a restart). Test-only helper. */
  whenRunning(): Promise<void> {
    return this.running.promise;
  }

  get restarts(): number {
    return this.errorHandler.restarts;
  }

  get crashNotices(): number {
    return this.errorHandler.notices;
  }

  get serverPid(): number | undefined {
    return this.client.serverProcess?.pid;
  }

  async stop(): Promise<void> {
    this.errorHandler.disposed = true;
    if (this.client.state !== State.Stopped) await this.client.stop();
  }

  dispose(): void {
    this.errorHandler.disposed = true;
    for (const d of this.subscriptions) d.dispose();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, Registration } from 'vscode-languageserver-protocol';
import { REPO } from './lint';

/**
 * A minimal LSP client over stdio, as an editor would run the server: spawns the built bundle,
 * answers workspace/configuration from `settings`, and collects published diagnostics.
 */
export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  settings: Record<string, unknown> = {};
  /** What the server registered dynamically (client/registerCapability). */
  readonly registrations: Registration[] = [];
  stderr = '';
  /** What the server logged (window/logMessage), oldest first. */
  readonly logs: string[] = [];

  /**
   * `env`: the server's environment (tests of what it finds on PATH); this process's by default.
   * `server`: the script to run with Node (the repository's bin by default; an installed copy's bin works too).
   */
  constructor(
    args: string[] = ['--stdio'],
    env?: NodeJS.ProcessEnv,
    server = join(REPO, 'bin', 'sidecar-pods-language-server.js'),
  ) {
    this.child = spawn(process.execPath, [server, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(env ? { env } : {}),
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'sidecarPods' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.listen();
  }

  /** `workspaceFolders`: file URIs of the folders to open, as an editor with a workspace does. */
  async initialize(workspaceFolders: string[] = []): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspaceFolders[0] ?? null,
      workspaceFolders: workspaceFolders.map((uri, i) => ({ uri, name: `folder${i}` })),
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  async change(uri: string, version: number, changes: unknown[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  /** Waits for diagnostics of `uri` (at `version` when given) that satisfy `ok`. */
  async waitForDiagnostics(
    uri: string,
    ok: (d: Diagnostic[]) => boolean = () => true,
    version?: number,
    timeoutMs = 10_000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.diagnostics.get(uri);
      if (p && (version === undefined || p.version === version) && ok(p.diagnostics)) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(p?.diagnostics ?? null)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last diagnostics published for `uri`, if any were. */
  published(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.get(uri);
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}

// Drives a language server over stdio the way an editor does, and times what a user waits for:
// from a notification to the diagnostics it causes, from a request to its answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  /** Answers workspace/configuration items by section. */
  configuration: (section: string | undefined) => unknown;
  /** Sent as workspace/didChangeConfiguration after initialized (servers that want a push). */
  pushSettings?: unknown;
  /** Added to the environment the server runs in. */
  env?: Record<string, string>;
}

interface Publication {
  at: number;
  version?: number;
}

export class LspDriver {
  private readonly child: ChildProcess;
  readonly connection: MessageConnection;
  private readonly publications = new Map<string, Publication[]>();
  private readonly waiters: (() => void)[] = [];
  private peakRss = 0;
  private readonly sampler: ReturnType<typeof setInterval>;

  constructor(readonly spec: ServerSpec) {
    this.child = spawn(spec.command, spec.args, {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: spec.env ? { ...process.env, ...spec.env } : process.env,
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
      const list = this.publications.get(p.uri) ?? [];
      list.push({ at: performance.now(), version: p.version });
      this.publications.set(p.uri, list);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => spec.configuration(i.section)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification(() => undefined);
    this.connection.onRequest(() => null);
    this.connection.listen();
    // VmHWM is the kernel's own peak; sampling RSS as well covers kernels without it
    this.sampler = setInterval(() => this.sampleRss(), 20);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private sampleRss(): void {
    if (!this.child.pid) return;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      for (const key of ['VmHWM', 'VmRSS']) {
        const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
        if (m) this.peakRss = Math.max(this.peakRss, Number(m[1]) * 1024);
      }
    } catch {
      // the process is gone
    }
  }

  /**
   * CPU time (user + system) the server process has used so far, in milliseconds, from
   * /proc/PID/stat; undefined where there is no /proc (not Linux) or the process is gone. Linux
   * reports these times in USER_HZ ticks, 100 a second on every architecture, so the resolution is
   * 10 ms: a figure for a run of many keystrokes, not for one.
   */
  cpuMs(): number | undefined {
    if (!this.child.pid) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // the fields after the command name (which may hold spaces), from the state on: utime and
      // stime are fields 14 and 15 of the line
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Number.isFinite(ticks) ? ticks * 10 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Peak resident set size in bytes, as seen so far. */
  maxRss(): number {
    this.sampleRss();
    return this.peakRss;
  }

  async initialize(rootUri: string): Promise<number> {
    const t0 = performance.now();
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
          synchronization: { dynamicRegistration: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    if (this.spec.pushSettings !== undefined) {
      await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: this.spec.pushSettings });
    }
    return performance.now() - t0;
  }

  private count(uri: string): number {
    return this.publications.get(uri)?.length ?? 0;
  }

  /** Waits for the first publication for `uri` after the `seen`th (at `version` when the server says). */
  private async nextPublication(uri: string, seen: number, version: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const list = this.publications.get(uri) ?? [];
      const hit = list.slice(seen).find((p) => p.version === undefined || p.version === version);
      if (hit) return hit.at;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.spec.name}: no diagnostics for ${uri} v${version} in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /**
   * Runs `send`, then waits (up to `timeoutMs`) for `count` publications for `uri` after it; the
   * times they arrived (fewer when the time ran out).
   */
  async publicationsAfter(uri: string, count: number, send: () => Promise<void>, timeoutMs = 5000): Promise<number[]> {
    const seen = this.count(uri);
    await send();
    const deadline = performance.now() + timeoutMs;
    while (this.count(uri) < seen + count && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return (this.publications.get(uri) ?? []).slice(seen).map((p) => p.at);
  }

  /** didOpen; milliseconds until the diagnostics of that version arrive. */
  async open(uri: string, text: string, timeoutMs = 60_000): Promise<number> {
    const seen = this.count(uri);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    return (await this.nextPublication(uri, seen, 1, timeoutMs)) - t0;
  }

  /** didClose, then waits (up to a second) for the server to clear the document's diagnostics. */
  async closeDocument(uri: string): Promise<void> {
    const seen = this.count(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const deadline = performance.now() + 1000;
    while (this.count(uri) === seen && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** One incremental didChange; milliseconds until the diagnostics of that version arrive. */
  async type(
    uri: string,
    version: number,
    at: { line: number; character: number },
    text: string,
    timeoutMs = 30_000,
  ): Promise<number> {
    const seen = this.count(uri);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: at, end: at }, text }],
    });
    return (await this.nextPublication(uri, seen, version, timeoutMs)) - t0;
  }

  /** A request's round trip in milliseconds, and its result (undefined when the server refuses the method). */
  async time<T>(method: string, params: unknown): Promise<{ ms: number; result: T | undefined }> {
    const t0 = performance.now();
    let result: T | undefined;
    try {
      result = await this.connection.sendRequest<T>(method, params);
    } catch {
      result = undefined;
    }
    return { ms: performance.now() - t0, result };
  }

  async close(): Promise<void> {
    clearInterval(this.sampler);
    const exited = new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve(undefined);
      else this.child.once('exit', resolve);
    });
    try {
      // as an editor closes a server: shutdown, exit, and a while for the process to end by itself
      await Promise.race([
        (async () => {
          await this.connection.sendRequest('shutdown');
          await this.connection.sendNotification('exit');
          await exited;
        })(),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    } catch {
      // a server that is already gone is closed
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}

// What the language server needs from where it runs. The Node server (dist/server.js) reads the
// disk itself; the browser server (dist/browser/server.js, a web worker of vscode.dev or
// github.dev) has no file system and no process, and reads workspace files through the client.
// server.ts is the same wiring for both: the browser bundle swaps ./current for ./browser
// (esbuild.mjs), as a package.json `browser` field would.
import type { Connection, InitializeParams } from 'vscode-languageserver';
import type { ConfigFs } from '../engine';

export interface ServerPlatform {
  readonly name: 'node' | 'browser';
  /** The connection to the client (stdio, IPC, socket or pipe; postMessage in a worker). */
  createConnection(): Connection;
  /** The files the config and kustomize lookups read; undefined: the disk (Node's fs). */
  readonly fs: ConfigFs | undefined;
  /** Learns the workspace folders (the browser server reads files inside them only). */
  initialize(params: InitializeParams): void;
  /** The path of a document for the config and kustomize lookups; undefined: it has none. */
  pathOf(uri: string): string | undefined;
  /**
   * Makes what the lookups for this document read available to `fs` (the browser server asks the
   * client for it, as the lookups themselves are synchronous); the Node server has nothing to do.
   */
  prepare(uri: string): Promise<void>;
  /** Drops what `prepare` fetched: a watched file changed. */
  invalidate(): void;
  /** Globs of files whose change must be watched beyond the config file (browser: kustomizations). */
  readonly extraWatchGlobs: readonly string[];
  /** What this server cannot do here, said once at start; undefined when it can do everything. */
  readonly limitations: string | undefined;
  /** Logs what would otherwise be lost: a bug must never take the server down. */
  catchUncaught(log: (message: string) => void): void;
  /** Peak resident set size in bytes (0 where it cannot be known). */
  maxRss(): number;
}

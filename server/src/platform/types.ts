// What the language server needs from where it runs. The Node server (dist/server.js) reads the
// disk itself; the browser server (dist/browser/server.js, a web worker of vscode.dev or
// github.dev) has no file system and no process, and reads workspace files through the client.
// server.ts is the same wiring for both: the browser bundle swaps ./current for ./browser
// (esbuild.mjs), as a package.json `browser` field would.
import type { Connection, InitializeParams, Location } from 'vscode-languageserver';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../../../shared/src/settings';
import type { ConfigFs, Engine, FileModel, Finding } from '../engine';
import type { IndexFs } from '../workspace/file-index';

/** Rendered kustomize overlays in the editor (lsp/overlay-handler.ts; none in the browser). */
export interface Overlays {
  setWorkspaceFolders(folders: string[]): void;
  /** A kustomization or config file changed. */
  invalidate(): void;
  closed(uri: string): void;
  /** The rendered overlays' findings on a file; a related location's key is a file URI. */
  extra(uri: string): Finding[];
  /** Where a related location of extra() is. */
  location(key: string, range: Finding['range']): Location | undefined;
  /** What the workspace set reports changed: check the rendered overlays again (not rendered again). */
  refresh(): void;
  /** A file was opened or saved: render the overlays it is part of, in the background. */
  trigger(uri: string): Promise<void>;
  /** The rendered pods of a kustomization, for its diagram. */
  renderedModel(uri: string): Promise<{ model: FileModel; settings: Settings } | undefined>;
}

/** What the overlays read: the documents, the engine, each document's settings; how to re-check one. */
export interface OverlayDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  engine: Engine;
  configs: { get(uri: string): Promise<{ ignored: true } | { ignored: false; settings: Settings }> };
  revalidate(uri: string): void;
  /** The workspace set's findings on a file at a text (a rendered finding does not repeat them). */
  setFindings(uri: string, text: string): readonly Finding[];
  /** The kustomization files the workspace index found, when its scan has ended (undefined: none scanned). */
  kustomizations(): Promise<readonly string[] | undefined>;
}

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
  /** Where the workspace index reads files; undefined: it holds the open documents only. */
  readonly indexFs: IndexFs | undefined;
  /** Renders kustomize overlays; undefined where no program can run (the browser). */
  createOverlays(deps: OverlayDeps): Overlays | undefined;
}

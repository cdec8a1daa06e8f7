// The browser server's files: it has no file system, so what the config and kustomize lookups read
// is asked of the client (`sidecarPods/readFile`, answered with vscode.workspace.fs) before each
// check, and the lookups, which are synchronous, read the answers from here. Only files inside a
// workspace folder are asked for: a `.sidecar-pods.yaml` above the workspace (a home folder's, a
// monorepo root that is not open) is not seen in the browser, unlike in the Node server.
import { posix } from 'node:path';
import type { ReadFileResult } from '../../../shared/src/protocol';
import { CONFIG_FILE_NAME, type ConfigFs } from '../engine';
import { KUSTOMIZATION_NAMES } from '../workspace/kustomize';

/** What a lookup reads in each folder from a document's up to its workspace folder. */
export const LOOKED_UP_NAMES: readonly string[] = [CONFIG_FILE_NAME, ...KUSTOMIZATION_NAMES];

interface Folder {
  /** `scheme://authority`, as the folder's URI has it. */
  origin: string;
  /** The folder's decoded path, without a trailing slash ('' for the root). */
  path: string;
}

/** A file the client found (its text, or why it could not read it), or undefined: none. */
type Entry = { stamp: string; text: string; error?: undefined } | { stamp: string; error: string } | undefined;

/** `scheme://authority` and the decoded path of a URI, or undefined for one without `//`. */
export function splitUri(uri: string): { origin: string; path: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/.exec(uri);
  if (!m) return undefined;
  try {
    return { origin: m[1]!.toLowerCase(), path: decodeURIComponent(m[2]!) || '/' };
  } catch {
    return undefined; // malformed percent-encoding: not a file we can look beside
  }
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export class ClientFs implements ConfigFs {
  private folders: Folder[] = [];
  /** Per path: what the client answered (a key with undefined: no such file). */
  private readonly entries = new Map<string, Entry>();
  /** Reads in flight, so that documents checked at once ask for a shared folder's files once. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Bumped by invalidate(): an answer to a question asked before it is dropped, not stored. */
  private generation = 0;

  /** `ask` sends `sidecarPods/readFile` to the client. */
  constructor(private readonly ask: (uri: string) => Promise<ReadFileResult>) {}

  /** The workspace folders' URIs (initialize params); files outside them are never asked for. */
  setFolders(uris: readonly string[]): void {
    this.folders = [];
    for (const uri of uris) {
      const parts = splitUri(uri);
      if (parts) this.folders.push({ origin: parts.origin, path: parts.path.replace(/\/+$/, '') });
    }
    this.invalidate();
  }

  /**
   * The path a document has for the lookups: its URI's path, when it is inside a workspace folder.
   * Paths of folders with different origins (two repositories) do not clash unless their paths do.
   */
  pathOf(uri: string): string | undefined {
    const parts = splitUri(uri);
    if (!parts) return undefined;
    return this.folderOf(parts.origin, parts.path) ? parts.path : undefined;
  }

  stamp(path: string): string | undefined {
    return this.entries.get(path)?.stamp;
  }

  read(path: string): string {
    const entry = this.entries.get(path);
    if (entry === undefined) throw new Error(`${path}: no such file in the workspace`);
    if (entry.error !== undefined) throw new Error(entry.error);
    return entry.text;
  }

  /** Asks the client for every file the lookups for `uri` will read and that is not known yet. */
  async prepare(uri: string): Promise<void> {
    const parts = splitUri(uri);
    if (!parts || !this.folderOf(parts.origin, parts.path)) return;
    const reads: Promise<void>[] = [];
    for (let dir = posix.dirname(parts.path); ; dir = posix.dirname(dir)) {
      if (!this.folderOf(parts.origin, dir)) break;
      for (const name of LOOKED_UP_NAMES) reads.push(this.fetch(parts.origin, posix.join(dir, name)));
      if (posix.dirname(dir) === dir) break;
    }
    await Promise.all(reads);
  }

  /** Forgets every answer: a watched file was created, changed or deleted. */
  invalidate(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.generation++;
  }

  private folderOf(origin: string, path: string): Folder | undefined {
    return this.folders.find(
      (f) =>
        f.origin === origin && (path === f.path || path.startsWith(`${f.path}/`) || (f.path === '' && path === '/')),
    );
  }

  private fetch(origin: string, path: string): Promise<void> {
    if (this.entries.has(path)) return Promise.resolve();
    let pending = this.inFlight.get(path);
    if (!pending) {
      const generation = this.generation;
      const store = (result: ReadFileResult): void => {
        if (generation === this.generation) this.store(path, result);
      };
      pending = this.ask(`${origin}${encodePath(path)}`).then(store, (e: unknown) =>
        store({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
      this.inFlight.set(path, pending);
    }
    return pending;
  }

  private store(path: string, result: ReadFileResult): void {
    this.inFlight.delete(path);
    if (result.kind === 'file') this.entries.set(path, { stamp: `${result.mtime}:${result.size}`, text: result.text });
    // an unreadable file is there, as on disk: the config lookup reads it and reports why it failed
    else if (result.kind === 'error') this.entries.set(path, { stamp: 'unreadable', error: result.message });
    else this.entries.set(path, undefined);
  }
}

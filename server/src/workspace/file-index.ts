// The workspace's YAML files as the set rules see them (specs/neighbours.md, "The set of objects"):
// every .yaml/.yml file under the workspace folders, read in the background at start and kept
// current from file events and open documents, where the open document's text wins over the disk.
// It holds texts only; parsing is the engine's (one cache, shared with the open documents).
//
//   const index = new FileIndex({ fs, isExcluded, shouldYield });
//   await index.scan(['/repo']);             // in the background, yielding between reads
//   index.opened(uri, text) / index.closed(uri) / await index.fileEvent(uri, 'changed')
//   for (const f of index.files()) ...       // { uri, path, text }, open documents' texts first
//
// Only files that can matter to a rule across objects are kept (see mayRelate): a CI workflow, a
// docker-compose file or a Helm chart's values need not be held.
import { join } from 'node:path';
import { isKustomizationFile } from './kustomization-refs';

/**
 * The file system the index reads, asynchronously: the disk on Node (node-index-fs.ts); none in the
 * browser, where the index holds the open documents only.
 */
export interface IndexFs {
  /** Entries of a folder: name and whether it is a folder, a file, or neither (a socket, a broken link). */
  list(dir: string): Promise<{ name: string; kind: 'dir' | 'file' | 'other' }[]>;
  /** Size in bytes, or undefined when it is gone. */
  size(path: string): Promise<number | undefined>;
  read(path: string): Promise<string>;
  /** The URI of a path it listed. */
  uriOf(path: string): string;
  /** The path of a URI, undefined when it is none of its files. */
  pathOf(uri: string): string | undefined;
}

/** A manifest bigger than this is not kept for the set (an open one is still checked on its own). */
export const INDEX_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Files read at once by the scan before it leaves the event loop to others. */
const READS_IN_FLIGHT = 16;
/** At most this many files are kept: beyond that the workspace is not a project of manifests. */
export const INDEX_MAX_FILES = 20_000;

export interface FileIndexOptions {
  /** Where files on disk are read; without it the index holds the open documents only. */
  fs?: IndexFs;
  /** Whether a path (a folder or a file) is left out: files.exclude, search.exclude, node_modules. */
  isExcluded?: (path: string, isDir: boolean) => boolean;
  /** Awaited between reads so the scan leaves the event loop to keystrokes; default: setImmediate. */
  pause?: () => Promise<void>;
  log?: (message: string) => void;
}

export interface IndexedFile {
  uri: string;
  path: string | undefined;
  text: string;
}

/** The kinds a rule across objects reads: those that carry pods are found by their `template`/`containers`. */
const RELATED_KIND =
  /^kind:[ \t]*["']?(Service|ConfigMap|Secret|PersistentVolumeClaim|ServiceAccount|Kustomization|SidecarSet|List)\b/m;
const CARRIES_POD = /^[ \t]*(containers|template|podTemplate|jobTemplate|taskSpec|steps):/m;

/** Whether a YAML text can matter to a rule across objects: it names a related kind or carries a pod. */
export function mayRelate(text: string): boolean {
  return RELATED_KIND.test(text) || (/^kind:/m.test(text) && CARRIES_POD.test(text));
}

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export class FileIndex {
  private readonly fs: IndexFs | undefined;
  private readonly disk = new Map<string, IndexedFile>();
  private readonly open = new Map<string, IndexedFile>();
  private readonly listeners: ((uris: readonly string[]) => void)[] = [];
  private scanning: Promise<void> | undefined;
  /** Which caps have been logged: each is said once, not once per file. */
  private readonly said = new Set<'count' | 'size'>();
  /** Bumped by every change: a consumer can tell that nothing changed since it last looked. */
  generation = 0;
  /** The kustomization files found under the folders (by name, whatever they hold), kept current by file events. */
  private readonly kustomizationPaths = new Set<string>();
  private scanned = false;

  constructor(private readonly options: FileIndexOptions = {}) {
    this.fs = options.fs;
  }

  /** Calls `listener` with the URIs whose text changed (after a scan, the scanned ones). */
  onChange(listener: (uris: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  /** Reads the YAML files under `folders` (absolute paths), a file at a time between pauses. */
  scan(folders: readonly string[]): Promise<void> {
    const run = (this.scanning ?? Promise.resolve()).then(() => this.walkAll(folders));
    this.scanning = run.catch(() => undefined);
    return run;
  }

  /** Settles when every scan asked for so far has ended. */
  async settled(): Promise<void> {
    await this.scanning;
  }

  /** An editor opened or changed a document: its text wins over the disk's. */
  opened(uri: string, text: string): void {
    if (this.open.get(uri)?.text === text) return;
    // as big as no manifest of a project is (a generated dump): left out of the set, as on disk
    if (text.length > INDEX_MAX_FILE_BYTES) {
      if (this.open.delete(uri)) this.changed([uri]);
      return;
    }
    this.open.set(uri, { uri, path: this.fs?.pathOf(uri), text });
    this.changed([uri]);
  }

  /** An editor closed a document: the disk's text applies again (read again: it may not have been saved). */
  async closed(uri: string): Promise<void> {
    if (!this.open.delete(uri)) return;
    const path = this.fs?.pathOf(uri);
    if (path !== undefined) await this.readOne(path);
    this.changed([uri]);
  }

  /** A watched-file event: created, changed or deleted on disk. */
  async fileEvent(uri: string, type: 'created' | 'changed' | 'deleted'): Promise<void> {
    const path = this.fs?.pathOf(uri);
    if (path === undefined || this.options.isExcluded?.(path, false)) return;
    if (isKustomizationFile(path)) {
      if (type === 'deleted') this.kustomizationPaths.delete(path);
      else this.kustomizationPaths.add(path);
    }
    if (!isYamlPath(path)) return;
    const before = this.disk.get(uri)?.text;
    if (type === 'deleted') this.disk.delete(uri);
    else await this.readOne(path);
    if (this.disk.get(uri)?.text !== before && !this.open.has(uri)) this.changed([uri]);
  }

  /** The files of the set: every open document, then every file on disk not open. */
  *files(): Generator<IndexedFile> {
    yield* this.open.values();
    for (const [uri, f] of this.disk) if (!this.open.has(uri)) yield f;
  }

  get size(): number {
    let n = this.open.size;
    for (const uri of this.disk.keys()) if (!this.open.has(uri)) n++;
    return n;
  }

  has(uri: string): boolean {
    return this.open.has(uri) || this.disk.has(uri);
  }

  /**
   * The paths of the kustomization files (kustomization.yaml, kustomization.yml, Kustomization)
   * under the folders, not excluded ones; undefined until a first scan has ended.
   */
  kustomizations(): readonly string[] | undefined {
    return this.scanned ? [...this.kustomizationPaths].sort() : undefined;
  }

  private async walkAll(folders: readonly string[]): Promise<void> {
    const seen: string[] = [];
    if (!this.fs) return;
    for (const folder of folders) await this.walk(folder, seen);
    this.scanned = true;
    if (seen.length > 0) this.changed(seen);
  }

  private async walk(dir: string, seen: string[]): Promise<void> {
    const fs = this.fs!;
    let entries: Awaited<ReturnType<IndexFs['list']>>;
    try {
      entries = await fs.list(dir);
    } catch {
      return; // unreadable (permissions) or gone meanwhile: nothing to index there
    }
    const files: string[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.kind === 'dir') {
        if (!this.options.isExcluded?.(path, true)) await this.walk(path, seen);
      } else if (e.kind === 'file' && !this.options.isExcluded?.(path, false)) {
        if (isKustomizationFile(path)) this.kustomizationPaths.add(path);
        if (isYamlPath(e.name)) files.push(path);
      }
    }
    // a few reads in flight at once (the disk and the thread pool overlap them), then a pause
    for (let i = 0; i < files.length; i += READS_IN_FLIGHT) {
      const room = INDEX_MAX_FILES - this.disk.size;
      if (room <= 0) {
        this.sayOnce('count', `the workspace has more than ${INDEX_MAX_FILES} YAML files; the rest are not indexed`);
        return;
      }
      const batch = files.slice(i, i + Math.min(READS_IN_FLIGHT, room));
      const read = await Promise.all(batch.map((path) => this.readOne(path)));
      batch.forEach((path, k) => {
        if (read[k]) seen.push(fs.uriOf(path));
      });
      await this.pause();
    }
  }

  /** Reads one file into the index (or out of it); whether it is in. */
  private async readOne(path: string): Promise<boolean> {
    const fs = this.fs!;
    const uri = fs.uriOf(path);
    const size = await fs.size(path);
    if (size === undefined || size > INDEX_MAX_FILE_BYTES) {
      if (size !== undefined)
        this.sayOnce('size', `${path} is over ${INDEX_MAX_FILE_BYTES / 1024 / 1024} MiB: not indexed`);
      this.disk.delete(uri);
      return false;
    }
    let text: string;
    try {
      text = await fs.read(path);
    } catch {
      this.disk.delete(uri);
      return false;
    }
    if (!mayRelate(text)) {
      this.disk.delete(uri);
      return false;
    }
    this.disk.set(uri, { uri, path, text });
    return true;
  }

  private pause(): Promise<void> {
    return this.options.pause ? this.options.pause() : new Promise((resolve) => setImmediate(resolve));
  }

  private sayOnce(cap: 'count' | 'size', message: string): void {
    if (this.said.has(cap)) return;
    this.said.add(cap);
    this.options.log?.(cap === 'size' ? `${message} (and maybe others as big)` : message);
  }

  private changed(uris: readonly string[]): void {
    this.generation++;
    for (const l of this.listeners) l(uris);
  }
}

// Which files are kustomize patches: a file a kustomization names under `patches[].path`,
// `patchesStrategicMerge[]` or `patchesJson6902[].path` holds a partial object, which kustomize
// merges onto a base (../shared/specs/workloads.md, section 2). It must not be judged as a whole
// pod: its Deployment has no selector, its container no image, its volumes live in the base.
// Kustomizations are looked up from the file's folder upward, as the nearest config file is.
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { NODE_FS, StampCache, type ConfigFs } from '../engine/config';
import { KUSTOMIZATION_NAMES } from './kustomization-refs';

export {
  isKustomizationFile,
  isRemoteRef,
  KUSTOMIZATION_NAMES,
  kustomizationIn,
  kustomizationRefs,
  pathKind,
  type KustomizationRef,
  type RefKind,
} from './kustomization-refs';

export interface KustomizeOptions {
  fs?: ConfigFs;
  /** Look again at lookups (the editor; see StampCache); without it each folder is read once (the CLI). */
  live?: boolean;
}

interface Read {
  stamp: string;
  /** Absolute paths of the files it names as patches. */
  patches: ReadonlySet<string>;
}

/** The patch files a kustomization's text names, relative to its folder. */
export function patchPaths(text: string): string[] {
  let root: unknown;
  try {
    root = parseDocument(text, { prettyErrors: false, logLevel: 'silent' }).contents;
  } catch {
    return [];
  }
  if (!isMap(root)) return [];
  const out: string[] = [];
  const add = (v: unknown): void => {
    // an inline patch is YAML text, not a path
    if (isScalar(v) && typeof v.value === 'string' && v.value !== '' && !v.value.includes('\n')) out.push(v.value);
  };
  for (const key of ['patches', 'patchesJson6902', 'patchesStrategicMerge']) {
    const list = root.get(key, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (isMap(item)) add(item.get('path', true));
      else if (key === 'patchesStrategicMerge') add(item);
    }
  }
  return out;
}

export class KustomizePatches {
  private readonly fs: ConfigFs;
  /** Per kustomization path: what was read. */
  private readonly cache = new Map<string, Read>();
  private readonly stamps: StampCache;
  private readonly live: boolean;
  /**
   * Per folder, when not live: its kustomizations that name patches. The CLI asks for every file
   * it is given, and those share their folders and the folders above them.
   */
  private readonly folders = new Map<string, readonly { path: string; patches: ReadonlySet<string> }[]>();

  constructor(options: KustomizeOptions = {}) {
    this.fs = options.fs ?? NODE_FS;
    this.live = options.live ?? false;
    this.stamps = new StampCache(this.fs, this.live);
  }

  /** The kustomization that names the file at absolute `file` as a patch, if one does. */
  patchOf(file: string): string | undefined {
    const target = resolve(file);
    for (let dir = dirname(target); ; dir = dirname(dir)) {
      for (const k of this.kustomizationsIn(dir)) if (k.path !== target && k.patches.has(target)) return k.path;
      if (dirname(dir) === dir) return undefined;
    }
  }

  /** Forget what was read: a file event says a kustomization changed. */
  invalidate(): void {
    this.cache.clear();
    this.stamps.clear();
    this.folders.clear();
  }

  /** Trusts what the lookups see until released (StampCache.hold). */
  hold(): () => void {
    return this.stamps.hold();
  }

  /** The kustomizations of a folder that name patches, in kustomize's order of names. */
  private kustomizationsIn(dir: string): readonly { path: string; patches: ReadonlySet<string> }[] {
    const known = this.live ? undefined : this.folders.get(dir);
    if (known) return known;
    const found: { path: string; patches: ReadonlySet<string> }[] = [];
    for (const name of KUSTOMIZATION_NAMES) {
      const path = join(dir, name);
      const read = this.read(path);
      if (read && read.patches.size > 0) found.push({ path, patches: read.patches });
    }
    if (!this.live) this.folders.set(dir, found);
    return found;
  }

  private read(path: string): Read | undefined {
    const stamp = this.stamps.get(path);
    if (stamp === undefined) {
      this.cache.delete(path);
      return undefined;
    }
    const known = this.cache.get(path);
    if (known && known.stamp === stamp) return known;
    let text = '';
    try {
      text = this.fs.read(path);
    } catch {
      // unreadable: it names nothing we can see
    }
    const folder = dirname(path);
    const read = { stamp, patches: new Set(patchPaths(text).map((p) => resolve(folder, p))) };
    this.cache.set(path, read);
    return read;
  }
}

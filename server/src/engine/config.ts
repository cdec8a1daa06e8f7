// The one lookup of `.sidecar-pods.yaml`, for the editor and the CLI alike: each file is governed by
// the config file nearest to it (its own folder or the closest parent folder), as .editorconfig
// and Prettier look theirs up. The nearest file wins whole; files further up do not merge into it.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Settings } from '../../../shared/src/settings';
import { setConfiguredKinds } from '../model/kinds';
import { RULES_BY_ID } from '../rules';
import {
  applyConfig,
  CONFIG_FILE_NAME,
  ignoreMatcher,
  parseConfig,
  type ConfigProblem,
  type ProjectConfig,
} from './config-file';

export interface LoadedConfig {
  /** Absolute path of the config file. */
  path: string;
  /** Its text as read ('' when it could not be read). */
  text: string;
  config: ProjectConfig;
  /** What is malformed in it (dropped; the rest applies). */
  problems: ConfigProblem[];
  /** Why it could not be read, if it could not. */
  readError?: unknown;
  /** Whether its `ignore` globs leave the file at this absolute path alone. */
  ignores(file: string): boolean;
}

/** The file system calls the lookup makes, so tests can count them. */
export interface ConfigFs {
  /** mtime and size of a regular file, or undefined when there is none at `path`. */
  stamp(path: string): string | undefined;
  read(path: string): string;
}

export const NODE_FS: ConfigFs = {
  stamp(path) {
    try {
      // most folders have no config file: no exception is made for a missing one
      const st = statSync(path, { throwIfNoEntry: false });
      return st?.isFile() ? `${st.mtimeMs}:${st.size}` : undefined;
    } catch {
      return undefined;
    }
  },
  read: (path) => readFileSync(path, 'utf8'),
};

export interface ConfigLookupOptions {
  fs?: ConfigFs;
  /**
   * Look at the file system again at lookups, so a config file created, changed or deleted
   * applies at the next check (the editor, whose files change under it, even in clients that send
   * no file events); Engine.holdLookups() trusts what was seen for a while (StampCache). Without
   * it each folder is looked at once (the CLI).
   */
  live?: boolean;
  /** Called when a config file is read (again), with what is wrong in it. */
  onLoad?: (loaded: LoadedConfig) => void;
}

export function isConfigFile(path: string): boolean {
  return basename(path) === CONFIG_FILE_NAME;
}

/**
 * The stamps of files (ConfigFs.stamp): looked at once (not live), or at every lookup (live)
 * except while held: the set check of a workspace looks up the settings of thousands of files,
 * which walk up the same few folders, and a stat per folder and name each time blocked for over
 * a second on 5,000 files. While held, what was seen since the hold began is trusted.
 */
export class StampCache {
  private readonly seen = new Map<string, { stamp: string | undefined; pass: number }>();
  private holds = 0;
  private pass = 0;

  constructor(
    private readonly fs: ConfigFs,
    private readonly live: boolean,
  ) {}

  get(path: string): string | undefined {
    const known = this.seen.get(path);
    if (known && this.trusts(known.pass)) return known.stamp;
    const stamp = this.fs.stamp(path);
    this.seen.set(path, { stamp, pass: this.pass });
    return stamp;
  }

  /**
   * The pass that what is seen now belongs to: an answer derived from this cache's stamps may be
   * kept with it and reused while trusts(pass) holds (ConfigLookup keeps each folder's nearest
   * config so).
   */
  current(): number {
    return this.pass;
  }

  /** Whether what was seen in `pass` is still to be trusted (see get). */
  trusts(pass: number): boolean {
    return !this.live || (this.holds > 0 && pass === this.pass);
  }

  /** Trusts what is seen until the returned function is called (each hold is released once). */
  hold(): () => void {
    if (this.holds++ === 0) this.pass++;
    let held = true;
    return () => {
      if (held) this.holds--;
      held = false;
    };
  }

  clear(): void {
    this.seen.clear();
    this.pass++;
  }
}

export class ConfigLookup {
  private readonly fs: ConfigFs;
  /** The stamp of the config file each folder may have (undefined: none). */
  private readonly stamps: StampCache;
  private readonly byPath = new Map<string, { stamp: string | undefined; loaded: LoadedConfig }>();
  /**
   * Each folder looked up: its nearest config file and that file's stamp, from the stamps of one
   * pass (a CLI run lints many files of one folder, and each walked up to the root).
   */
  private readonly nearest = new Map<string, { pass: number; config: { path: string; stamp: string } | undefined }>();

  constructor(private readonly options: ConfigLookupOptions = {}) {
    this.fs = options.fs ?? NODE_FS;
    this.stamps = new StampCache(this.fs, options.live ?? false);
  }

  /** The config governing the file at absolute `file`, if any. */
  forFile(file: string): LoadedConfig | undefined {
    return this.forFolder(dirname(resolve(file)));
  }

  /** The config nearest to `folder` (standard input is governed from the current directory). */
  forFolder(folder: string): LoadedConfig | undefined {
    const start = resolve(folder);
    const known = this.nearest.get(start);
    if (known && this.stamps.trusts(known.pass)) {
      return known.config === undefined ? undefined : this.load(known.config.path, known.config.stamp);
    }
    const pass = this.stamps.current();
    for (let dir = start; ; dir = dirname(dir)) {
      const stamp = this.stampOf(dir);
      if (stamp !== undefined) {
        const path = join(dir, CONFIG_FILE_NAME);
        this.nearest.set(start, { pass, config: { path, stamp } });
        return this.load(path, stamp);
      }
      if (dirname(dir) === dir) {
        this.nearest.set(start, { pass, config: undefined });
        return undefined;
      }
    }
  }

  /** A config file named outright (the CLI's --config): governs every file. */
  named(path: string): LoadedConfig {
    return this.load(resolve(path), this.fs.stamp(resolve(path)) ?? 'missing');
  }

  /** Every config file read so far, in the order first read. */
  loaded(): LoadedConfig[] {
    return [...this.byPath.values()].map((e) => e.loaded);
  }

  /** Forget what was read: a file event says a config file changed. */
  invalidate(): void {
    this.stamps.clear();
    this.byPath.clear();
    this.nearest.clear();
  }

  /** Trusts what the lookups see until released (StampCache.hold). */
  hold(): () => void {
    return this.stamps.hold();
  }

  private stampOf(dir: string): string | undefined {
    return this.stamps.get(join(dir, CONFIG_FILE_NAME));
  }

  private load(path: string, stamp: string): LoadedConfig {
    const cached = this.byPath.get(path);
    if (cached && cached.stamp === stamp) return cached.loaded;
    const loaded = readConfig(this.fs, path);
    this.byPath.set(path, { stamp, loaded });
    this.options.onLoad?.(loaded);
    return loaded;
  }
}

function readConfig(fs: ConfigFs, path: string): LoadedConfig {
  const folder = dirname(path);
  let text: string;
  try {
    text = fs.read(path);
  } catch (readError) {
    setConfiguredKinds(path, []);
    return {
      path,
      text: '',
      config: { rules: {}, ignore: [] },
      problems: [],
      readError,
      ignores: () => false,
    };
  }
  const { config, problems } = parseConfig(text, new Set(RULES_BY_ID.keys()));
  // the pod builder reads the project's kinds beside the table (the editor and the CLI alike)
  setConfiguredKinds(path, config.customResources ?? []);
  const matcher = ignoreMatcher(config);
  return {
    path,
    text,
    config,
    problems,
    ignores: (file) => matcher(relative(folder, resolve(file)).split(sep).join('/')),
  };
}

/** Editor or command-line settings, overridden by what a config file says (rule by rule). */
export function configuredSettings(base: Settings, loaded: LoadedConfig | undefined): Settings {
  return applyConfig(base, loaded?.config);
}

/** 1-based line of an offset in a config file's text, for messages. */
export function configLine(loaded: LoadedConfig, offset: number): number {
  return loaded.text.slice(0, offset).split('\n').length;
}

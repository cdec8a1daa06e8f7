// Loads one of our CommonJS bundles (dist/server.js, dist/cli.js) with V8's code cache: the
// bytecode of every function the last run compiled, so a new process skips compiling them again.
// That is a fifth of a 10k-line file's first check, and of the CLI on one file. Node 22 does the
// same with module.enableCompileCache(); VS Code's extension host and Node 20 have no such thing.
//
// The cache is a file per bundle, Node version, architecture and Node flags, in a folder of the
// user's own (see cacheDir). V8 checks that a cache matches the source and the flags, and compiles
// normally when it does not; so does this loader when the folder is missing, unwritable or not
// safe. It never changes what the bundle does, only how fast it starts.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { CACHE_DIR_ENV } from '../../../shared/src/server-flags';

export interface LoadedBundle {
  exports: unknown;
  /** How the code cache was used: read and taken, missing (written later), or refused by V8. */
  cache: 'used' | 'missing' | 'rejected' | 'off';
  /** Writes the cache now if this load had none that V8 took (also done on exit). */
  save(): void;
}

/**
 * The bundles the server and CLI bundles require from beside them on first use, by the names
 * esbuild.mjs gives them (objectValidatorsApart): the validators of the kinds that hold no pod.
 */
export const SIBLING_BUNDLES: readonly string[] = ['./object-validators.js'];

export interface LoadOptions {
  saveAfterMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Bundles beside this one that it requires by these names (`./object-validators.js`, which the
   * server and CLI bundles load on first use): loaded the same way, with a cache of their own, the
   * first time they are required. Plain require() would compile them from source on every start.
   */
  siblings?: readonly string[];
}

/**
 * Runs a CommonJS bundle as require() would (its own module, exports and require), compiled with
 * the cached bytecode when there is a cache V8 accepts. Without one, the cache is written when the
 * process exits (the CLI), and after `saveAfterMs` (a server, which an editor may kill).
 */
export function loadBundle(file: string, options: LoadOptions = {}): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cachePath(file, source, options.env ?? process.env);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      if (privateToUs(cacheFile, 'file')) cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  // the same wrapper require() puts around a CommonJS file
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const cache: LoadedBundle['cache'] = !cacheFile
    ? 'off'
    : cachedData === undefined
      ? 'missing'
      : script.cachedDataRejected
        ? 'rejected'
        : 'used';
  let saved = cache === 'used' || cache === 'off';
  const save = (): void => {
    if (saved || !cacheFile) return;
    saved = true;
    try {
      writeAtomically(cacheFile, script.createCachedData());
      pruneStale(cacheFile);
    } catch {
      // a cache is an optimisation: never a reason to fail, least of all at exit
    }
  };
  if (!saved) {
    process.once('exit', save);
    if (options.saveAfterMs !== undefined) setTimeout(save, options.saveAfterMs).unref();
  }
  const module = { exports: {} as unknown, filename: file };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, requireFor(file, options), module, file, dirname(file));
  return { exports: module.exports, cache, save };
}

// What a bundle gets as its require: Node's, except for its sibling bundles (LoadOptions.siblings),
// fixed names of files beside it, which go through loadBundle.
function requireFor(file: string, options: LoadOptions): NodeJS.Require {
  const base = createRequire(file);
  const siblings = options.siblings;
  if (!siblings || siblings.length === 0) return base;
  const loaded = new Map<string, unknown>();
  const own = { ...options, siblings: undefined };
  const require = (id: string): unknown => {
    if (!siblings.includes(id)) return base(id);
    if (!loaded.has(id)) loaded.set(id, loadBundle(join(dirname(file), id), own).exports);
    return loaded.get(id);
  };
  return Object.assign(require, {
    resolve: base.resolve,
    cache: base.cache,
    main: base.main,
    extensions: base.extensions,
  });
}

/**
 * Where the cache of `file` goes, or undefined when there is no safe folder for it. The name says
 * which bundle (by its content), Node, architecture and flags it was made by, so a server run by
 * VS Code's Node and the CLI run by another keep a cache each.
 */
function cachePath(file: string, source: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = cacheDir(env);
  if (!dir) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateToUs(dir, 'folder')) return undefined;
  } catch {
    return undefined;
  }
  const key = createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`)
    .digest('hex')
    .slice(0, 20);
  return join(dir, `${basename(file, '.js')}-${key}.cache`);
}

/** The folder: what the environment says, else the platform's per-user cache folder. */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const set = env[CACHE_DIR_ENV];
  if (set === 'off') return undefined;
  if (set) return set;
  if (process.platform === 'win32')
    return env['LOCALAPPDATA'] ? join(env['LOCALAPPDATA'], 'sidecar-pods', 'cache') : undefined;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'sidecar-pods');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'sidecar-pods');
}

/**
 * A cache is code this process will run: on POSIX the folder must be ours and writable by nobody
 * else, and so must the file, so another user cannot plant one.
 */
function privateToUs(path: string, kind: 'file' | 'folder'): boolean {
  if (process.platform === 'win32' || !process.getuid) return true;
  const s = statSync(path);
  const isKind = kind === 'file' ? s.isFile() : s.isDirectory();
  return isKind && s.uid === process.getuid() && (s.mode & 0o022) === 0;
}

/** Caches of the same bundle name unused for this long are deleted when a new one is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Deletes the caches of other versions of this bundle (or other Node versions) that nothing has
 * written for a month: every update of the extension makes a new one.
 */
function pruneStale(cacheFile: string): void {
  const dir = dirname(cacheFile);
  const prefix = `${basename(cacheFile).replace(/-[0-9a-f]+\.cache$/, '')}-`;
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === cacheFile || !name.startsWith(prefix) || !/^[0-9a-f]+\.cache$/.test(name.slice(prefix.length)))
        continue;
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    }
  } catch {
    // a cache left behind costs a megabyte of disk, nothing else
  }
}

/** Written under a temporary name and renamed: a process starting meanwhile never reads half a file. */
function writeAtomically(file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}

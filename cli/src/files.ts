import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_READ_BYTES } from '../../server/src/engine';

export interface Collected {
  files: string[];
  problems: string[];
  /** Folders named on the command line that hold no *.yaml or *.yml file (worth a word, not an error). */
  empty: string[];
}

const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/**
 * Expands the paths given on the command line: files as they are (whatever their extension: the
 * user named them), folders recursively to their *.yaml/*.yml files, in a stable order. Symlink
 * loops are visited once; unreadable paths are reported, and the walk goes on.
 */
export function collectFiles(paths: readonly string[]): Collected {
  const files: string[] = [];
  const problems: string[] = [];
  const empty: string[] = [];
  /**
   * The YAML files found below each folder walked, by its real path: a folder met again (named twice,
   * inside one named before, through a symbolic link) is not walked again and counts what its walk
   * found; one met again inside its own walk (a link loop) counts nothing, its files being counted
   * once already.
   */
  const yamlBelow = new Map<string, number>();

  /** Runs a file-system call; on failure records why and gives undefined. */
  const attempt = <T>(path: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      problems.push(`${path}: ${reason(e, path)}`);
      return undefined;
    }
  };

  /** Collects the YAML files below `dir`; how many there are, undefined when it cannot be read. */
  const walk = (dir: string): number | undefined => {
    const real = attempt(dir, () => realpathSync(dir));
    if (real === undefined) return undefined;
    const known = yamlBelow.get(real);
    if (known !== undefined) return known;
    yamlBelow.set(real, 0);
    let count = 0;
    const names = attempt(dir, () => readdirSync(dir).sort()) ?? [];
    for (const name of names) {
      const p = join(dir, name);
      const st = attempt(p, () => statSync(p));
      if (st?.isDirectory()) {
        if (!SKIP_DIRS.has(name)) count += walk(p) ?? 0;
      } else if (st?.isFile() && YAML_FILE.test(name)) {
        files.push(p);
        count++;
      }
    }
    yamlBelow.set(real, count);
    return count;
  };

  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    const st = attempt(p, () => statSync(p));
    if (st?.isDirectory()) {
      if (walk(p) === 0) empty.push(p);
    } else if (st?.isSocket()) problems.push(`${p}: is a socket, not a file`);
    // FIFOs and character devices named on the command line are read: process substitution
    // (`<(helm template .)`) and /dev/stdin are both, and readFile bounds what an endless one costs
    else if (st) files.push(p);
  }
  return { files, problems, empty };
}

/** Thrown (with code EFBIG, as the OS would say) when a file exceeds the limit readBounded was given. */
class TooLarge extends Error {
  readonly code = 'EFBIG';
}

export function isTooLargeError(e: unknown): boolean {
  return e instanceof TooLarge;
}

/**
 * Reads a file, or a file descriptor such as 0 for standard input, up to `limit` bytes. Unlike
 * readFileSync it stops at the limit, so a device that never ends costs bounded memory and time.
 */
export function readBounded(file: string | number, limit = MAX_READ_BYTES): Buffer {
  const fd = typeof file === 'number' ? file : openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const tooLarge = (): TooLarge => new TooLarge(`larger than ${limit / (1024 * 1024)} MiB; not checked`);
    const add = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) throw tooLarge();
      chunks.push(chunk);
    };
    // a regular file says its size: read that into a buffer of its own
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > 0) {
      if (stat.size > limit) throw tooLarge();
      const buffer = Buffer.allocUnsafe(stat.size);
      let n = 0;
      while (n < buffer.length) {
        const read = readSync(fd, buffer, n, buffer.length - n, null);
        if (read === 0) break;
        n += read;
      }
      add(buffer.subarray(0, n));
      // all of it, as readFileSync reads a file: no read more to find the end
      if (n === stat.size) return buffer;
    }
    // whatever else there is: all of a pipe or a device (or of a file whose size says nothing, as in /proc)
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, SCRATCH, 0, SCRATCH.length, null);
      } catch (e) {
        // Windows reports the end of a piped standard input as an EOF error (nodejs/node#35997)
        if ((e as { code?: string }).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      add(Buffer.from(SCRATCH.subarray(0, n)));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    if (typeof file !== 'number') closeSync(fd);
  }
}

/** Where reads of unknown length land before they are copied out. */
const SCRATCH = Buffer.allocUnsafe(64 * 1024);

export function reason(e: unknown, path?: string): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      // a symbolic link whose target is gone says "no such file" about a name that plainly exists
      if (path !== undefined && isSymlink(path)) return 'broken symbolic link (its target does not exist)';
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    case 'EFBIG':
      return e instanceof Error ? e.message : 'file too large';
    case 'ENXIO':
      return 'not a file that can be read (a socket or a device without a driver)';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

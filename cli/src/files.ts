import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Collected {
  files: string[];
  problems: string[];
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
  const seenDirs = new Set<string>();

  /** Runs a file-system call; on failure records why and gives undefined. */
  const attempt = <T>(path: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      problems.push(`${path}: ${reason(e)}`);
      return undefined;
    }
  };

  const walk = (dir: string): void => {
    const real = attempt(dir, () => realpathSync(dir));
    if (real === undefined || seenDirs.has(real)) return;
    seenDirs.add(real);
    const names = attempt(dir, () => readdirSync(dir).sort()) ?? [];
    for (const name of names) {
      const p = join(dir, name);
      const st = attempt(p, () => statSync(p));
      if (st?.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(p);
      } else if (st?.isFile() && YAML_FILE.test(name)) {
        files.push(p);
      }
    }
  };

  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    const st = attempt(p, () => statSync(p));
    if (st?.isDirectory()) walk(p);
    else if (st) files.push(p);
  }
  return { files, problems };
}

export function reason(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

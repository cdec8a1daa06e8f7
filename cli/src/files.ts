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

  const walk = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      problems.push(`${dir}: ${reason(e)}`);
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      problems.push(`${dir}: ${reason(e)}`);
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch (e) {
        problems.push(`${p}: ${reason(e)}`);
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(p);
      } else if (st.isFile() && YAML_FILE.test(name)) {
        files.push(p);
      }
    }
  };

  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problems.push(`${p}: ${reason(e)}`);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
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

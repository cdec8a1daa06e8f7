import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { RULES_BY_ID } from '../../server/src/rules';
import {
  CONFIG_FILE_NAME,
  ignoreMatcher,
  parseConfig,
  type ProjectConfig,
} from '../../server/src/engine/config-file';
import { reason } from './files';

export interface LoadedConfig {
  path: string;
  config: ProjectConfig;
  ignores(file: string): boolean;
}

/**
 * Finds and reads config files for the CLI. With --config, that file governs every path. Without
 * it, each file is governed by the `.sidecar-pods.yaml` nearest to it: in its own folder or the
 * closest parent folder (standard input: from the current directory), as .editorconfig and
 * Prettier look them up. A broken config file is an error (exit 2), never silently skipped.
 */
export class ConfigFinder {
  private byDir = new Map<string, LoadedConfig | undefined>();
  private byFile = new Map<string, LoadedConfig | undefined>();
  readonly problems: string[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly cwd: string,
    private readonly explicit?: string,
  ) {}

  /** The config governing `file` (`-` for standard input). */
  forFile(file: string): LoadedConfig | undefined {
    if (this.explicit !== undefined) return this.read(resolve(this.cwd, this.explicit), true);
    const start = file === '-' ? this.cwd : dirname(resolve(this.cwd, file));
    return this.nearest(start);
  }

  private nearest(dir: string): LoadedConfig | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const candidate = join(dir, CONFIG_FILE_NAME);
    let found: LoadedConfig | undefined;
    if (isFile(candidate)) found = this.read(candidate, false);
    else if (dirname(dir) !== dir) found = this.nearest(dirname(dir));
    this.byDir.set(dir, found);
    return found;
  }

  private read(path: string, named: boolean): LoadedConfig | undefined {
    if (this.byFile.has(path)) return this.byFile.get(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      this.problems.push(`${named ? '--config ' : ''}${path}: ${reason(e)}`);
      this.byFile.set(path, undefined);
      return undefined;
    }
    const { config, problems } = parseConfig(text, new Set(RULES_BY_ID.keys()));
    for (const p of problems) {
      const line = text.slice(0, p.range.start).split('\n').length;
      (p.severity === 'error' ? this.problems : this.warnings).push(`${path}:${line}: ${p.message}`);
    }
    const folder = dirname(path);
    const matcher = ignoreMatcher(config);
    const loaded: LoadedConfig = {
      path,
      config,
      ignores: (file) => file !== '-' && matcher(relative(folder, resolve(this.cwd, file)).split(sep).join('/')),
    };
    this.byFile.set(path, loaded);
    return loaded;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import type { Settings } from '../../../shared/src/settings';
import { RULES_BY_ID } from '../rules';
import {
  applyConfig,
  CONFIG_FILE_NAME,
  ignoreMatcher,
  parseConfig,
  type ConfigProblem,
  type ProjectConfig,
} from '../engine/config-file';
import type { SettingsStore } from './settings-store';

interface Loaded {
  /** mtime and size of the file read; `missing` when there is none. */
  stamp: string;
  config?: ProjectConfig;
  ignored: (relativePath: string) => boolean;
}

/** What governs one document: its settings, or that the config file says to leave it alone. */
export type DocumentSettings = { ignored: true } | { ignored: false; settings: Settings };

/**
 * The `.sidecar-pods.yaml` at the root of each workspace folder, read from disk (never the
 * unsaved editor text: the file on disk is what the CLI in CI sees). Cached, and read again when a
 * watched-file event comes or its mtime or size changed (for clients that cannot watch files).
 * Reading is all it ever does, so untrusted workspaces are fine.
 */
export class ConfigStore {
  private folders: string[] = [];
  private loaded = new Map<string, Loaded>();
  private logged = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly editorSettings: SettingsStore,
  ) {}

  /** Workspace folder URIs (file: only; other schemes have no config file we could read). */
  setFolders(uris: readonly string[]): void {
    this.folders = paths(uris);
    this.invalidate();
  }

  changeFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(paths(removed));
    this.folders = [...this.folders.filter((f) => !gone.has(f)), ...paths(added)];
    this.invalidate();
  }

  invalidate(): void {
    this.loaded.clear();
  }

  isConfigFile(uri: string): boolean {
    const p = toPath(uri);
    return p !== undefined && basename(p) === CONFIG_FILE_NAME;
  }

  /** Editor settings overridden by the config file of the document's workspace folder. */
  async get(uri: string): Promise<DocumentSettings> {
    const { editor, loaded, relativePath } = await this.lookup(uri);
    if (loaded?.ignored(relativePath)) return { ignored: true };
    return { ignored: false, settings: applyConfig(editor, loaded?.config) };
  }

  /** The settings of a document whether or not the config file ignores it (for views it asks for). */
  async settingsFor(uri: string): Promise<Settings> {
    const { editor, loaded } = await this.lookup(uri);
    return applyConfig(editor, loaded?.config);
  }

  private async lookup(uri: string): Promise<{ editor: Settings; loaded?: Loaded; relativePath: string }> {
    const editor = await this.editorSettings.get(uri);
    const path = toPath(uri);
    const folder = path === undefined ? undefined : this.folderOf(path);
    if (path === undefined || folder === undefined) return { editor, relativePath: '' };
    return { editor, loaded: this.load(folder), relativePath: relative(folder, path).split(sep).join('/') };
  }

  /** The innermost workspace folder holding `path`. */
  private folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if ((path === f || path.startsWith(f.endsWith(sep) ? f : f + sep)) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  private load(folder: string): Loaded {
    const file = join(folder, CONFIG_FILE_NAME);
    const stamp = stampOf(file);
    const cached = this.loaded.get(folder);
    if (cached?.stamp === stamp) return cached;
    let loaded: Loaded = { stamp, ignored: () => false };
    if (stamp !== 'missing') {
      try {
        const text = readFileSync(file, 'utf8');
        const { config, problems } = parseConfig(text, new Set(RULES_BY_ID.keys()));
        this.report(file, text, problems);
        loaded = { stamp, config, ignored: ignoreMatcher(config) };
      } catch (e) {
        this.connection.console.error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.loaded.set(folder, loaded);
    return loaded;
  }

  /** Problems go to the log once per content of the file (open, it also shows them as diagnostics). */
  private report(file: string, text: string, problems: ConfigProblem[]): void {
    if (problems.length === 0 || this.logged.get(file) === text) return;
    this.logged.set(file, text);
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    const lines = problems.map((p) => `  line ${lineOf(p.range.start)}: ${p.severity}: ${p.message}`);
    this.connection.console.warn(
      `${file}: ${problems.length} problem(s); the rest of the file applies\n${lines.join('\n')}`,
    );
  }
}

function stampOf(file: string): string {
  try {
    const st = statSync(file);
    return st.isFile() ? `${st.mtimeMs}:${st.size}` : 'missing';
  } catch {
    return 'missing';
  }
}

function paths(uris: readonly string[]): string[] {
  return uris.flatMap((u) => {
    const p = toPath(u);
    return p === undefined ? [] : [p];
  });
}

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

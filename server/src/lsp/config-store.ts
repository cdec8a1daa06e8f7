import type { Connection } from 'vscode-languageserver';
import type { Settings } from '../../../shared/src/settings';
import { configLine, isConfigFile, type Engine, type Governed, type LoadedConfig, type Origin } from '../engine';
import type { ServerPlatform } from '../platform/types';
import type { SettingsStore } from './settings-store';

/** What governs one document: its settings, or that the config file says to leave it alone. */
export type DocumentSettings = { ignored: true } | { ignored: false; settings: Settings };

/** Where documents' files are for the lookups: the platform's part (server/src/platform). */
export type DocumentFiles = Pick<ServerPlatform, 'pathOf' | 'prepare' | 'invalidate'>;

/**
 * Editor settings under the engine's config lookup: the `.sidecar-pods.yaml` nearest to each
 * document, read from disk (never the unsaved editor text: the file on disk is what the CLI in CI
 * sees), or in the browser from the workspace through the client. The engine is made with a live
 * lookup, so a config file created, changed or deleted applies at the next check even in clients
 * that send no file events. Reading is all it ever does, so untrusted workspaces are fine.
 */
export class ConfigStore {
  constructor(
    private readonly engine: Engine,
    private readonly editorSettings: SettingsStore,
    private readonly files: DocumentFiles,
  ) {}

  /** A watched-file event says a config file (or, in the browser, a kustomization) changed: look again. */
  invalidate(): void {
    this.files.invalidate();
    this.engine.configs.invalidate();
    this.engine.kustomize.invalidate();
  }

  isConfigFile(uri: string): boolean {
    const p = this.files.pathOf(uri);
    return p !== undefined && isConfigFile(p);
  }

  /** Editor settings overridden by the config file nearest to the document. */
  async get(uri: string): Promise<DocumentSettings> {
    const governed = await this.govern(uri);
    return governed.ignored ? { ignored: true } : { ignored: false, settings: governed.settings };
  }

  /** The settings of a document whether or not the config file ignores it (for views it asks for). */
  async settingsFor(uri: string): Promise<Settings> {
    const [base] = await Promise.all([this.editorSettings.get(uri), this.files.prepare(uri)]);
    return this.engine.settingsFor(this.origin(uri), base);
  }

  private async govern(uri: string): Promise<Governed> {
    const [base] = await Promise.all([this.editorSettings.get(uri), this.files.prepare(uri)]);
    return this.engine.govern(this.origin(uri), base);
  }

  /** A document's place for the lookups: its path (other schemes, on Node, have no config file). */
  private origin(uri: string): Origin {
    const path = this.files.pathOf(uri);
    return path === undefined ? {} : { path };
  }
}

/**
 * Logs a config file's problems when it is read, once per content of the file (open, it also
 * shows them as diagnostics). Given to the engine's config lookup.
 */
export function configLogger(connection: Connection): (loaded: LoadedConfig) => void {
  const logged = new Map<string, string>();
  return (loaded) => {
    if (loaded.readError !== undefined) {
      const e = loaded.readError;
      connection.console.error(`cannot read ${loaded.path}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (loaded.problems.length === 0 || logged.get(loaded.path) === loaded.text) return;
    logged.set(loaded.path, loaded.text);
    const lines = loaded.problems.map(
      (p) => `  line ${configLine(loaded, p.range.start)}: ${p.severity}: ${p.message}`,
    );
    connection.console.warn(
      `${loaded.path}: ${loaded.problems.length} problem(s); the rest of the file applies\n${lines.join('\n')}`,
    );
  };
}

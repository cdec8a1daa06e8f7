import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from '../../../shared/src/settings';

export const SETTINGS_SECTION = 'sidecarPods';

/**
 * Settings per document, pulled with workspace/configuration when the client supports it (then
 * scoped per resource) and otherwise taken from didChangeConfiguration pushes.
 */
export class SettingsStore {
  private perUri = new Map<string, Promise<Settings>>();
  private pushed: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  private reported = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<Settings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.perUri.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(
        (raw: unknown) => this.normalize(raw),
        () => this.pushed,
      );
      this.perUri.set(uri, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: forget pulled values; keep pushed ones for clients that cannot pull. */
  changed(pushedSettings: unknown): void {
    this.perUri.clear();
    if (pushedSettings && typeof pushedSettings === 'object' && SETTINGS_SECTION in pushedSettings) {
      this.pushed = this.normalize((pushedSettings as Record<string, unknown>)[SETTINGS_SECTION]);
    }
  }

  forget(uri: string): void {
    this.perUri.delete(uri);
  }

  private normalize(raw: unknown): Settings {
    const { settings, problems } = normalizeSettings(raw);
    for (const p of problems) {
      // say it once, not on every keystroke
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      void this.connection.window.showWarningMessage(`Sidecar Pods settings: ${p}`);
    }
    return settings;
  }
}

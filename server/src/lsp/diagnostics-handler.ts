import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from '../model/file-model';
import { RULES_BY_ID } from '../rules';
import { parseConfig } from '../services/config-file';
import { configDiagnostics, toDiagnostics } from '../services/diagnostics';
import type { Linter } from '../services/lint';
import type { ConfigStore } from './config-store';

/**
 * Validates open documents and pushes diagnostics. A newer version of a document supersedes a
 * pending validation of an older one; a result computed for an old version is never published.
 */
export class DiagnosticsHandler {
  private pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: ModelCache,
    private readonly linter: Linter,
    private readonly settings: ConfigStore,
    private readonly delayMs = 0,
  ) {}

  schedule(uri: string): void {
    const previous = this.pending.get(uri);
    if (previous) clearTimeout(previous);
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        void this.validate(uri);
      }, this.delayMs),
    );
  }

  scheduleAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri);
  }

  clear(uri: string): void {
    const previous = this.pending.get(uri);
    if (previous) clearTimeout(previous);
    this.pending.delete(uri);
    this.models.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async validate(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc || !isYaml(doc)) return;
    const version = doc.version;
    try {
      if (this.settings.isConfigFile(uri)) {
        // the config file's own problems, as typed (it applies once saved)
        const { problems } = parseConfig(doc.getText(), new Set(RULES_BY_ID.keys()));
        await this.connection.sendDiagnostics({ uri, version, diagnostics: configDiagnostics(problems, doc) });
        return;
      }
      const resolved = await this.settings.get(uri);
      const current = this.documents.get(uri);
      if (!current || current.version !== version) return; // superseded while settings were fetched
      if (resolved.ignored) {
        await this.connection.sendDiagnostics({ uri, version, diagnostics: [] });
        return;
      }
      const file = this.models.parseFile(current.getText(), uri);
      const findings = this.linter.lint(file, resolved.settings);
      await this.connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(findings, current) });
    } catch (e) {
      this.connection.console.error(
        `validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }
}

/**
 * Editors other than VS Code may open every file with this server attached; only YAML is ours
 * (languageId `yaml`, or a dialect such as `yaml.docker-compose`, or a .yaml/.yml file).
 */
function isYaml(doc: TextDocument): boolean {
  return /^yaml\b/i.test(doc.languageId) || /\.ya?ml$/i.test(doc.uri);
}

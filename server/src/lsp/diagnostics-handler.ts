import { DiagnosticSeverity, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../../../shared/src/settings';
import type { ModelCache } from '../model/file-model';
import type { FileModel } from '../model/types';
import { RULES_BY_ID } from '../rules';
import { parseConfig } from '../engine/config-file';
import { configDiagnostics, toDiagnostics } from '../services/diagnostics';
import type { Linter } from '../engine/linter';
import type { ConfigStore } from './config-store';

/**
 * Files above this size (in UTF-16 code units, about bytes for manifests) are not checked: 20 MB
 * of YAML is generated output, not something a person edits, and parsing it would take seconds of
 * CPU and hundreds of MiB for nothing a person reads.
 */
export const MAX_FILE_CHARS = 20 * 1024 * 1024;

/** Work done in one turn of the event loop before other messages (a keystroke, a hover) get theirs. */
const SLICE_MS = 12;

/**
 * Runs `steps` in slices of SLICE_MS, yielding to the event loop between slices; gives up (returns
 * undefined) when `stillWanted` says the result has been superseded.
 */
async function inSlices<T>(steps: Generator<void, T>, stillWanted: () => boolean): Promise<T | undefined> {
  let sliceEnd = performance.now() + SLICE_MS;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() < sliceEnd) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (!stillWanted()) return undefined;
    sliceEnd = performance.now() + SLICE_MS;
  }
}

function tooLarge(chars: number): Diagnostic {
  const mb = (n: number): string => `${Math.round((n / 2 ** 20) * 10) / 10} MB`;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: 'sidecar-pods',
    code: 'file-too-large',
    message: `This file is ${mb(chars)}; Sidecar Pods checks files up to ${mb(MAX_FILE_CHARS)} and leaves larger ones alone.`,
  };
}

/**
 * Validates open documents and pushes diagnostics. Big files are parsed and checked in slices, so
 * the server keeps answering meanwhile. A newer version of a document supersedes a
 * pending validation of an older one; a result computed for an old version is never published.
 */
export class DiagnosticsHandler {
  private pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** When the oldest change not yet published arrived, per document (the server's own clock). */
  private receivedAt = new Map<string, number>();
  /** Milliseconds from a document notification to the publication of its diagnostics, latest last. */
  readonly latencies: number[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: ModelCache,
    private readonly linter: Linter,
    private readonly settings: ConfigStore,
    private readonly delayMs = 0,
  ) {}

  schedule(uri: string): void {
    if (!this.receivedAt.has(uri)) this.receivedAt.set(uri, performance.now());
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
    this.receivedAt.delete(uri);
    this.models.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async validate(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc || !isYaml(doc)) return;
    const version = doc.version;
    const isCurrent = (): boolean => this.documents.get(uri)?.version === version;
    try {
      if (this.settings.isConfigFile(uri)) {
        // the config file's own problems, as typed (it applies once saved)
        const { problems } = parseConfig(doc.getText(), new Set(RULES_BY_ID.keys()));
        await this.connection.sendDiagnostics({ uri, version, diagnostics: configDiagnostics(problems, doc) });
        return;
      }
      const resolved = await this.settings.get(uri);
      const current = this.documents.get(uri);
      if (!current || !isCurrent()) return; // superseded while settings were fetched
      const text = current.getText();
      let diagnostics: Diagnostic[];
      if (resolved.ignored) {
        diagnostics = [];
      } else if (text.length > MAX_FILE_CHARS) {
        diagnostics = [tooLarge(text.length)];
      } else {
        const settings = resolved.settings;
        const file = await inSlices(this.models.parseFileSteps(text, uri), isCurrent);
        // check documents in slices too: each lands in the linter's per-document cache, so the
        // final pass over the file only collects
        const checked = file && (await inSlices(this.checkSteps(file, settings), isCurrent));
        if (!file || !checked || !isCurrent()) return; // superseded: the newer version is scheduled
        diagnostics = toDiagnostics(this.linter.lint(file, settings), current);
      }
      const since = this.receivedAt.get(uri);
      this.receivedAt.delete(uri);
      if (since !== undefined) this.recordLatency(performance.now() - since);
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (e) {
      this.connection.console.error(
        `validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }

  private *checkSteps(file: FileModel, settings: Settings): Generator<void, true> {
    // after a keystroke all but the edited document are cached: only that one is checked here
    const unchecked = this.linter.unchecked(file, settings);
    // A check of many documents (a file's first, a change of settings) keeps none of their syntax
    // trees: the findings are cached, and a request parses again the one document it reads. The
    // parse dies young, so memory stays near the size of the text and the garbage collector has
    // little to move. The document a keystroke touched stays parsed for the requests that follow.
    const release = unchecked.length > 1;
    for (const doc of unchecked) {
      this.linter.lint({ text: file.text, documents: [doc] }, settings);
      if (release) doc.model.release?.();
      yield;
    }
    return true;
  }

  private recordLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > 1000) this.latencies.splice(0, this.latencies.length - 1000);
  }
}

/**
 * Editors other than VS Code may open every file with this server attached; only YAML is ours
 * (languageId `yaml`, or a dialect such as `yaml.docker-compose`, or a .yaml/.yml file).
 */
export function isYaml(doc: TextDocument): boolean {
  return /^yaml\b/i.test(doc.languageId) || /\.ya?ml$/i.test(doc.uri);
}

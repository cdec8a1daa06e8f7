import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { knownRuleIds, parseConfig, type Around, type Engine, type Finding } from '../engine';
import { configDiagnostics, toDiagnostics, type LocateInSet } from '../services/diagnostics';
import type { ConfigStore } from './config-store';
import { nextTurn } from '../platform/next-turn';

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
    await new Promise<void>((resolve) => nextTurn(resolve));
    if (!stillWanted()) return undefined;
    sliceEnd = performance.now() + SLICE_MS;
  }
}

/**
 * Validates open documents and pushes diagnostics. Big files are parsed and checked in slices, so
 * the server keeps answering meanwhile. A newer version of a document supersedes a
 * pending validation of an older one; a result computed for an old version is never published.
 */
export class DiagnosticsHandler {
  private pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Checks under way, and who waits for there to be none (idle()). */
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  /** When the oldest change not yet published arrived, per document (the server's own clock). */
  private receivedAt = new Map<string, number>();
  /** Milliseconds from a document notification to the publication of its diagnostics, latest last. */
  readonly latencies: number[] = [];
  /** Findings from outside the file (the set rules over the workspace), for the text they were made on. */
  setFindings: (uri: string, text: string) => readonly Finding[] = () => [];
  /**
   * Called with each text whose check has ended: the workspace set takes an open document's text
   * from here, when what the rules across objects read of it is already known (taken during the
   * check), so that no feature across objects parses a big file again in one go.
   */
  onChecked: (uri: string, text: string) => void = () => undefined;
  /** Where a range of another file of the set is (related information of the set rules' findings). */
  locate: LocateInSet | undefined;
  /** What the workspace's other files say about a file (the SidecarSets written there), for its pod rules. */
  around: (uri: string) => Around = () => ({});

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    private readonly settings: ConfigStore,
    private readonly delayMs = 0,
  ) {}

  /** Findings from elsewhere that land on a document (a rendered overlay's), shown with its own. */
  extra: (uri: string) => Finding[] = () => [];

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
    this.settle();
    this.engine.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Settles when no check of an open document is waiting or running: work in the background (the
   * workspace's scan and set check) waits for it between slices, so typing is never held up by it.
   */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(): void {
    if (this.pending.size > 0 || this.running > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async validate(uri: string): Promise<void> {
    this.running++;
    try {
      await this.validateNow(uri);
    } finally {
      this.running--;
      this.settle();
    }
  }

  private async validateNow(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc || !isYaml(doc)) return;
    const version = doc.version;
    const isCurrent = (): boolean => this.documents.get(uri)?.version === version;
    try {
      if (this.settings.isConfigFile(uri)) {
        // the config file's own problems, as typed (it applies once saved)
        const { problems } = parseConfig(doc.getText(), knownRuleIds());
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
      } else {
        // parsed and checked in slices: each document lands in the linter's per-document cache
        const steps = this.engine.checkSteps(text, resolved.settings, uri, this.around(uri));
        const findings = await inSlices(steps, isCurrent);
        if (!findings || !isCurrent()) return; // superseded: the newer version is scheduled
        this.onChecked(uri, text);
        const more = [...this.setFindings(uri, text), ...this.extra(uri)];
        diagnostics = toDiagnostics(more.length > 0 ? [...findings, ...more] : findings, current, this.locate);
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

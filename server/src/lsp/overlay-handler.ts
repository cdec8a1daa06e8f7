// Rendered kustomize overlays in the editor: when a file an overlay uses is opened or saved, the
// overlay is rendered in the background (never on a keystroke: a render reads the files on disk,
// which change on save), at most one render at a time per overlay, each killed after its time
// limit. Its findings join the diagnostics of the files that wrote them; the CLI reports the same.
// The set rules run over the rendered output too; what the workspace set already reports on a file
// is not reported again, so a render is checked again (without rendering) when that changes.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, Location, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../../../shared/src/settings';
import { positionsOf, type Engine, type FileModel, type Finding, type RelatedLocation } from '../engine';
import { toDiagnostics } from '../services/diagnostics';
import { isKustomizationFile, KUSTOMIZATION_NAMES } from '../workspace/kustomize';
import {
  checkRendered,
  KustomizationGraph,
  kustomizationsAbove,
  notRendered,
  renderedContext,
  topOverlays,
} from '../workspace/overlays';
import { DEFAULT_RENDER_SECONDS, findRenderer, render, type RenderOutcome } from '../workspace/render';
import type { Overlays } from '../platform/types';
import type { DocumentSettings } from './config-store';

/** How deep and how wide the search of a workspace folder for kustomizations goes. */
const SCAN_DEPTH = 8;
const SCAN_FOLDERS = 5000;
const SKIP = new Set(['node_modules', '.git']);

const NO_RENDERER =
  'No kustomize renderer on PATH (kubectl or kustomize): overlays are checked file by file, not as the cluster gets them. Install one, or set sidecarPods.kustomizeRenderer.';

interface Rendered {
  /** Findings by absolute path, in that file's offsets when it was rendered. */
  findings: Map<string, Finding[]>;
  /** The rendered text's model, for the diagram. */
  model?: FileModel;
  settings?: Settings;
  /** A render that succeeded, with the settings of the files it used, to check again without rendering. */
  checked?: Checked;
  /** Whether the set rules found anything in the rendered output: only then does the workspace set matter. */
  setFound?: boolean;
}

interface Checked {
  outcome: RenderOutcome;
  settingsOf: ReadonlyMap<string, Settings | undefined>;
  settings: Settings;
}

export class OverlayHandler implements Overlays {
  private readonly results = new Map<string, Rendered>();
  /** Overlays rendering now, and those asked for again meanwhile (rendered once more after). */
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private folders: string[] = [];
  private found: string[] | undefined;
  private toldNoRenderer = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    private readonly configs: { get(uri: string): Promise<DocumentSettings> },
    /** Re-checks an open document, whose diagnostics then take in extra(). */
    private readonly revalidate: (uri: string) => void,
    /** The workspace set's findings on a file at a text, which a rendered finding does not repeat. */
    private readonly setFindings: (uri: string, text: string) => readonly Finding[] = () => [],
    /** The kustomization files the workspace index found, once its scan has ended (undefined: no index). */
    private readonly indexed: () => Promise<readonly string[] | undefined> = () => Promise.resolve(undefined),
  ) {}

  setWorkspaceFolders(folders: string[]): void {
    this.folders = folders;
    this.found = undefined;
  }

  /** A kustomization was created, changed or deleted: search the workspace again next time. */
  invalidate(): void {
    this.found = undefined;
  }

  /** A document was closed: what rendered overlays found in it stays shown, from the file on disk. */
  closed(uri: string): void {
    const path = toPath(uri);
    if (path === undefined || this.extra(uri).length === 0) return;
    this.publishFromDisk(path);
  }

  /**
   * The rendered findings that land on the document at `uri`: one per rule and line where several
   * overlays (a dev and a prod of one base) find the same; related locations by URI.
   */
  extra(uri: string): Finding[] {
    const path = toPath(uri);
    if (path === undefined) return [];
    const out: Finding[] = [];
    /** Rule and line of what the overlays before said (one overlay may say two things on a line). */
    const said = new Set<string>();
    let lineAt: ((offset: number) => number) | undefined;
    // in the order the CLI renders them (topOverlays sorts them), so both keep the same one
    for (const [, r] of [...this.results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const ids: string[] = [];
      for (const f of r.findings.get(path) ?? []) {
        if (!lineAt) {
          const positions = positionsOf(this.textOf(path) ?? '');
          lineAt = (offset) => positions(offset).line;
        }
        const id = `${f.rule}\0${lineAt(f.range.start)}`;
        if (said.has(id)) continue;
        ids.push(id);
        out.push(f.related ? { ...f, related: f.related.map(byUri) } : f);
      }
      for (const id of ids) said.add(id);
    }
    return out.sort((a, b) => a.range.start - b.range.start);
  }

  /** Where a rendered finding's related location is (its key a file URI), in that file's current text. */
  location(key: string, range: Finding['range']): Location | undefined {
    const path = toPath(key);
    const text = path !== undefined ? this.textOf(path) : undefined;
    if (text === undefined) return undefined;
    const at = positionsOf(text);
    return { uri: key, range: { start: at(range.start), end: at(range.end) } };
  }

  /**
   * What the workspace set reports changed: the rendered overlays are checked again, not rendered
   * again, and the files whose rendered findings changed are published.
   */
  refresh(): void {
    for (const [overlay, before] of this.results) {
      if (!before.checked || !before.setFound || this.running.has(overlay)) continue;
      const { findings } = this.checkOutcome(overlay, before.checked);
      if (digest(findings) === digest(before.findings)) continue;
      const next = { ...before, findings };
      this.results.set(overlay, next);
      this.publish(before, next);
    }
  }

  /** A file was opened or saved: render the overlays it belongs to. Returns when they are done (tests, the diagram). */
  async trigger(uri: string): Promise<void> {
    const path = toPath(uri);
    if (path === undefined) return;
    const graph = this.graph();
    const candidates = new Set([...kustomizationsAbove(path), ...(await this.workspaceKustomizations())]);
    if (isKustomizationFile(path)) candidates.add(path);
    const overlays = topOverlays([path], candidates, graph);
    await Promise.all(overlays.map((o) => this.schedule(o)));
  }

  /** The rendered pods of the overlay whose kustomization is at `uri` (rendered now if need be). */
  async renderedModel(uri: string): Promise<{ model: FileModel; settings: Settings } | undefined> {
    const path = toPath(uri);
    if (path === undefined || !isKustomizationFile(path)) return undefined;
    if (!this.results.get(path)?.model) await this.schedule(path);
    const r = this.results.get(path);
    return r?.model && r.settings ? { model: r.model, settings: r.settings } : undefined;
  }

  private schedule(overlay: string): Promise<void> {
    const busy = this.running.get(overlay);
    if (busy) {
      this.again.add(overlay);
      return busy;
    }
    const run = (async () => {
      do {
        this.again.delete(overlay);
        try {
          await this.renderOnce(overlay);
        } catch (e) {
          this.connection.console.error(
            `rendering ${overlay} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          );
        }
      } while (this.again.has(overlay));
    })().finally(() => this.running.delete(overlay));
    this.running.set(overlay, run);
    return run;
  }

  private async renderOnce(overlay: string): Promise<void> {
    const uri = pathToFileURL(overlay).href;
    const governed = await this.configs.get(uri);
    if (governed.ignored) return;
    const settings = governed.settings;
    const before = this.results.get(overlay);
    if (settings.kustomizeRenderer === 'off') {
      this.results.delete(overlay);
      this.publish(before, undefined);
      return;
    }
    const renderer = findRenderer(settings.kustomizeRenderer);
    if (!renderer) {
      let findings = new Map<string, Finding[]>();
      // said once, on the first overlay opened: nothing fails without a renderer
      if (!this.toldNoRenderer || before?.findings.has(overlay)) {
        this.toldNoRenderer = true;
        const text = this.textOf(overlay) ?? '';
        const nl = text.indexOf('\n');
        const message = settings.kustomizeRenderer
          ? `The kustomize renderer "${settings.kustomizeRenderer}" is not found: overlays are checked file by file, not as the cluster gets them.`
          : NO_RENDERER;
        findings = new Map([
          [
            overlay,
            [
              {
                rule: 'kustomization',
                severity: 'info',
                message,
                range: { start: 0, end: nl === -1 ? text.length : nl },
              },
            ],
          ],
        ]);
        this.connection.console.info(message);
      }
      const next = { findings };
      this.results.set(overlay, next);
      this.publish(before, next);
      return;
    }
    const node = this.graph().node(overlay);
    const skip = node && notRendered(node, this.textOf(overlay) ?? '');
    if (skip) {
      const next = { findings: new Map([[overlay, [skip]]]) };
      this.results.set(overlay, next);
      this.publish(before, next);
      return;
    }
    const outcome = await render(
      dirname(overlay),
      renderer,
      settings.kustomizeTimeoutSeconds ?? DEFAULT_RENDER_SECONDS,
    );
    // settings of each file as its own check uses them (its config file, whether a patch)
    const settingsOf = new Map<string, Settings | undefined>();
    for (const f of this.graph().node(overlay)?.files ?? []) {
      const g = await this.configs.get(pathToFileURL(f).href);
      settingsOf.set(f, g.ignored ? undefined : g.settings);
    }
    settingsOf.set(overlay, settings);
    const checked = { outcome, settingsOf, settings };
    const { findings, setFound } = this.checkOutcome(overlay, checked);
    const next: Rendered = { findings };
    if (outcome.ok) {
      next.checked = checked;
      next.setFound = setFound;
      const model = this.engine.open(outcome.text, `rendered:${overlay}`);
      if (model) {
        next.model = model;
        const { kustomization: _k, patchOf: _p, ...whole } = settings;
        next.settings = whole;
      }
    }
    this.results.set(overlay, next);
    this.publish(before, next);
  }

  /** The findings of a render, each file under its own settings, none the workspace set reports already. */
  private checkOutcome(overlay: string, checked: Checked): { findings: Map<string, Finding[]>; setFound: boolean } {
    const { outcome, settingsOf, settings } = checked;
    const ctx = renderedContext(this.engine, {
      settingsFor: (p) => (settingsOf.has(p) ? settingsOf.get(p) : settings),
      textOf: (p) => this.textOf(p),
      reported: (p) => this.setFindings(pathToFileURL(p).href, this.textOf(p) ?? ''),
    });
    let setFound = false;
    const findings = checkRendered(overlay, outcome, this.graph(), {
      ...ctx,
      checkSet: (text, s, key) => {
        const found = ctx.checkSet(text, s, key);
        setFound ||= found.length > 0;
        return found;
      },
    });
    return { findings, setFound };
  }

  /** Diagnostics again for every file whose rendered findings changed: open ones re-checked, others published as they are. */
  private publish(before: Rendered | undefined, after: Rendered | undefined): void {
    const paths = new Set([...(before?.findings.keys() ?? []), ...(after?.findings.keys() ?? [])]);
    for (const path of paths) {
      const uri = pathToFileURL(path).href;
      if (this.documents.get(uri)) {
        this.revalidate(uri);
        continue;
      }
      this.publishFromDisk(path);
    }
  }

  /** Publishes the rendered findings of a file that is not open, placed in its text on disk. */
  private publishFromDisk(path: string): void {
    const uri = pathToFileURL(path).href;
    const text = this.textOf(path);
    if (text === undefined) return;
    const doc = TextDocument.create(uri, 'yaml', 0, text);
    const diagnostics = toDiagnostics(this.extra(uri), doc, (key, range) => this.location(key, range));
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  private graph(): KustomizationGraph {
    return new KustomizationGraph((p) => this.textOf(p));
  }

  /** An open document's text, else the file's on disk. */
  private textOf(path: string): string | undefined {
    const open = this.documents.get(pathToFileURL(path).href);
    if (open) return open.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * The kustomization files of the workspace folders: the workspace index's, which lists them as
   * it scans (in the background); without an index, a bounded search of the folders, kept until
   * invalidated.
   */
  private async workspaceKustomizations(): Promise<readonly string[]> {
    const listed = await this.indexed();
    if (listed) return listed;
    if (this.found) return this.found;
    const out: string[] = [];
    let folders = 0;
    const walk = (dir: string, depth: number): void => {
      if (depth > SCAN_DEPTH || ++folders > SCAN_FOLDERS) return;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const k = KUSTOMIZATION_NAMES.find((n) => entries.some((e) => e.isFile() && e.name === n));
      if (k) out.push(join(dir, k));
      for (const e of entries) {
        if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name), depth + 1);
      }
    };
    for (const f of this.folders) walk(f, 0);
    this.found = out;
    return out;
  }
}

/** A related location of checkRendered (its key a path) with its key a file URI. */
function byUri(r: RelatedLocation): RelatedLocation {
  return r.key !== undefined ? { ...r, key: pathToFileURL(r.key).href } : r;
}

/** What a render's findings say, to tell whether a new check changed them. */
function digest(findings: ReadonlyMap<string, readonly Finding[]>): string {
  return JSON.stringify(
    [...findings].map(([path, list]) => [path, list.map((f) => [f.rule, f.severity, f.range, f.message, f.related])]),
  );
}

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

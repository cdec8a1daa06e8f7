// Rendered kustomize overlays in the editor: when a file an overlay uses is opened or saved, the
// overlay is rendered in the background (never on a keystroke: a render reads the files on disk,
// which change on save), at most one render at a time per overlay, each killed after its time
// limit. Its findings join the diagnostics of the files that wrote them; the CLI reports the same.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../../../shared/src/settings';
import type { Engine, FileModel, Finding } from '../engine';
import { toDiagnostics } from '../services/diagnostics';
import { isKustomizationFile, KUSTOMIZATION_NAMES } from '../workspace/kustomize';
import {
  checkRendered,
  KustomizationGraph,
  kustomizationsAbove,
  notRendered,
  topOverlays,
} from '../workspace/overlays';
import { DEFAULT_RENDER_SECONDS, findRenderer, render } from '../workspace/render';
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

  /** The rendered findings that land on the document at `uri`. */
  extra(uri: string): Finding[] {
    const path = toPath(uri);
    if (path === undefined) return [];
    const out: Finding[] = [];
    for (const r of this.results.values()) out.push(...(r.findings.get(path) ?? []));
    return out.sort((a, b) => a.range.start - b.range.start);
  }

  /** A file was opened or saved: render the overlays it belongs to. Returns when they are done (tests, the diagram). */
  async trigger(uri: string): Promise<void> {
    const path = toPath(uri);
    if (path === undefined) return;
    const graph = this.graph();
    const candidates = new Set([...kustomizationsAbove(path), ...this.workspaceKustomizations()]);
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
    const graph = this.graph();
    const findings = checkRendered(overlay, outcome, graph, {
      check: (text, s, key) => this.engine.check(text, s, key),
      open: (text, key) => this.engine.open(text, key),
      settingsFor: (p) => (settingsOf.has(p) ? settingsOf.get(p) : settings),
      textOf: (p) => this.textOf(p),
    });
    const next: Rendered = { findings };
    if (outcome.ok) {
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
    void this.connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(this.extra(uri), doc) });
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

  /** The kustomization files of the workspace folders (bounded search, kept until invalidated). */
  private workspaceKustomizations(): string[] {
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

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

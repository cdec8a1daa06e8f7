// The CLI's kustomize overlays: each top-level kustomization among or above the files given is
// rendered (kubectl kustomize or kustomize build, from PATH or as configured) and its findings join
// those of the files that wrote them. A base that an overlay of the set includes is rendered as
// part of it only (workspace/overlays.ts topOverlays), so one cause gives one finding.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Settings } from '../../shared/src/settings';
import { isKustomizationFile, type Engine, type Finding, type RelatedLocation } from '../../server/src/engine';
import {
  checkRendered,
  DEFAULT_RENDER_SECONDS,
  findRenderer,
  KustomizationGraph,
  kustomizationsAbove,
  notRendered,
  renderedContext,
  renderSync,
  topOverlays,
} from '../../server/src/engine/overlays';

export interface CheckedFile {
  file: string;
  text: string | undefined;
  settings: Settings;
  findings: Finding[];
}

export interface OverlayOptions {
  engine: Engine;
  cwd: string;
  /** The settings that govern a file (its config file, the command line), undefined when it is ignored. */
  settingsFor(path: string): Settings | undefined;
  /** --kustomize-renderer, which says the last word over config files. */
  renderer: string | undefined;
}

/** The message of the one info a run without a renderer gives. */
export const NO_RENDERER =
  'No kustomize renderer on PATH (kubectl or kustomize): this overlay is checked file by file, not as the cluster gets it. Install one, or set kustomizeRenderer.';

/** Renders the overlays the checked files belong to and adds their findings to `checked` (in place). */
export function lintOverlays(checked: CheckedFile[], options: OverlayOptions): void {
  const { engine, cwd } = options;
  const byPath = new Map<string, CheckedFile>();
  for (const c of checked) if (c.file !== '-') byPath.set(resolve(cwd, c.file), c);
  const files = [...byPath.keys()];
  const candidates = new Set<string>();
  const folders = new Map<string, string | undefined>();
  for (const f of files) {
    if (isKustomizationFile(f)) candidates.add(f);
    for (const k of kustomizationsAbove(f, folders)) candidates.add(k);
  }
  if (candidates.size === 0) return;
  const graph = new KustomizationGraph();
  const overlays = topOverlays(files, candidates, graph);
  if (overlays.length === 0) return;

  const textOf = (path: string): string | undefined => {
    const known = byPath.get(path);
    if (known) return known.text;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const entryOf = (path: string): CheckedFile | undefined => {
    let entry = byPath.get(path);
    if (!entry) {
      const settings = options.settingsFor(path);
      const text = textOf(path);
      if (!settings || text === undefined) return undefined;
      // a file the overlay uses but the command line did not name: it holds a finding now
      entry = { file: relative(cwd, path), text, settings, findings: [] };
      byPath.set(path, entry);
      checked.push(entry);
    }
    return entry;
  };
  let toldNoRenderer = false;
  for (const overlay of overlays) {
    const settings = options.settingsFor(overlay);
    if (!settings) continue;
    const setting = options.renderer ?? settings.kustomizeRenderer;
    if (setting === 'off') continue;
    const renderer = findRenderer(setting);
    if (!renderer) {
      if (toldNoRenderer) continue;
      toldNoRenderer = true;
      const entry = entryOf(overlay);
      const text = entry?.text ?? '';
      const nl = text.indexOf('\n');
      if (!entry) continue;
      entry.findings.push({
        rule: 'kustomization',
        severity: 'info',
        message: setting
          ? `The kustomize renderer "${setting}" is not found: this overlay is checked file by file, not as the cluster gets it.`
          : NO_RENDERER,
        range: { start: 0, end: nl === -1 ? text.length : nl },
      });
      entry.findings.sort((a, b) => a.range.start - b.range.start);
      continue;
    }
    const node = graph.node(overlay);
    const skip = node && notRendered(node, textOf(overlay) ?? '');
    if (skip) {
      const entry = entryOf(overlay);
      if (entry) entry.findings = [...entry.findings, skip].sort((a, b) => a.range.start - b.range.start);
      continue;
    }
    const outcome = renderSync(dirname(overlay), renderer, settings.kustomizeTimeoutSeconds ?? DEFAULT_RENDER_SECONDS);
    const found = checkRendered(
      overlay,
      outcome,
      graph,
      renderedContext(engine, {
        settingsFor: options.settingsFor,
        textOf,
        // the set rules over the files given, and the overlays rendered before, said it already
        reported: (path) => byPath.get(path)?.findings ?? [],
      }),
    );
    for (const [path, list] of found) {
      const entry = entryOf(path);
      if (!entry) continue;
      // a related location names its file by path; the report names files by their place in `checked`
      const placed = list.map((f) => (f.related ? { ...f, related: f.related.flatMap(inChecked) } : f));
      entry.findings = [...entry.findings, ...placed].sort((a, b) => a.range.start - b.range.start);
    }
  }

  function inChecked(r: RelatedLocation): RelatedLocation[] {
    const entry = r.key !== undefined ? entryOf(r.key) : undefined;
    return entry ? [{ ...r, key: String(checked.indexOf(entry)) }] : [];
  }
}

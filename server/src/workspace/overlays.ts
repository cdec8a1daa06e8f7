// Overlays: which kustomizations a set of files belongs to, and the findings of a rendered overlay
// carried back to the files and lines that wrote them (../shared/specs/workloads.md, section 2).
//
// Which overlays are rendered: each kustomization among or above the files that uses one of them
// (as a resource, a patch, a generator's input, through nested kustomizations), keeping only the
// top-level ones: a kustomization that another of the candidates includes is rendered as part of
// that one, not again on its own, so a base shared by an overlay gives no second report.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Settings } from '../../../shared/src/settings';
import type { Finding } from '../engine/types';
import { locate } from '../model/locate';
import type { FileModel, Range } from '../model/types';
import { nodeRange } from '../model/yaml-nodes';
import { isRemoteRef, kustomizationIn, kustomizationRefs, pathKind } from './kustomize';
import type { RenderOutcome } from './render';

/** The origin annotation kustomize writes with `buildMetadata: [originAnnotations]`. */
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

/** A kustomization and what it uses, transitively. */
export interface KustomizationNode {
  /** Absolute path of its file. */
  file: string;
  /** Every file it uses, its own and those of the kustomizations it includes (absolute). */
  files: Set<string>;
  /** The kustomization files it includes, transitively. */
  includes: Set<string>;
  /** Patch files, this kustomization's first, then those of what it includes (the last writer first). */
  patches: string[];
  /** Its own resources/bases/components entries that name something on disk, with where they are written. */
  entries: { target: string; range: Range }[];
  /** Remote targets it or what it includes names (URLs, git addresses): fetched by kustomize, not here. */
  remote: string[];
}

function parseRoot(text: string): unknown {
  try {
    return parseDocument(text, { prettyErrors: false, logLevel: 'silent' }).contents;
  } catch {
    return undefined;
  }
}

/** Reads kustomizations, each once (a graph of them can share bases and has no business looping). */
export class KustomizationGraph {
  private readonly nodes = new Map<string, KustomizationNode | undefined>();

  constructor(private readonly read: (path: string) => string | undefined = readText) {}

  node(file: string): KustomizationNode | undefined {
    const path = resolve(file);
    if (this.nodes.has(path)) return this.nodes.get(path);
    // marked while read, so a cycle ends here
    this.nodes.set(path, undefined);
    const text = this.read(path);
    if (text === undefined) return undefined;
    const node: KustomizationNode = {
      file: path,
      files: new Set(),
      includes: new Set(),
      patches: [],
      entries: [],
      remote: [],
    };
    const folder = dirname(path);
    const nested: KustomizationNode[] = [];
    for (const ref of kustomizationRefs(parseRoot(text))) {
      if (isRemoteRef(ref.path) && pathKind(resolve(folder, ref.path)) === undefined) {
        node.remote.push(ref.path);
        continue;
      }
      const target = resolve(folder, ref.path);
      const kind = pathKind(target);
      if (kind === undefined) continue;
      const top = ref.field.split('.')[0]!;
      if (top === 'resources[]' || top === 'bases[]' || top === 'components[]')
        node.entries.push({ target, range: ref.range });
      if (kind === 'folder') {
        const inner = kustomizationIn(target);
        const child = inner !== undefined ? this.node(inner) : undefined;
        if (inner !== undefined) {
          node.includes.add(inner);
          node.files.add(inner);
        }
        if (child) nested.push(child);
        continue;
      }
      node.files.add(target);
      if (/^patches(Json6902|StrategicMerge)?\[\]/.test(ref.field)) node.patches.push(target);
    }
    for (const child of nested) {
      for (const f of child.files) node.files.add(f);
      for (const k of child.includes) node.includes.add(k);
      node.patches.push(...child.patches);
      node.remote.push(...child.remote);
    }
    this.nodes.set(path, node);
    return node;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The kustomization files in `file`'s folder and the folders above it. `known` keeps each folder's
 * kustomization (or that it has none) across calls: the CLI asks for every file it is given, and
 * those share their folders (three stats per folder and name otherwise).
 */
export function kustomizationsAbove(file: string, known?: Map<string, string | undefined>): string[] {
  const out: string[] = [];
  const target = resolve(file);
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    let k: string | undefined;
    if (known?.has(dir)) k = known.get(dir);
    else {
      k = kustomizationIn(dir);
      known?.set(dir, k);
    }
    if (k !== undefined && k !== target) out.push(k);
    if (dirname(dir) === dir) return out;
  }
}

/**
 * The top-level kustomizations that `files` (absolute) belong to, among `candidates` (the
 * kustomization files given or found above them): each uses one of the files or is one, and no
 * other such candidate includes it.
 */
export function topOverlays(
  files: readonly string[],
  candidates: Iterable<string>,
  graph: KustomizationGraph,
): string[] {
  const wanted = new Set(files.map((f) => resolve(f)));
  const used: KustomizationNode[] = [];
  for (const c of new Set([...candidates].map((c) => resolve(c)))) {
    const node = graph.node(c);
    if (node && (wanted.has(node.file) || [...node.files].some((f) => wanted.has(f)))) used.push(node);
  }
  return used
    .filter((n) => !used.some((other) => other !== n && other.includes.has(n.file)))
    .map((n) => n.file)
    .sort();
}

/**
 * Why an overlay is not rendered, as the one info it gets, if it is not: a remote target (a git
 * repository, a URL) would have the renderer fetch it from the network, on every open and save,
 * so such an overlay is checked file by file.
 */
export function notRendered(node: KustomizationNode, text: string): Finding | undefined {
  if (node.remote.length === 0) return undefined;
  const named = node.remote.slice(0, 2).join(', ') + (node.remote.length > 2 ? ', ...' : '');
  return {
    rule: 'kustomization',
    severity: 'info',
    message: `This overlay is not rendered: it uses remote targets (${named}), which Sidecar Pods does not fetch; its files are checked one by one.`,
    range: firstLine(text),
  };
}

/** What a rendered check needs from its caller. */
export interface RenderedCheckContext {
  /** The findings of a text under settings (the engine's check), keyed for its cache. */
  check(text: string, settings: Settings, key: string): Finding[];
  /** The file model of a text (the engine's open). */
  open(text: string, key: string): FileModel | undefined;
  /** The settings that govern a file, as its own check uses them (undefined: the file is ignored). */
  settingsFor(path: string): Settings | undefined;
  /** A file's current text (an open document's, else the disk's). */
  textOf(path: string): string | undefined;
}

/** A finding carried to a source file, in that file's offsets. */
export type FileFindings = Map<string, Finding[]>;

/** A path through a rendered object, list items named by their `name` where they have one. */
type Step = string | number | { name: string };

/**
 * The findings of a rendered overlay, each on the source file and line that wrote its value, else
 * on the overlay's entry that brought its object in; none that the rule already reports on the
 * source file itself. A render that failed is one error on the kustomization, unless the
 * kustomization rule already says why it cannot build (a missing file, an unknown field).
 */
export function checkRendered(
  kustomizationFile: string,
  outcome: RenderOutcome,
  graph: KustomizationGraph,
  ctx: RenderedCheckContext,
): FileFindings {
  const out: FileFindings = new Map();
  const node = graph.node(kustomizationFile);
  const settings = ctx.settingsFor(kustomizationFile);
  if (!node || !settings || settings.rules['kustomization'] === 'off') return out;
  const add = (file: string, f: Finding): void => {
    out.set(file, [...(out.get(file) ?? []), f]);
  };
  const kustomizationText = ctx.textOf(kustomizationFile) ?? '';
  if (!outcome.ok) {
    // the static check's own finding says it already (a missing file is kustomize's usual complaint)
    for (const k of [node.file, ...node.includes]) {
      const s = ctx.settingsFor(k);
      const text = ctx.textOf(k);
      if (
        s &&
        text !== undefined &&
        ctx.check(text, { ...s, kustomization: k }, k).some((f) => f.rule === 'kustomization' && f.severity === 'error')
      )
        return out;
    }
    add(kustomizationFile, {
      rule: 'kustomization',
      severity: outcome.timedOut ? 'warning' : 'error',
      message: outcome.timedOut
        ? `This overlay was not checked as rendered: ${outcome.message}.`
        : `kustomize cannot build this overlay: ${outcome.message}`,
      range: firstLine(kustomizationText),
    });
    return out;
  }

  const { patchOf: _p, kustomization: _k, ...whole } = settings;
  const key = `rendered:${kustomizationFile}`;
  const rendered = ctx.check(outcome.text, whole, key);
  const file = ctx.open(outcome.text, key);
  if (!file) return out;
  const own = new Map<string, Finding[]>();
  const ownOf = (path: string): Finding[] => {
    let found = own.get(path);
    if (!found) {
      const text = ctx.textOf(path);
      const s = ctx.settingsFor(path);
      found = text !== undefined && s ? ctx.check(text, s, path) : [];
      own.set(path, found);
    }
    return found;
  };
  const seen = new Set<string>();
  const parsed = new Map<string, FileModel | undefined>();
  const modelOf = (path: string): FileModel | undefined => {
    if (!parsed.has(path)) {
      const text = ctx.textOf(path);
      parsed.set(path, text !== undefined ? ctx.open(text, path) : undefined);
    }
    return parsed.get(path);
  };

  for (const f of rendered) {
    const doc = [...file.documents].reverse().find((d) => d.offset <= f.range.start);
    const root = doc?.model.yaml.contents;
    if (!doc || !isMap(root)) continue;
    const kind = scalarAt(root, ['kind']);
    const name = scalarAt(root, ['metadata', 'name']);
    const origin = originOf(root, outcome.base);
    // where the file that writes the value at a rendered offset writes it
    const sourceOf = (offset: number): { path: string; range: Range } | undefined => {
      const cursor = locate(root, offset - doc.offset);
      const steps = cursor ? namedSteps(root, cursor.path) : undefined;
      if (!cursor || !steps || kind === undefined) return undefined;
      const value = cursor.on === 'value' && cursor.node && isScalar(cursor.node) ? cursor.node.value : undefined;
      // the last writer first: patches of the overlay, then of its bases, then the object's own file
      for (const path of [...node.patches, ...(origin !== undefined ? [origin] : [])]) {
        const model = modelOf(path);
        const range = model && findIn(model, kind, name, steps, cursor.on, value);
        if (range) return { path, range };
      }
      return undefined;
    };
    let landed = sourceOf(f.range.start);
    let patchedIn: string | undefined;
    if (landed && !node.patches.includes(landed.path) && f.related) {
      // the other side of a clash (a port, a name) that a patch brought in: the patch is the cause
      for (const r of f.related) {
        const other = sourceOf(r.range.start);
        if (other && node.patches.includes(other.path)) {
          const text = ctx.textOf(landed.path) ?? '';
          patchedIn = `${relative(dirname(kustomizationFile), landed.path)}:${lineOf(text, landed.range.start) + 1}`;
          landed = other;
          break;
        }
      }
    }
    let finding: Finding;
    if (landed) {
      finding = { ...withoutExtras(f), range: landed.range };
      if (patchedIn !== undefined)
        finding.message = `${f.message} (rendered: reported at ${patchedIn}, where the other side is written; this patch brings the clash)`;
    } else {
      const entry =
        (origin !== undefined && node.entries.find((e) => origin === e.target || origin.startsWith(e.target + '/'))) ||
        undefined;
      const where = origin !== undefined ? `, from ${relative(dirname(kustomizationFile), origin)}` : '';
      landed = { path: kustomizationFile, range: entry ? entry.range : firstLine(kustomizationText) };
      finding = {
        ...withoutExtras(f),
        message: `${f.message} (in the rendered ${kind ?? 'object'}${name !== undefined ? ` ${name}` : ''}${where})`,
        range: landed.range,
      };
    }
    const text = ctx.textOf(landed.path) ?? '';
    const line = lineOf(text, finding.range.start);
    // the source file's own check may say it already, on the same line
    if (ownOf(landed.path).some((o) => o.rule === f.rule && lineOf(text, o.range.start) === line)) continue;
    const id = `${landed.path}\0${f.rule}\0${line}\0${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    add(landed.path, finding);
  }
  for (const list of out.values()) list.sort((a, b) => a.range.start - b.range.start);
  return out;
}

/** A rendered finding without what belongs to the rendered text (its fixes edit that text). */
function withoutExtras(f: Finding): Finding {
  const { fixes: _fixes, related: _related, data: _data, ...rest } = f;
  return rest;
}

function firstLine(text: string): Range {
  const nl = text.indexOf('\n');
  return { start: 0, end: nl === -1 ? text.length : nl };
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function scalarAt(map: YAMLMap, path: string[]): string | undefined {
  let node: unknown = map;
  for (const key of path) node = isMap(node) ? node.get(key, true) : undefined;
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/** The source file kustomize's origin annotation names, absolute (relative to the generated folder). */
export function originOf(root: YAMLMap, base: string): string | undefined {
  const text = scalarAt(root, ['metadata', 'annotations', ORIGIN_ANNOTATION]);
  if (text === undefined) return undefined;
  const origin = parseRoot(text);
  if (!isMap(origin)) return undefined;
  // an object from a remote base names its repo: no file of the workspace wrote it
  if (origin.get('repo') !== undefined) return undefined;
  const path = origin.get('path');
  return typeof path === 'string' && path !== '' ? resolve(base, path) : undefined;
}

/** The steps of a path through `root`, list items named by their `name` where they have one. */
function namedSteps(root: Node, path: readonly (string | number)[]): Step[] | undefined {
  const steps: Step[] = [];
  let node: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      const item = node.items[seg];
      const name = isMap(item) ? item.get('name') : undefined;
      steps.push(typeof name === 'string' ? { name } : seg);
      node = item;
    } else {
      if (!isMap(node)) return undefined;
      steps.push(seg);
      node = node.get(seg, true);
    }
  }
  return steps;
}

/**
 * Where a document of `model` of this kind and name writes the same path (key or scalar value,
 * the same value): the range in the file's offsets. A name matches as written, or inside the
 * rendered one (a namePrefix or nameSuffix added by an overlay).
 */
function findIn(
  model: FileModel,
  kind: string,
  name: string | undefined,
  steps: readonly Step[],
  on: 'key' | 'value',
  value: unknown,
): Range | undefined {
  for (const doc of model.documents) {
    const root = doc.model.yaml.contents;
    if (!isMap(root) || scalarAt(root, ['kind']) !== kind) continue;
    const own = scalarAt(root, ['metadata', 'name']);
    if (name !== undefined && own !== undefined && own !== name && !name.includes(own)) continue;
    let node: unknown = root;
    let keyNode: unknown;
    for (const step of steps) {
      keyNode = undefined;
      if (typeof step === 'string') {
        if (!isMap(node)) break;
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
        if (!pair) {
          node = undefined;
          break;
        }
        keyNode = pair.key;
        node = pair.value;
      } else if (typeof step === 'number') {
        node = isSeq(node) ? node.items[step] : undefined;
      } else {
        node = isSeq(node) ? node.items.find((i) => isMap(i) && i.get('name') === step.name) : undefined;
      }
      if (node === undefined) break;
    }
    if (node === undefined) continue;
    if (on === 'key') {
      if (!isScalar(keyNode)) continue;
      const r = nodeRange(keyNode);
      return { start: r.start + doc.offset, end: r.end + doc.offset };
    }
    if (!isScalar(node) || node.value !== value) continue;
    const r = nodeRange(node);
    return { start: r.start + doc.offset, end: r.end + doc.offset };
  }
  return undefined;
}

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
import { positionsOf } from '../engine/positions';
import { findSuppressions, isSuppressed } from '../engine/suppression';
import type { Finding, RelatedLocation } from '../engine/types';
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
  /**
   * The set rules' findings over a text as one set (the engine's checkSet of one member, keyed as
   * check's): related locations in it carry that key.
   */
  checkSet(text: string, settings: Settings, key: string): Finding[];
  /**
   * What the caller reports on a file beside its own check (the set rules over the caller's files,
   * another overlay's rendered findings), in the file's offsets: not reported again.
   */
  reported?(path: string): readonly Finding[];
  /** The file model of a text (the engine's open). */
  open(text: string, key: string): FileModel | undefined;
  /** The settings that govern a file, as its own check uses them (undefined: the file is ignored). */
  settingsFor(path: string): Settings | undefined;
  /** A file's current text (an open document's, else the disk's). */
  textOf(path: string): string | undefined;
}

/** The engine's side of a rendered check: its check, set check and models. */
export interface RenderingEngine {
  check(text: string, settings: Settings, key?: string): Finding[];
  checkSet(members: readonly { key: string; text: string; settings: Settings }[]): Map<string, Finding[]>;
  open(text: string, key?: string): FileModel | undefined;
}

/** A RenderedCheckContext on the engine, with the caller's settings, texts and what it reports. */
export function renderedContext(
  engine: RenderingEngine,
  caller: Pick<RenderedCheckContext, 'settingsFor' | 'textOf' | 'reported'>,
): RenderedCheckContext {
  return {
    check: (text, settings, key) => engine.check(text, settings, key),
    checkSet: (text, settings, key) => engine.checkSet([{ key, text, settings }]).get(key) ?? [],
    open: (text, key) => engine.open(text, key),
    ...caller,
  };
}

/**
 * Findings carried to source files, by absolute path, in each file's offsets. A related location's
 * key is the absolute path of the file it is in.
 */
export type FileFindings = Map<string, Finding[]>;

/** A path through a rendered object, list items named by their `name` where they have one. */
type Step = string | number | { name: string };

/**
 * The findings of a rendered overlay, each on the source file and line that wrote its value, else
 * on the overlay's entry (or generator) that brought its object in: the pod, object and file rules
 * over each rendered document, and the set rules over the rendered output as one set, their
 * related locations carried to the source files too. None that the rule already reports on one of
 * the files that write the value (its own check, or what the caller reports there: the set rules
 * over the caller's files), or that a comment there silences. A render that failed is one error on
 * the kustomization, unless the kustomization rule already says why it cannot build (a missing
 * file, an unknown field).
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
  // the overlay's rendered output is one set: a Service and its pods, a pod and its ConfigMaps as
  // the cluster gets them (names prefixed, namespaces set, patches applied)
  const rendered = ctx.check(outcome.text, whole, key);
  const fromSet = new Set(ctx.checkSet(outcome.text, whole, key));
  rendered.push(...fromSet);
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
  const parsed = new Map<string, FileModel | undefined>();
  const modelOf = (path: string): FileModel | undefined => {
    if (!parsed.has(path)) {
      const text = ctx.textOf(path);
      parsed.set(path, text !== undefined ? ctx.open(text, path) : undefined);
    }
    return parsed.get(path);
  };
  const lines = new Map<string, (offset: number) => number>();
  const lineIn = (path: string, offset: number): number => {
    let at = lines.get(path);
    if (!at) {
      const positions = positionsOf(ctx.textOf(path) ?? '');
      at = (o) => positions(o).line;
      lines.set(path, at);
    }
    return at(offset);
  };
  /**
   * Whether a finding of `rule` at `place` is said already (the file's own check, or what the
   * caller reports on it: the set rules over its files, another overlay) or silenced there by a
   * comment (the rendered text has no comments).
   */
  const said = (place: Place, rule: string): boolean => {
    const line = lineIn(place.path, place.range.start);
    const same = (o: Finding): boolean => o.rule === rule && lineIn(place.path, o.range.start) === line;
    if (ownOf(place.path).some(same) || (ctx.reported?.(place.path) ?? []).some(same)) return true;
    const model = modelOf(place.path);
    const doc = model && [...model.documents].reverse().find((d) => d.offset <= place.range.start);
    if (!doc) return false;
    const range = { start: place.range.start - doc.offset, end: place.range.end - doc.offset };
    return isSuppressed(findSuppressions(doc.model.text), doc.model.text, rule, range);
  };

  const docs = new Map<number, RenderedObject | null>();
  /** The rendered object at an offset of the rendered text, read once per document. */
  const objectAt = (offset: number): RenderedObject | undefined => {
    const doc = [...file.documents].reverse().find((d) => d.offset <= offset);
    if (!doc) return undefined;
    let known = docs.get(doc.offset);
    if (known === undefined) {
      const root = doc.model.yaml.contents;
      known = isMap(root)
        ? {
            offset: doc.offset,
            root,
            kind: scalarAt(root, ['kind']),
            name: scalarAt(root, ['metadata', 'name']),
            origin: originOf(root, outcome.base),
          }
        : null;
      docs.set(doc.offset, known);
    }
    return known ?? undefined;
  };
  /** The files that write the value at a rendered offset, where: the last writer first. */
  const writers = (offset: number): Place[] => {
    const at = objectAt(offset);
    if (!at || at.kind === undefined) return [];
    const cursor = locate(at.root, offset - at.offset);
    const steps = cursor ? namedSteps(at.root, cursor.path) : undefined;
    if (!cursor || !steps) return [];
    const value = cursor.on === 'value' && cursor.node && isScalar(cursor.node) ? cursor.node.value : undefined;
    const origin = at.origin !== undefined ? [at.origin] : [];
    // patches of the overlay, then of its bases, then the object's own file; but the object's name
    // is its own file's to write (a patch names the object only to say which one it patches)
    const order = isObjectName(cursor.path) ? [...origin, ...node.patches] : [...node.patches, ...origin];
    const out: Place[] = [];
    for (const path of order) {
      const model = modelOf(path);
      const range = model && findIn(model, at.kind, at.name, steps, cursor.on, value);
      if (range) out.push({ path, range });
    }
    return out;
  };
  /** Where an object no file writes the value of comes from: its generator, else the entry that brought it in. */
  const entryOf = (at: RenderedObject): Place => {
    const generator = generatorOf(at, outcome.base, modelOf);
    if (generator) return generator;
    const origin = at.origin;
    const entry =
      (origin !== undefined && node.entries.find((e) => origin === e.target || origin.startsWith(e.target + '/'))) ||
      undefined;
    return { path: kustomizationFile, range: entry ? entry.range : firstLine(kustomizationText) };
  };
  /** A rendered finding's related locations (in the rendered text) as places in the source files. */
  const relatedOf = (f: Finding): RelatedLocation[] =>
    (f.related ?? []).flatMap((r) => {
      // the set check's member is the rendered text; a pod rule's related is in its own text
      if (r.key !== undefined && r.key !== key) return [];
      const at = objectAt(r.range.start);
      const place = writers(r.range.start)[0] ?? (at ? entryOf(at) : undefined);
      return place ? [{ key: place.path, range: place.range, message: r.message }] : [];
    });

  const isPatch = (path: string | undefined): boolean => path !== undefined && node.patches.includes(path);
  const seen = new Set<string>();
  for (const f of rendered) {
    const at = objectAt(f.range.start);
    if (!at) continue;
    const written = writers(f.range.start);
    // one of the files that write the value says it already: the same cause
    if (written.some((p) => said(p, f.rule))) continue;
    let related = relatedOf(f);
    let landed = written[0];
    let finding: Finding;
    // a clash inside a pod whose other side (a port, a name) is written in a patch: the patch is the
    // cause, and the place of the value itself is its related information. Not so for a set rule's
    // finding: its related locations are the other object (the pods a Service selects, the keys of a
    // ConfigMap), which a patch may touch for another reason, and its value is what it is about.
    const other = landed && !fromSet.has(f) && !isPatch(landed.path) ? related.find((r) => isPatch(r.key)) : undefined;
    if (landed && other) {
      const patchedIn = `${relative(dirname(kustomizationFile), landed.path)}:${lineIn(landed.path, landed.range.start) + 1}`;
      related = [
        ...related.filter((r) => r !== other),
        { key: landed.path, range: landed.range, message: 'the other side, as written' },
      ];
      landed = { path: other.key!, range: other.range };
      finding = {
        ...withoutExtras(f),
        message: `${f.message} (rendered: reported at ${patchedIn}, where the other side is written; this patch brings the clash)`,
        range: landed.range,
      };
    } else if (landed && fromSet.has(f)) {
      // the line is right for this overlay only (its names, its patches): say which
      const overlay = relative(dirname(landed.path), dirname(kustomizationFile)) || '.';
      finding = {
        ...withoutExtras(f),
        message: `${f.message} (rendered with the overlay ${overlay})`,
        range: landed.range,
      };
    } else if (landed) {
      finding = { ...withoutExtras(f), range: landed.range };
    } else {
      landed = entryOf(at);
      const where = at.origin !== undefined ? `, from ${relative(dirname(kustomizationFile), at.origin)}` : '';
      finding = {
        ...withoutExtras(f),
        message: `${f.message} (in the rendered ${at.kind ?? 'object'}${at.name !== undefined ? ` ${at.name}` : ''}${where})`,
        range: landed.range,
      };
    }
    const place = landed;
    // a related location at the finding's own place says nothing more
    related = related.filter(
      (r) => r.key !== place.path || r.range.start !== place.range.start || r.range.end !== place.range.end,
    );
    if (related.length > 0) finding.related = related;
    if (said(place, f.rule)) continue;
    const id = `${place.path}\0${f.rule}\0${lineIn(place.path, place.range.start)}\0${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    add(place.path, finding);
  }
  for (const list of out.values()) list.sort((a, b) => a.range.start - b.range.start);
  return out;
}

/** A place in a source file: its absolute path, and a range in that file's offsets. */
interface Place {
  path: string;
  range: Range;
}

/** What the mapping reads of one rendered document. */
interface RenderedObject {
  /** The document's offset in the rendered text. */
  offset: number;
  root: YAMLMap;
  kind: string | undefined;
  name: string | undefined;
  origin: string | undefined;
}

/** Whether a path is the object's own `metadata.name`. */
function isObjectName(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'metadata' && path[1] === 'name';
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

/**
 * Where a generated ConfigMap or Secret is written: the name of its configMapGenerator or
 * secretGenerator entry in the kustomization kustomize's origin annotation names (`configuredIn`,
 * `configuredBy.kind`). The rendered name holds the entry's, with a prefix, a suffix and the hash.
 */
function generatorOf(
  at: RenderedObject,
  base: string,
  modelOf: (path: string) => FileModel | undefined,
): Place | undefined {
  const text = scalarAt(at.root, ['metadata', 'annotations', ORIGIN_ANNOTATION]);
  const rendered = at.name;
  if (text === undefined || rendered === undefined) return undefined;
  const origin = parseRoot(text);
  if (!isMap(origin) || origin.get('repo') !== undefined) return undefined;
  const configuredIn = origin.get('configuredIn');
  const by = origin.get('configuredBy');
  const kind = isMap(by) ? by.get('kind') : undefined;
  const field =
    kind === 'ConfigMapGenerator' ? 'configMapGenerator' : kind === 'SecretGenerator' ? 'secretGenerator' : '';
  if (typeof configuredIn !== 'string' || field === '') return undefined;
  const path = resolve(base, configuredIn);
  for (const doc of modelOf(path)?.documents ?? []) {
    const root = doc.model.yaml.contents;
    const list = isMap(root) ? root.get(field, true) : undefined;
    if (!isSeq(list)) continue;
    // the longest entry name the rendered name holds (`cfg-extra-7h2k` is cfg-extra's, not cfg's)
    let best: { value: string; range: Range } | undefined;
    for (const item of list.items) {
      const name = isMap(item) ? item.get('name', true) : undefined;
      if (!isScalar(name) || typeof name.value !== 'string' || !rendered.includes(name.value)) continue;
      if (!best || name.value.length > best.value.length) best = { value: name.value, range: nodeRange(name) };
    }
    if (best) return { path, range: { start: best.range.start + doc.offset, end: best.range.end + doc.offset } };
  }
  return undefined;
}

/** Fields that name another object, which kustomize rewrites (namePrefix, nameSuffix, a generator's hash). */
const REFERENCE_FIELDS = new Set(['name', 'secretName', 'claimName', 'serviceAccountName', 'serviceAccount']);

/** Whether a value written in a source file is the rendered one: the same, or a name kustomize rewrote. */
function sameValue(written: unknown, rendered: unknown, steps: readonly Step[]): boolean {
  if (written === rendered) return true;
  const last = steps[steps.length - 1];
  return (
    typeof written === 'string' &&
    written !== '' &&
    typeof rendered === 'string' &&
    typeof last === 'string' &&
    REFERENCE_FIELDS.has(last) &&
    rendered.includes(written)
  );
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
 * rendered one (a namePrefix or nameSuffix added by an overlay), and so does a reference's name.
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
    if (!isScalar(node) || !sameValue(node.value, value, steps)) continue;
    const r = nodeRange(node);
    return { start: r.start + doc.offset, end: r.end + doc.offset };
  }
  return undefined;
}

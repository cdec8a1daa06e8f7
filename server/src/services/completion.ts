// Context-aware completion in pod-bearing documents: sidecars as list items (with the volume they
// share added to the pod and mounted in the app), schema keys and values, the pod's volume and port
// names, and the labels and annotations of sidecar injectors.
import { isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Position,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  SIDECAR_SNIPPETS,
  INJECTION_SNIPPETS,
  mountLines,
  sidecarItem,
  volumeLines,
  type SharedVolume,
  type SidecarForm,
  type SidecarSnippet,
} from '../../../snippets/catalogue';
import { SPEC_PATHS } from '../model/pod-builder';
import { INJECTOR_KEYS, INJECTORS, knownSidecar } from '../model/sidecars';
import { topLevelPodKind } from '../model/kind-lines';
import {
  type ContainerModel,
  type FileModel,
  type PlacedDocument,
  type PodModel,
  type SchemaView,
} from '../model/types';
import { getPair, nodeRange } from '../model/yaml-nodes';
import { describeIn, fieldsIn, type SchemaField } from '../schema/validate';
import { runsToCompletion } from '../model/kinds';
import { cursorContext, type CursorContext, type PathSegment } from './completion-context';

/**
 * Completions at `position`. `triggerCharacter` is set when typing a space asked for them: then
 * only the places where a space ends a token (`- `, `key: `) answer, not every indentation.
 */
export function completions(
  file: FileModel,
  document: TextDocument,
  position: Position,
  triggerCharacter?: string,
): CompletionItem[] {
  if (file.template) return [];
  const offset = document.offsetAt(position);
  const placed = documentAt(file, offset);
  if (!placed?.model.isPodDocument) return [];
  const { model } = placed;
  const local = offset - placed.offset;
  const ctx = cursorContext(model.text, local);
  if (!ctx) return [];
  // a custom resource may hold several pods (an Argo Workflow's templates): the one under the cursor
  const pod =
    model.pods.find((p) => p.specPath.length > 0 && samePath(ctx.path.slice(0, p.specPath.length), p.specPath)) ??
    model.pods[0];
  // a List's items are pods deeper in the document; completion serves documents of one object
  if (pod && pod.objectPath.length > 0) return [];
  // broken YAML has no pods: its top-level kind line still says what it is
  const builtIn = pod ? undefined : topLevelPodKind(model.text);
  const view: SchemaView | undefined =
    pod?.schema ?? (builtIn && { kind: builtIn, objectPrefix: [], schemaPrefix: [] });
  if (!view) return [];
  const completes = runsToCompletion(pod ?? { kind: builtIn! });
  if (ctx.kind === 'key' && ctx.firstUnderParent && describeIn(view, ctx.path)?.type?.startsWith('[]')) {
    // right under an empty `containers:`: the text cannot tell a list from a map, the schema can
    ctx.kind = 'item';
  }
  if (triggerCharacter === ' ' && !(ctx.prefix === '' && (ctx.kind === 'value' || ctx.dashColumn !== undefined))) {
    return [];
  }
  const at = new Site(document, placed.offset, model.text, ctx, local);
  const items: CompletionItem[] = [];
  const specPath = pod ? pod.specPath.map(String) : SPEC_PATHS[builtIn!];
  const metadataPath = [...specPath.slice(0, -1), 'metadata'];

  const list = listUnderCursor(ctx, specPath);
  if (list) items.push(...sidecarCompletions(at, list, completes, pod));
  if (ctx.kind === 'key') {
    items.push(...keyCompletions(at, view));
    const field = metadataField(ctx.path, metadataPath);
    if (field) items.push(...injectorKeyCompletions(at, field));
  } else if (ctx.kind === 'value') {
    items.push(...valueCompletions(at, view, specPath, metadataPath, pod));
  }
  return items;
}

/** The document holding `offset` (the last one starting at or before it). */
function documentAt(file: FileModel, offset: number): PlacedDocument | undefined {
  let found: PlacedDocument | undefined;
  for (const doc of file.documents) {
    if (doc.offset > offset) break;
    found = doc;
  }
  return found;
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** containers or initContainers of the pod spec, when the cursor is at a new item of it. */
function listUnderCursor(ctx: CursorContext, specPath: readonly string[]): 'containers' | 'initContainers' | undefined {
  const listPath =
    ctx.dashColumn !== undefined && ctx.kind === 'key'
      ? ctx.path.slice(0, -1)
      : ctx.kind === 'item'
        ? ctx.path
        : undefined;
  if (!listPath || listPath.length !== specPath.length + 1 || !samePath(listPath.slice(0, -1), specPath))
    return undefined;
  const list = listPath[listPath.length - 1];
  return list === 'containers' || list === 'initContainers' ? list : undefined;
}

function metadataField(
  path: readonly PathSegment[],
  metadataPath: readonly string[],
): 'labels' | 'annotations' | undefined {
  if (path.length !== metadataPath.length + 1 || !samePath(path.slice(0, -1), metadataPath)) return undefined;
  const field = path[path.length - 1];
  return field === 'labels' || field === 'annotations' ? field : undefined;
}

// ---------------------------------------------------------------------------------------------

/** Where the completion happens, and turning the document's offsets into the file's positions. */
class Site {
  constructor(
    readonly document: TextDocument,
    private readonly base: number,
    /** The text of the document under the cursor. */
    readonly text: string,
    readonly ctx: CursorContext,
    /** The cursor, in the document's text. */
    readonly cursor: number,
  ) {}

  edit(start: number, end: number, newText: string): TextEdit {
    return {
      range: { start: this.document.positionAt(this.base + start), end: this.document.positionAt(this.base + end) },
      newText,
    };
  }

  /** The edit replacing what has been typed of the word being completed. */
  replace(newText: string): TextEdit {
    return this.edit(this.ctx.start, this.cursor, newText);
  }

  /** What the replaced range holds, for filterText: editors filter by it. */
  get typed(): string {
    return this.text.slice(this.ctx.start, this.cursor);
  }

  /** End of the cursor's line (before a line break). */
  get lineEnd(): number {
    const nl = this.text.indexOf('\n', this.cursor);
    const end = nl === -1 ? this.text.length : nl;
    return this.text[end - 1] === '\r' ? end - 1 : end;
  }
}

function snippetItem(at: Site, label: string, newText: string, extra: Partial<CompletionItem>): CompletionItem {
  return {
    label,
    textEdit: at.replace(newText),
    insertTextFormat: InsertTextFormat.Snippet,
    // the text carries its own indentation: editors must not add the cursor line's again
    insertTextMode: InsertTextMode.asIs,
    ...extra,
  };
}

function markdown(value: string): CompletionItem['documentation'] {
  return { kind: MarkupKind.Markdown, value };
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

// ---------------------------------------------------------------------------------------------
// Sidecars

function sidecarCompletions(
  at: Site,
  list: 'containers' | 'initContainers',
  completes: boolean,
  pod: PodModel | undefined,
): CompletionItem[] {
  // A Job's pods end when their regular containers exit: a classic sidecar would keep it running.
  if (list === 'containers' && completes) return [];
  const form: SidecarForm = list === 'initContainers' ? 'native' : 'classic';
  const { ctx } = at;
  const dashColumn = ctx.dashColumn ?? ctx.column;
  const keepDash = ctx.dashColumn !== undefined && !ctx.bareDash;
  const indent = ' '.repeat(dashColumn);
  return SIDECAR_SNIPPETS.map((snippet) => {
    const plan = planVolumes(at, snippet, pod, dashColumn);
    const lines = sidecarItem(snippet, form, plan.names);
    if (keepDash) lines[0] = lines[0]!.slice(2);
    let newText = lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
    if (plan.folded) newText += escapeSnippet(plan.folded);
    const changes = plan.edits.map((e) => at.edit(e.offset, e.end ?? e.offset, e.text));
    return snippetItem(at, snippet.title, newText, {
      kind: CompletionItemKind.Snippet,
      labelDetails: { description: form === 'native' ? 'native sidecar' : 'sidecar' },
      detail: form === 'native' ? 'native sidecar (restartPolicy: Always)' : 'sidecar container',
      documentation: markdown(sidecarDocs(snippet, form, plan)),
      filterText: `${at.typed.startsWith('-') && !keepDash ? '- ' : ''}${snippet.id} ${snippet.title} sidecar`,
      sortText: `1 ${snippet.title}`,
      ...(changes.length > 0 ? { additionalTextEdits: changes } : {}),
    });
  });
}

function sidecarDocs(snippet: SidecarSnippet, form: SidecarForm, plan: VolumePlan): string {
  const words = [`**${snippet.title}**: ${snippet.summary}.`];
  words.push(
    form === 'native'
      ? 'A native sidecar: it starts before the app containers, runs beside them and stops after them (Kubernetes 1.29+).'
      : 'A classic sidecar in `containers`: it starts beside the app in no set order. The native form in `initContainers` (Kubernetes 1.29+) starts first and stops last.',
  );
  if (plan.notes.length > 0) words.push(plan.notes.map((n) => `- ${n}`).join('\n'));
  return words.join('\n\n');
}

interface VolumePlan {
  /** Catalogue volume name -> the name used in this pod. */
  names: Map<string, string>;
  edits: Insertion[];
  /** Text that must follow the inserted item itself (a new `volumes:` at the end of the spec right under it). */
  folded?: string;
  /** What the edits do, for the documentation. */
  notes: string[];
}

/**
 * How the pod gets the volumes a sidecar shares: reuse a volume the app already mounts at the
 * same path (or one of the same name and source), otherwise add it to `spec.volumes`; then mount
 * it in every app container that lacks it.
 */
function planVolumes(at: Site, snippet: SidecarSnippet, pod: PodModel | undefined, dashColumn: number): VolumePlan {
  const plan: VolumePlan = { names: new Map(), edits: [], notes: [] };
  if (snippet.volumes.length === 0) return plan;
  const spec = pod?.spec;
  if (!pod || !spec || spec.flow) {
    plan.notes.push(`Add the volume${snippet.volumes.length > 1 ? 's' : ''} it mounts to \`spec.volumes\`.`);
    return plan;
  }
  const apps = pod.containers.filter((c) => c.role === 'regular' && !knownSidecar(c) && !c.node.flow);
  const taken = new Set(pod.volumes.map((v) => v.name?.value).filter((n): n is string => n !== undefined));
  const newVolumes: string[][] = [];
  const added: string[] = [];
  const mounts = new Map<ContainerModel, string[][]>();
  for (const volume of snippet.volumes) {
    const source = sourceKey(volume);
    let name = volume.name;
    let exists = false;
    const reused = volume.app && reusableMount(pod, apps, volume.app.mountPath, source);
    if (reused) {
      name = reused;
      exists = true;
      plan.notes.push(`Shares the app's ${source} volume \`${name}\` (mounted at ${volume.app!.mountPath}).`);
    } else {
      const same = pod.volumes.find((v) => v.name?.value === volume.name);
      if (same && same.source === source) {
        exists = true;
        plan.notes.push(`Uses the pod's volume \`${name}\`.`);
      } else if (same) {
        for (let i = 2; taken.has(name); i++) name = `${volume.name}-${i}`;
      }
    }
    plan.names.set(volume.name, name);
    taken.add(name);
    if (!exists) {
      newVolumes.push(volumeLines(volume, name));
      added.push(`Adds the ${source} volume \`${name}\` to \`spec.volumes\`.`);
    }
    if (!volume.app) continue;
    for (const app of apps) {
      if (app.mounts.some((m) => m.name?.value === name)) continue;
      const list = mounts.get(app) ?? [];
      list.push(mountLines(name, volume.app));
      mounts.set(app, list);
      plan.notes.push(`Mounts \`${name}\` at ${volume.app.mountPath} in \`${app.name?.value ?? 'the app'}\`.`);
    }
  }
  // a list's items sit this far right of its key, as in the list being edited
  const step = Math.max(0, dashColumn - columnOf(at.text, nodeRange(spec).start));
  for (const [app, items] of mounts) {
    const edit = appendItems(at.text, app.node, 'volumeMounts', items, step);
    if (edit) plan.edits.push(edit);
    else
      plan.notes.push(`Mount it in \`${app.name?.value ?? 'the app'}\` by hand: its volumeMounts is not a block list.`);
  }
  if (newVolumes.length > 0) {
    const edit = appendItems(at.text, spec, 'volumes', newVolumes, step);
    // A new `volumes:` at the end of the spec would land before the item being inserted when that
    // item ends the spec: then it follows the item in the item's own text.
    const unplaced = `Add ${newVolumes.map((v) => `\`${v[0]!.slice('- name: '.length)}\``).join(' and ')} to \`spec.volumes\`:`;
    if (edit && edit.created && edit.offset <= at.lineEnd) {
      if (at.text.slice(at.cursor, at.lineEnd).trim() === '') {
        plan.folded = edit.text;
        plan.notes.push(...added);
      } else {
        plan.notes.push(`${unplaced} the text after the cursor leaves no place for it.`);
      }
    } else if (edit) {
      plan.edits.push(edit);
      plan.notes.push(...added);
    } else {
      plan.notes.push(`${unplaced} it is not a block list.`);
    }
  }
  // several insertions at one place (the app's last line ends the spec): one edit, mounts first
  plan.edits = mergeAtSameOffset(plan.edits);
  return plan;
}

function sourceKey(volume: SharedVolume): 'emptyDir' | 'configMap' {
  return 'emptyDir' in volume.source ? 'emptyDir' : 'configMap';
}

/** The volume an app container already mounts at `mountPath`, when its source is `source`. */
function reusableMount(pod: PodModel, apps: ContainerModel[], mountPath: string, source: string): string | undefined {
  for (const app of apps) {
    for (const mount of app.mounts) {
      const name = mount.name?.value;
      if (mount.list !== 'volumeMounts' || mount.path?.value !== mountPath || !name) continue;
      if (pod.volumes.some((v) => v.name?.value === name && v.source === source)) return name;
    }
  }
  return undefined;
}

function mergeAtSameOffset(edits: Insertion[]): Insertion[] {
  const merged: Insertion[] = [];
  for (const e of edits) {
    const same = merged.find((m) => m.offset === e.offset && m.end === undefined && e.end === undefined);
    if (same) same.text += e.text;
    else merged.push({ ...e });
  }
  return merged;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Leading white space of the line holding `offset`: the column of a list item's dash. */
function lineIndent(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0].length;
}

/** End of the last line with content of a node (before its line break). */
function lastLineEnd(text: string, node: Node): number {
  let end = nodeRange(node).end;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl === -1 ? text.length : nl;
  return text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}

/**
 * An insertion adding `items` (lines relative to their dash) to the list `key` of `map`: after
 * the list's last item, under an empty `key:`, or as a new key at the end of the map. Undefined
 * when the key holds something else (a flow list with items, a scalar).
 */
interface Insertion {
  offset: number;
  /** Replaces up to here (`[]` turned into a block list); inserts when unset. */
  end?: number;
  text: string;
  /** The key itself is new. */
  created: boolean;
}

function appendItems(text: string, map: YAMLMap, key: string, items: string[][], step: number): Insertion | undefined {
  const keyColumn = columnOf(text, nodeRange(map).start);
  const lines = (column: number): string =>
    items.flatMap((item) => item.map((l) => `\n${' '.repeat(column)}${l}`)).join('');
  const pair = getPair(map, key);
  const value = pair?.value as Node | null | undefined;
  if (!pair) {
    return {
      offset: lastLineEnd(text, map),
      text: `\n${' '.repeat(keyColumn)}${key}:${lines(keyColumn + step)}`,
      created: true,
    };
  }
  if (value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''))) {
    return { offset: lastLineEnd(text, pair.key as Node), text: lines(keyColumn + step), created: false };
  }
  if (isSeq(value) && value.flow && value.items.length === 0) {
    // `key: []` becomes a block list: the brackets go, the items follow on their own lines
    const r = nodeRange(value);
    return { offset: text.lastIndexOf(':', r.start) + 1, end: r.end, text: lines(keyColumn + step), created: false };
  }
  if (isSeq(value) && !value.flow && value.items.length > 0) {
    const first = value.items[0] as Node;
    return { offset: lastLineEnd(text, value), text: lines(lineIndent(text, nodeRange(first).start)), created: false };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Keys and values from the schema

function keyCompletions(at: Site, view: SchemaView): CompletionItem[] {
  const { ctx } = at;
  const fields = fieldsIn(view, ctx.path);
  if (!fields) return [];
  const atRoot = ctx.path.length === 0;
  return fields
    .filter((f) => !ctx.siblings.has(f.name) && !(atRoot && f.name === 'status'))
    .map((f) => {
      const item = snippetItem(at, f.name, keyText(f, ctx.column), {
        kind: CompletionItemKind.Property,
        sortText: `${f.required ? 0 : 2} ${f.name}`,
        filterText: f.name,
      });
      if (f.type) item.detail = f.required ? `${f.type} (required)` : f.type;
      if (f.description) item.documentation = markdown(f.description);
      if (f.description && /^deprecated/i.test(f.description)) item.tags = [CompletionItemTag.Deprecated];
      return item;
    });
}

/** `key: ` for a scalar, the key and an indented line (and dash) for a map or a list. */
function keyText(field: SchemaField, column: number): string {
  const inner = ' '.repeat(column + 2);
  if (field.shape === 'object') return `${field.name}:\n${inner}$0`;
  if (field.shape === 'array') return `${field.name}:\n${inner}- $0`;
  if (field.enum && field.enum.length > 0) {
    const choices = field.enum.filter((v) => v !== '').map((v) => v.replace(/[,|\\$}]/g, (c) => `\\${c}`));
    return `${field.name}: \${1|${choices.join(',')}|}`;
  }
  return `${field.name}: $0`;
}

function valueCompletions(
  at: Site,
  view: SchemaView,
  specPath: readonly string[],
  metadataPath: readonly string[],
  pod: PodModel | undefined,
): CompletionItem[] {
  const { ctx } = at;
  const key = ctx.key!;
  const path = ctx.path;
  const value = (label: string, extra: Partial<CompletionItem>): CompletionItem => ({
    label,
    kind: CompletionItemKind.Value,
    textEdit: at.replace(label),
    filterText: label,
    ...extra,
  });

  // a mount's volume: the pod's volumes
  const parent = path[path.length - 2];
  if (key === 'name' && (parent === 'volumeMounts' || parent === 'volumeDevices') && pod) {
    const container = containerAt(pod, path, specPath);
    return pod.volumes
      .filter((v) => v.name)
      .map((v) => {
        const mountedHere = container?.mounts.some((m) => m.name?.value === v.name!.value) ?? false;
        const users = pod.containers.filter((c) => c.mounts.some((m) => m.name?.value === v.name!.value));
        return value(v.name!.value, {
          kind: CompletionItemKind.Reference,
          detail: v.source ? `${v.source} volume` : 'volume',
          documentation: markdown(
            users.length > 0
              ? `Mounted by ${users.map((c) => `\`${c.name?.value ?? '?'}\` at ${c.mounts.find((m) => m.name?.value === v.name!.value)?.path?.value ?? '?'}`).join(', ')}.`
              : 'Not mounted by any container yet.',
          ),
          // volumes this container does not mount yet come first
          sortText: `${mountedHere ? 1 : 0} ${v.name!.value}`,
        });
      });
  }

  // a probe's or hook's port: the container's named ports
  const last = path[path.length - 1];
  if (key === 'port' && (last === 'httpGet' || last === 'tcpSocket') && pod) {
    const container = containerAt(pod, path, specPath);
    if (!container) return [];
    return container.ports
      .filter((p) => p.name)
      .map((p) =>
        value(p.name!.value, {
          kind: CompletionItemKind.Reference,
          detail: p.containerPort ? `port ${p.containerPort.value}/${p.protocol}` : 'port',
        }),
      );
  }

  // an injector's label or annotation
  const field = metadataField(path, metadataPath);
  if (field) {
    const known = INJECTOR_KEYS.find((k) => k.field === field && k.key === key);
    return (known?.values ?? []).map((v, i) =>
      value(v, { detail: INJECTORS[known!.injector].title, sortText: String(i).padStart(2, '0') }),
    );
  }

  const description = describeIn(view, [...path, key]);
  if (!description) return [];
  const values = description.enum ?? (description.type === 'boolean' ? ['true', 'false'] : []);
  return values
    .filter((v) => v !== '')
    .map((v) => value(v, description.description ? { documentation: markdown(description.description) } : {}));
}

/** The container whose item the path runs through (`spec.containers[1]...`). */
function containerAt(
  pod: PodModel,
  path: readonly PathSegment[],
  specPath: readonly string[],
): ContainerModel | undefined {
  if (!samePath(path.slice(0, specPath.length), specPath)) return undefined;
  return pod.containers.find((c) => c.path.length <= path.length && c.path.every((seg, i) => seg === path[i]));
}

// ---------------------------------------------------------------------------------------------
// Injectors

function injectorKeyCompletions(at: Site, field: 'labels' | 'annotations'): CompletionItem[] {
  const { ctx } = at;
  const items: CompletionItem[] = [];
  for (const k of INJECTOR_KEYS) {
    if (k.field !== field || ctx.siblings.has(k.key)) continue;
    const injector = INJECTORS[k.injector];
    const text = k.key.endsWith('-')
      ? `${k.key}\${1:name}: $2`
      : k.values
        ? `${k.key}: \${1|${k.values.join(',')}|}`
        : `${k.key}: $1`;
    items.push(
      snippetItem(at, k.key, text, {
        kind: CompletionItemKind.Property,
        detail: injector.title,
        documentation: markdown(`${k.description}\n\n[${injector.title} documentation](${injector.docs})`),
        filterText: k.key,
        sortText: `1 ${k.key}`,
      }),
    );
  }
  for (const s of INJECTION_SNIPPETS) {
    const trigger = s.entries[0]!.slice(0, s.entries[0]!.indexOf(':'));
    if (s.field !== field || ctx.siblings.has(trigger)) continue;
    const text = s.entries.join(`\n${' '.repeat(ctx.column)}`);
    items.push(
      snippetItem(at, s.title, text, {
        kind: CompletionItemKind.Snippet,
        detail: `${INJECTORS[s.injector].title}: ${s.entries.length === 1 ? 'one key' : `${s.entries.length} keys`}`,
        documentation: markdown(
          `${s.summary}.\n\n[${INJECTORS[s.injector].title} documentation](${INJECTORS[s.injector].docs})`,
        ),
        filterText: `${trigger} ${s.title}`,
        sortText: `0 ${s.title}`,
      }),
    );
  }
  return items;
}

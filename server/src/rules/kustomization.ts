// A kustomization as kustomize reads it (kubernetes-sigs/kustomize api/types/kustomization.go): its
// decoder disallows unknown fields, a path it names must exist, and some fields are deprecated
// (CheckDeprecatedFields prints a warning for each; kustomize 5 also for commonLabels). The
// deprecated ones get a quick fix that does what `kustomize edit fix` does, checked by parsing the
// result: a fix is offered only when the edited file reads as the same kustomization.
import { dirname, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { FileRule, Fix, TextEditSpec } from '../engine/types';
import { applyEdits, columnOf, eolOf, lineStart, removePair } from '../fixes/edits';
import { pairBlock, reindent, seqItemBlock } from '../fixes/yaml-text';
import { nodeRange } from '../model/yaml-nodes';
import type { Range } from '../model/types';
import {
  filesReadable,
  isRemoteRef,
  kustomizationIn,
  kustomizationRefs,
  pathKind,
} from '../workspace/kustomization-refs';

/** The fields of kustomize's Kustomization type (json tags of api/types/kustomization.go). */
export const KUSTOMIZATION_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'inventory',
  'buildMetadata',
]);

/** The fields of an item of `patches` (and `patchesJson6902`): api/types/patch.go. */
const PATCH_FIELDS: ReadonlySet<string> = new Set(['path', 'patch', 'target', 'options']);

interface Deprecation {
  /** The field that replaces it. */
  use: string;
  /** What kustomize's warning adds. */
  note?: string;
  /** The replacement's items for the deprecated field's value, as `kustomize edit fix` makes them. */
  convert?: (value: unknown) => unknown[] | undefined;
}

/** kustomize's deprecation warnings (kustomization.go deprecated*Message, and commonLabels in v5). */
const DEPRECATED: Readonly<Record<string, Deprecation>> = {
  bases: { use: 'resources', convert: asList },
  imageTags: { use: 'images', convert: asList },
  patchesJson6902: { use: 'patches', convert: asList },
  patchesStrategicMerge: {
    use: 'patches',
    // a path becomes {path}; inline patch text is left to the user (kustomize tells the two apart by reading the disk)
    convert: (v) => {
      const list = asList(v);
      return list?.every((p) => typeof p === 'string' && !p.includes('\n'))
        ? list.map((path) => ({ path }))
        : undefined;
    },
  },
  commonLabels: {
    use: 'labels',
    note: 'commonLabels also sets selectors, so the fix keeps includeSelectors: true',
    convert: (v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? [{ pairs: v, includeSelectors: true }] : undefined,
  },
  vars: { use: 'replacements', note: 'a var has no mechanical replacement; see kustomize replacements' },
};

function asList(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

export const kustomization: FileRule = {
  meta: {
    id: 'kustomization',
    description:
      'A kustomization with a field kustomize rejects, a file or folder it names that does not exist, a deprecated field (info, with a fix to patches, resources, labels or images), or (when rendered) an overlay that fails to build.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/',
  },
  scope: 'file',
  check(file, ctx) {
    const path = ctx.settings.kustomization;
    const doc = file.documents[0];
    if (path === undefined || !doc || file.template) return;
    const root = doc.model.yaml.contents;
    if (!isMap(root)) return;
    const kindNode = root.get('kind', true);
    const kind: unknown = isScalar(kindNode) ? kindNode.value : undefined;
    // kustomize reads a kustomization of either kind, or of none written
    if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') return;
    const at = (r: Range): Range => ({ start: r.start + doc.offset, end: r.end + doc.offset });
    const text = doc.model.text;

    for (const item of root.items) {
      if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
      const key = String(item.key.value);
      if (!KUSTOMIZATION_FIELDS.has(key)) {
        ctx.report({
          message: `kustomize does not know the field "${key}" and refuses to build this kustomization (it reads them with unknown fields disallowed).`,
          range: at(nodeRange(item.key)),
        });
        continue;
      }
      const deprecated = DEPRECATED[key];
      if (deprecated) {
        const fix = deprecationFix(text, root, item, key, deprecated);
        ctx.report({
          message: `'${key}' is deprecated: kustomize says to use '${deprecated.use}' instead${deprecated.note ? ` (${deprecated.note})` : ''}.`,
          range: at(nodeRange(item.key)),
          severity: 'info',
          ...(fix ? { fixes: () => [shiftFix(fix, doc.offset)] } : {}),
        });
      }
      if (key === 'patches' || key === 'patchesJson6902') {
        const list = item.value;
        if (!isSeq(list)) continue;
        for (const patch of list.items) {
          if (!isMap(patch)) continue;
          for (const p of patch.items) {
            if (!isPair(p) || !isScalar(p.key) || !p.key.range || PATCH_FIELDS.has(String(p.key.value))) continue;
            ctx.report({
              message: `A patch has no field "${String(p.key.value)}" (path, patch, target, options): kustomize refuses to build this kustomization.`,
              range: at(nodeRange(p.key)),
            });
          }
        }
      }
    }

    // each missing path once, however many entries name it
    const folder = dirname(path);
    const reported = new Set<string>();
    // (where no file can be looked at, in the browser, no path is said to be missing)
    for (const ref of filesReadable() ? kustomizationRefs(root) : []) {
      const target = resolve(folder, ref.path);
      const found = pathKind(target);
      if (found === undefined && isRemoteRef(ref.path)) continue;
      if (reported.has(target)) continue;
      let problem: string | undefined;
      if (found === undefined) problem = 'there is no such file or folder';
      else if (found === 'folder' && ref.kind === 'file') problem = 'it is a folder, where kustomize reads a file';
      else if (found === 'file' && ref.kind === 'folder') problem = 'it is a file, where kustomize reads a folder';
      else if (found === 'folder' && kustomizationIn(target) === undefined)
        problem = 'the folder has no kustomization.yaml, kustomization.yml or Kustomization';
      if (problem === undefined) continue;
      reported.add(target);
      ctx.report({
        message: `${ref.field.replace(/\[\]$/, '')} names "${ref.path}", but ${problem}: kustomize fails to build this kustomization.`,
        range: at(ref.range),
      });
    }
  },
};

function shiftFix(fix: Fix, offset: number): Fix {
  return {
    ...fix,
    edits: fix.edits.map((e) => ({ ...e, range: { start: e.range.start + offset, end: e.range.end + offset } })),
  };
}

/**
 * Moves a deprecated field's entries to its replacement, as text: the replacement is created in
 * the deprecated field's place, or its block list gets the entries appended. Offered only when the
 * edited text parses to exactly what kustomize's own fix makes of the kustomization.
 */
function deprecationFix(text: string, root: YAMLMap, pair: Pair, key: string, d: Deprecation): Fix | undefined {
  // toJSON expands aliases, within yaml's own limit: past it (an alias bomb) there is no fix
  let json: Record<string, unknown>;
  try {
    json = root.toJSON() as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const converted = d.convert?.(json[key]);
  if (!converted || converted.length === 0) return undefined;
  const items = itemTexts(text, pair, key);
  if (!items || items.length !== converted.length) return undefined;
  const eol = eolOf(text);
  const target = root.items.find((p): p is Pair => isPair(p) && isScalar(p.key) && p.key.value === d.use);
  const edits: TextEditSpec[] = [];
  if (!target) {
    const block = pairBlock(text, pair);
    if (!block || block.column !== 0) return undefined;
    const lines = items.map((item) => listItem(item, 2, eol)).join('');
    // the block starts with the comments above the pair: keep them, replace from the key on
    const keyStart = lineStart(text, nodeRange(pair.key as YAMLMap).start);
    edits.push({ range: { start: keyStart, end: block.end }, newText: `${d.use}:${eol}${lines}` });
  } else {
    const seq = target.value;
    if (!isSeq(seq) || seq.flow || seq.items.length === 0) return undefined;
    const last = seq.items[seq.items.length - 1] as YAMLSeq['items'][number] & { range?: [number, number, number] };
    const first = seq.items[0] as { range?: [number, number, number] };
    if (!first.range || !last.range) return undefined;
    const dash = text.lastIndexOf('-', first.range[0]);
    const column = columnOf(text, dash);
    const lastBlock = isMap(last) ? seqItemBlock(text, seq, seq.items.length - 1) : undefined;
    const after = lastBlock ? lastBlock.end : nextLine(text, last.range[1]);
    const lines = items.map((item) => listItem(item, column, eol)).join('');
    const removal = removePair(text, root, key);
    if (!removal) return undefined;
    edits.push({
      range: { start: after, end: after },
      newText: after === text.length && !text.endsWith('\n') ? eol + lines : lines,
    });
    edits.push(removal);
    if (edits[0]!.range.start > removal.range.start && edits[0]!.range.start < removal.range.end) return undefined;
  }
  let after: string;
  try {
    after = applyEdits(text, edits);
  } catch {
    return undefined;
  }
  const expected = { ...json };
  expected[d.use] = [...((expected[d.use] as unknown[] | undefined) ?? []), ...converted];
  delete expected[key];
  const parsed = parseDocument(after, { prettyErrors: false, logLevel: 'silent' });
  let reread: unknown;
  try {
    reread = parsed.toJSON();
  } catch {
    return undefined;
  }
  if (parsed.errors.length > 0 || !sameValue(reread, expected)) return undefined;
  return { title: `Move '${key}' to '${d.use}'`, edits, safe: true, preferred: true };
}

/** Offset just past the line break of the line holding `offset`. */
function nextLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset - 1));
  return nl === -1 ? text.length : nl + 1;
}

/** A list item's lines at `column` for a value written at column 0 (first line after the dash). */
function listItem(value: string, column: number, eol: string): string {
  const [first, ...rest] = value.split('\n');
  const pad = ' '.repeat(column + 2);
  return `${' '.repeat(column)}- ${first}${eol}${rest.map((l) => (l.trim() === '' ? eol : `${pad}${l}${eol}`)).join('')}`;
}

/**
 * The entries of a deprecated field as text at column 0, each as the replacement list's item:
 * list items as written (path entries of patchesStrategicMerge as `path: ...`), and a commonLabels
 * map as one `pairs:` item.
 */
function itemTexts(text: string, pair: Pair, key: string): string[] | undefined {
  const value = pair.value;
  if (key === 'commonLabels') {
    if (!isMap(value) || !value.range) return undefined;
    let pairs: string;
    if (value.flow) pairs = text.slice(value.range[0], value.range[1]).trim();
    else {
      const start = lineStart(text, value.range[0]);
      const body = text.slice(start, value.range[1]).replace(/\s+$/, '').replace(/\r/g, '');
      const shifted = reindent(body, 2 - columnOf(text, value.range[0]));
      if (shifted === undefined) return undefined;
      pairs = `${eolFree(shifted)}`;
      return [`pairs:\n${pairs}\nincludeSelectors: true`];
    }
    return [`pairs: ${pairs}\nincludeSelectors: true`];
  }
  if (!isSeq(value) || value.flow) return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    const range = (item as { range?: [number, number, number] }).range;
    if (!range) return undefined;
    if (isScalar(item)) {
      const written = text.slice(range[0], range[1]);
      if (written.includes('\n')) return undefined;
      out.push(key === 'patchesStrategicMerge' ? `path: ${written}` : written);
    } else if (isMap(item) && !item.flow) {
      const column = columnOf(text, range[0]);
      const body = text.slice(range[0], range[1]).replace(/\s+$/, '').replace(/\r/g, '');
      const [first, ...rest] = body.split('\n');
      const shifted = reindent(rest.join('\n'), -column);
      if (shifted === undefined) return undefined;
      out.push(rest.length > 0 ? `${first}\n${shifted}` : first!);
    } else return undefined;
  }
  return out;
}

function eolFree(s: string): string {
  return s.replace(/\r/g, '');
}

/** Deep equality of plain YAML values (what toJS gives: objects, arrays, scalars); key order is ignored. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameValue(v, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => k in bo && sameValue((a as Record<string, unknown>)[k], bo[k]));
}

// Schema validation of pod-bearing Kubernetes kinds, with messages a person can act on.
// The validators are precompiled by schemas/compile.mjs (see server/src/schema/generated.ts);
// this file turns Ajv's raw errors into one SchemaIssue per problem, in document order.
import { loadObjectValidators, loadSchemaJson, loadValidators } from './generated';
import type { AjvError, JsonSchemaNode, ValidateFunction, ValidatorTables } from './generated';
import type { PodKind, SchemaView } from '../model/types';
import { hasPlaceholder } from '../model/placeholders';
import { walkValue } from '../model/value-path';

export { isPodKind, POD_KINDS, type PodKind } from '../model/types';

export type SchemaPath = (string | number)[];

export interface SchemaIssue {
  /** JSON path of the value the issue is about; for unknown fields, the path of the unknown key. */
  path: SchemaPath;
  /** 'key': point at the key of the last path segment; 'value': point at the value. */
  target: 'key' | 'value';
  message: string;
  severity: 'error' | 'warning';
  kind: 'type' | 'required' | 'enum' | 'unknown-field' | 'pattern' | 'other';
  /** unknown-field / enum: the closest known name; a scalar where a string is required: its quoted text. */
  suggestion?: string;
  /** required: the field that is missing. */
  missing?: string;
}

/** Validates one parsed YAML document (plain JSON-like data) against its kind's schema. */
export function validatePodKind(kind: PodKind, value: unknown): SchemaIssue[] {
  const generated = loadValidators();
  return validateWith(generated, generated[kind], kind, kind, value);
}

/**
 * The export id of the validator of another built-in kind (`core_v1_Service`), for an object of
 * that exact apiVersion and kind; undefined for pod kinds, custom resources and versions the
 * schema does not hold (a beta version is not held to the GA schema).
 */
export function objectKindId(apiVersion: string | undefined, kind: string | undefined): string | undefined {
  if (apiVersion === undefined || kind === undefined) return undefined;
  return loadObjectValidators().apiKinds[apiVersion]?.[kind];
}

/** Validates an object of another built-in kind (see objectKindId) against its schema. */
export function validateObjectKind(id: string, kind: string, value: unknown): SchemaIssue[] {
  const generated = loadObjectValidators();
  const validate = generated[id];
  return validate ? validateWith(generated, validate, id, kind, value) : [];
}

/** `id` names the kind's root in `tables`; `kind` is how messages name the object. */
function validateWith(
  tables: ValidatorTables,
  validate: ValidateFunction,
  id: string,
  kind: string,
  value: unknown,
): SchemaIssue[] {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];

  const typeErrorAt = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    const path = toPath(error.instancePath, value);
    const issue = toIssue(tables, id, kind, error, path, value);
    if (!issue) continue;
    if (issue.kind === 'type') typeErrorAt.add(pathKey(issue.path));
    issues.push(issue);
  }

  const seen = new Set<string>();
  const kept = issues.filter((issue) => {
    // A wrong type already says everything; its enum or pattern error would repeat it.
    if ((issue.kind === 'enum' || issue.kind === 'pattern') && typeErrorAt.has(pathKey(issue.path))) return false;
    const key = `${pathKey(issue.path)}\u0000${issue.target}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  if (kept.length < 2) return kept;
  // in document order; an issue whose path is not in the value goes last
  return kept
    .map((issue, index) => ({ issue, index, found: pathExists(value, issue.path) }))
    .sort(
      (a, b) =>
        (a.found && b.found ? documentOrder(value, a.issue.path, b.issue.path) : Number(b.found) - Number(a.found)) ||
        a.index - b.index,
    )
    .map((entry) => entry.issue);
}

export interface FieldDescription {
  description?: string;
  /** kubectl explain style: string, integer, boolean, Container, []Container, map[string]string, Quantity, IntOrString... */
  type?: string;
  /** Allowed values when the schema lists them. */
  enum?: string[];
  required?: boolean;
}

/** Schema documentation of the field at `path` in a document of `kind`; undefined if the path is not in the schema. */
/**
 * An object path as the view's schema reads it: under a custom resource's PodTemplateSpec or Pod
 * object, the same path in a PodTemplate's `template` or a Pod; elsewhere in such an object,
 * undefined (the schema does not describe it). The identity for built-in kinds.
 */
export function viewPath(view: SchemaView, path: SchemaPath): SchemaPath | undefined {
  const { objectPrefix, schemaPrefix, parts } = view;
  if (parts) {
    // the longest part that holds the path (a container inside its template)
    let best: (typeof parts)[number] | undefined;
    for (const part of parts) {
      const inside = path.length >= part.objectPath.length && part.objectPath.every((seg, i) => path[i] === seg);
      if (inside && (!best || part.objectPath.length > best.objectPath.length)) best = part;
    }
    if (best) return [...best.schemaPath, ...path.slice(best.objectPath.length)];
  }
  if (objectPrefix.length === 0 && schemaPrefix.length === 0) return path;
  if (path.length < objectPrefix.length || objectPrefix.some((seg, i) => path[i] !== seg)) return undefined;
  return [...schemaPrefix, ...path.slice(objectPrefix.length)];
}

/** describeField through a view (see viewPath). */
export function describeIn(view: SchemaView, path: SchemaPath): FieldDescription | undefined {
  const mapped = viewPath(view, path);
  const description = mapped && describeField(view.kind, mapped);
  // a field the kind's controller fills in (an Argo main container's name) is not required there
  if (description?.required && view.parts) {
    const field = path[path.length - 1];
    const part = view.parts.find(
      (p) => p.objectPath.length === path.length - 1 && p.objectPath.every((seg, i) => path[i] === seg),
    );
    if (part?.optionalFields?.some((f) => f === '*' || f === field)) return { ...description, required: false };
  }
  return description;
}

/** objectFields through a view (see viewPath). */
export function fieldsIn(view: SchemaView, path: SchemaPath): SchemaField[] | undefined {
  const mapped = viewPath(view, path);
  return mapped && objectFields(view.kind, mapped);
}

export function describeField(kind: PodKind, path: SchemaPath): FieldDescription | undefined {
  const schema = loadSchemaJson();
  const found = schemaNodeAt(schema, kind, path);
  if (!found) return undefined;
  return fieldDescription(schema.definitions, found.node, path.length > 0 ? found.required : undefined);
}

/** A field of an object in the schema, for completion. */
export interface SchemaField extends FieldDescription {
  name: string;
  /** 'object' and 'array' hold more YAML below the key; 'scalar' a value on the key's line. */
  shape: 'object' | 'array' | 'scalar';
}

/**
 * The fields the object at `path` may have (path segments as in describeField; numbers index
 * lists), in schema order; undefined when the path is not an object of the schema.
 */
export function objectFields(kind: PodKind, path: SchemaPath): SchemaField[] | undefined {
  const schema = loadSchemaJson();
  const found = schemaNodeAt(schema, kind, path);
  const object = found && resolve(schema.definitions, found.node);
  if (!object?.properties) return undefined;
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties).map(([name, node]) => ({
    ...fieldDescription(schema.definitions, node, required.has(name)),
    name,
    shape: shapeOf(schema.definitions, node),
  }));
}

function shapeOf(definitions: Record<string, JsonSchemaNode>, node: JsonSchemaNode): SchemaField['shape'] {
  const target = resolve(definitions, node);
  const types = typeList(target?.type);
  if (types.includes('array')) return 'array';
  // int-or-string and quantities are objects of no properties in some schemas: only real maps count
  if (types.includes('object') && (target?.properties || target?.additionalProperties)) return 'object';
  return 'scalar';
}

function schemaNodeAt(
  schema: ReturnType<typeof loadSchemaJson>,
  kind: PodKind,
  path: SchemaPath,
): { node: JsonSchemaNode; required: boolean } | undefined {
  let node: JsonSchemaNode | undefined = { $ref: schema['x-pod-kinds'][kind] };
  let required = false;
  for (const segment of path) {
    const resolved = resolve(schema.definitions, node);
    if (!resolved) return undefined;
    if (typeof segment === 'number') {
      node = resolved.items;
      required = false;
    } else if (resolved.properties && Object.prototype.hasOwnProperty.call(resolved.properties, segment)) {
      node = resolved.properties[segment];
      required = resolved.required?.includes(segment) ?? false;
    } else if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object') {
      node = resolved.additionalProperties;
      required = false;
    } else {
      return undefined;
    }
    if (!node) return undefined;
  }
  return { node, required };
}

function fieldDescription(
  definitions: Record<string, JsonSchemaNode>,
  node: JsonSchemaNode,
  required: boolean | undefined,
): FieldDescription {
  const target = resolve(definitions, node);
  const result: FieldDescription = {};
  const description = node.description ?? target?.description;
  if (description !== undefined) result.description = description;
  result.type = typeName(definitions, node);
  const values = (target?.enum ?? node.enum)?.filter((v): v is string => typeof v === 'string');
  if (values && values.length > 0) result.enum = values;
  if (required !== undefined) result.required = required;
  return result;
}

// ---------------------------------------------------------------------------------------------

// YAML 1.1 booleans that kubectl (go-yaml) reads as true/false but YAML 1.2 reads as strings.
const YAML11_BOOLEANS: Record<string, boolean> = Object.fromEntries([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
]);

function toIssue(
  tables: ValidatorTables,
  id: string,
  kind: string,
  error: AjvError,
  path: SchemaPath,
  root: unknown,
): SchemaIssue | undefined {
  const params = error.params;
  if (error.keyword === 'type' || error.keyword === 'enum' || error.keyword === 'pattern') {
    // A placeholder (`${ACCELERATOR_QUANTITY}`, `$(params.port)`, `{{inputs.parameters.n}}`): its
    // real value is only known once it is filled in, so its type, enum or pattern is not checked.
    if (hasPlaceholder(walkValue(root, path))) return undefined;
  }
  switch (error.keyword) {
    case 'anyOf':
      // Our only anyOf is the nullable wrapper of $ref properties: its branches report the detail.
      return undefined;
    case 'type': {
      const expected = typeList(params.type).filter((t) => t !== 'null');
      if (expected.length === 0) return undefined; // the null branch of a nullable wrapper
      const actual = walkValue(root, path);
      if (expected.includes('boolean') && typeof actual === 'string' && actual in YAML11_BOOLEANS) {
        // kubectl accepts it, other YAML 1.2 tools do not: worth a warning, not an error.
        const fixed = String(YAML11_BOOLEANS[actual]);
        return {
          path,
          target: 'value',
          message: `${label(path, kind)}: "${actual}" is a boolean only in YAML 1.1 (kubectl); write ${fixed}`,
          severity: 'warning',
          kind: 'type',
          suggestion: fixed,
        };
      }
      const issue: SchemaIssue = {
        path,
        target: 'value',
        message: `${label(path, kind)}: expected ${expectedWords(expected)}, got ${describeValue(actual)}`,
        severity: 'error',
        kind: 'type',
      };
      if (expected.includes('string') && (typeof actual === 'number' || typeof actual === 'boolean')) {
        issue.suggestion = JSON.stringify(String(actual));
      }
      return issue;
    }
    case 'required': {
      const field = String(params.missingProperty);
      return {
        path,
        target: 'value',
        message: `missing required field "${field}"`,
        severity: 'error',
        kind: 'required',
        missing: field,
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const suggestion = closest(key, knownKeysAt(tables, id, path));
      const issue: SchemaIssue = {
        path: [...path, key],
        target: 'key',
        message:
          suggestion === undefined
            ? `unknown field "${key}"`
            : `unknown field "${key}" (did you mean "${suggestion}"?)`,
        severity: 'warning',
        kind: 'unknown-field',
      };
      if (suggestion !== undefined) issue.suggestion = suggestion;
      return issue;
    }
    case 'enum': {
      const allowed = (Array.isArray(params.allowedValues) ? params.allowedValues : []).filter(
        (v): v is string => typeof v === 'string',
      );
      const actual = walkValue(root, path);
      const shown = [...allowed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((v) => (v === '' ? '""' : v));
      const suggestion =
        typeof actual === 'string'
          ? closest(
              actual,
              allowed.filter((v) => v !== ''),
            )
          : undefined;
      const issue: SchemaIssue = {
        path,
        target: 'value',
        message:
          `${label(path, kind)}: expected one of ${shown.join(', ')}, got ${describeValue(actual)}` +
          (suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`),
        severity: 'error',
        kind: 'enum',
      };
      if (suggestion !== undefined) issue.suggestion = suggestion;
      return issue;
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const hint = tables.patternHints[pattern] ?? `text matching ${pattern}`;
      return {
        path,
        target: 'value',
        message: `${label(path, kind)}: expected ${hint}, got ${describeValue(walkValue(root, path))}`,
        severity: 'error',
        kind: 'pattern',
      };
    }
    default:
      return {
        path,
        target: 'value',
        message: `${label(path, kind)}: invalid value (${error.keyword})`,
        severity: 'error',
        kind: 'other',
      };
  }
}

/** JSON pointer -> path; segments that index an array in `root` become numbers. */
function toPath(pointer: string, root: unknown): SchemaPath {
  if (pointer === '') return [];
  const path: SchemaPath = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = isRecord(current) ? current[segment] : undefined;
    }
  }
  return path;
}

/**
 * How two paths in `root` compare in a depth-first walk of it (document order for parsed YAML): by
 * the first segment where they part, a parent before what is inside it.
 */
function documentOrder(root: unknown, a: SchemaPath, b: SchemaPath): number {
  let node = root;
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] !== b[i]) return positionIn(node, a[i]!) - positionIn(node, b[i]!);
    node = childOf(node, a[i]!);
  }
  return a.length - b.length;
}

function positionIn(node: unknown, segment: string | number): number {
  if (Array.isArray(node)) return Number(segment);
  return isRecord(node) ? Object.keys(node).indexOf(String(segment)) : 0;
}

function childOf(node: unknown, segment: string | number): unknown {
  if (Array.isArray(node)) return typeof segment === 'number' ? node[segment] : undefined;
  return isRecord(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
}

function pathExists(root: unknown, path: SchemaPath): boolean {
  let node = root;
  for (const segment of path) {
    const inside = Array.isArray(node)
      ? typeof segment === 'number' && segment < node.length
      : isRecord(node) && Object.hasOwn(node, segment);
    if (!inside) return false;
    node = childOf(node, segment);
  }
  return true;
}

function knownKeysAt(tables: ValidatorTables, root: string, objectPath: SchemaPath): string[] {
  const { roots, shapes } = tables;
  let id: string | 0 | undefined = roots[root];
  for (const segment of objectPath) {
    if (typeof segment === 'number') continue; // arrays resolve to their items' definition
    if (!id) return [];
    id = shapes[id]?.[segment];
  }
  return id ? Object.keys(shapes[id] ?? {}) : [];
}

/** Closest candidate when it is plausibly what was meant (same letters in another case, or a small typo). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = word.length >= 5 ? 2 : word.length >= 3 ? 1 : 0;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** `containerPort`, `args[1]`: the last key of the path plus any list indexes after it. */
function label(path: SchemaPath, kind: string): string {
  let i = path.length;
  while (i > 0 && typeof path[i - 1] === 'number') i--;
  const key = i > 0 ? String(path[i - 1]) : kind;
  return (
    key +
    path
      .slice(i)
      .map((n) => `[${String(n)}]`)
      .join('')
  );
}

const TYPE_ORDER = ['integer', 'number', 'string', 'boolean', 'object', 'array'];
const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeList(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return typeof type === 'string' ? type.split(',') : [];
}

function expectedWords(types: string[]): string {
  const sorted = [...types].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
  const words = sorted.map((t) => TYPE_WORDS[t] ?? t);
  return words.length <= 1
    ? (words[0] ?? 'another type')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

function pathKey(path: SchemaPath): string {
  return JSON.stringify(path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(
  definitions: Record<string, JsonSchemaNode>,
  node: JsonSchemaNode | undefined,
): JsonSchemaNode | undefined {
  let current = node;
  for (let guard = 0; current && guard < 8; guard++) {
    const ref = current.$ref ?? current.anyOf?.find((s) => s.$ref !== undefined)?.$ref;
    if (ref === undefined) return current;
    current = definitions[ref.replace('#/definitions/', '')];
  }
  return current;
}

function typeName(definitions: Record<string, JsonSchemaNode>, node: JsonSchemaNode): string {
  const ref = node.$ref ?? node.anyOf?.find((s) => s.$ref !== undefined)?.$ref;
  if (ref !== undefined) return ref.slice(ref.lastIndexOf('.') + 1);
  if (node.title !== undefined) return node.title;
  const types = typeList(node.type).filter((t) => t !== 'null');
  if (types.includes('array')) return `[]${node.items ? typeName(definitions, node.items) : 'any'}`;
  if (types.includes('object')) {
    if (node.additionalProperties && typeof node.additionalProperties === 'object') {
      return `map[string]${typeName(definitions, node.additionalProperties)}`;
    }
    return 'object';
  }
  return types.join(' | ') || 'any';
}

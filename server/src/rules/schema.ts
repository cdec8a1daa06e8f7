import { customPodKind, isPartialPod } from '../model/kinds';
import { isPodKind } from '../model/types';
import type { PodKind } from '../model/types';
import { isNode, isScalar, isSeq } from 'yaml';
import { hasPlaceholder } from '../model/placeholders';
import { replaceScalar } from '../fixes/edits';
import { asMap, getPair, getSeq, getString, locatePath } from '../model/yaml-nodes';
import { topLevelApiVersion, topLevelKinds } from '../model/kind-lines';
import { closest, objectKindId, validateObjectKind, validatePodKind, type SchemaIssue } from '../schema/validate';
import { walkValue } from '../model/value-path';
import type { ObjectRule, Fix } from '../engine/types';
import type { DocumentModel, PodModel, Range, SchemaPart } from '../model/types';

function firstLine(text: string): Range {
  const eol = text.indexOf('\n');
  return { start: 0, end: eol === -1 ? text.length : eol };
}

export const schema: ObjectRule = {
  meta: {
    id: 'schema',
    description:
      'The Kubernetes JSON Schema: types, required fields, allowed values, unknown fields (warning, with "did you mean").',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/',
    allKinds: true,
  },
  scope: 'object',
  check(document, ctx) {
    // other built-in kinds (a Service, a ConfigMap) by what their lines say, before any parse:
    // a custom resource or a kind the schema does not hold is left alone unparsed
    const others = otherKindsNamed(document);
    if (document.pods.length === 0 && others === undefined) return;
    // a document that holds no pod is parsed on demand; its syntax errors are not counted there
    if (document.syntaxErrors.length > 0 || document.yaml.errors.length > 0) return;
    const built = document.value();
    if (!built.ok) {
      ctx.report({
        message: `the document cannot be expanded into a value (${built.message}); it is not validated`,
        range: firstLine(document.text),
      });
      return;
    }
    const root = document.yaml.contents;
    if (others !== undefined) {
      for (const { path, id, kind } of objectsOf(root)) {
        for (const issue of validateObjectKind(id, kind, walkValue(built.value, path))) {
          const at = [...path, ...issue.path];
          report(ctx, document, at, issue);
        }
      }
    }
    // parts shared by several pods (an Argo WorkflowSpec's volumes) are reported once
    const reported = new Set<string>();
    for (const pod of document.pods) {
      const object = walkValue(built.value, pod.objectPath);
      if (pod.schema.parts) {
        checkAssembled(document, pod, object, pod.schema.parts, reported, ctx);
        continue;
      }
      const { kind, objectPrefix, schemaPrefix } = pod.schema;
      // a custom resource's pod is validated as the built-in object its schema view names
      const value = pod.custom
        ? viewed(
            walkValue(object, objectPrefix),
            kind,
            pod.specPath.length - pod.objectPath.length === objectPrefix.length,
          )
        : object;
      const partial = isPartialPod(pod, ctx.settings);
      const extra = new Set(pod.custom?.extraSpecFields ?? []);
      const specDepth = pod.specPath.length - pod.objectPath.length - objectPrefix.length + schemaPrefix.length;
      for (const issue of validatePodKind(kind, value)) {
        // a kustomize patch, or a pod a controller completes, holds only what it changes
        if (issue.kind === 'required' && partial) continue;
        // fields of the custom resource's own beside the PodSpec's (Knative's containerConcurrency)
        if (
          issue.kind === 'unknown-field' &&
          issue.path.length === specDepth + 1 &&
          extra.has(String(issue.path[specDepth]))
        )
          continue;
        if (pod.custom && issue.path.length < schemaPrefix.length) continue; // the envelope we made up
        if (
          issue.missing !== undefined &&
          pod.custom?.optionalContainerFields.includes(issue.missing) &&
          issue.path.includes('containers')
        )
          continue;
        report(ctx, document, [...pod.objectPath, ...objectPrefix, ...issue.path.slice(schemaPrefix.length)], issue);
      }
    }
  },
};

/**
 * A pod its controller assembles (an Argo template, a Tekton TaskSpec), validated as a
 * PodTemplate made of its parts only (its containers and volumes, each where the PodSpec has it):
 * the kind's own fields around them are not the PodSpec's. Each issue goes back to the part's
 * place in the object; what falls outside every part (the PodSpec's required `containers` of a
 * pod that has only steps) is the envelope, not the user's text.
 */
function checkAssembled(
  document: DocumentModel,
  pod: PodModel,
  object: unknown,
  parts: readonly SchemaPart[],
  reported: Set<string>,
  ctx: RuleCtx,
): void {
  const spec: Record<string, unknown[]> = {};
  for (const part of parts) {
    const [, , list, index] = part.schemaPath;
    if (typeof list !== 'string' || typeof index !== 'number') continue;
    (spec[list] ??= [])[index] = walkValue(object, part.objectPath) ?? {};
  }
  // holes stay objects: a part missing from the value is not an error of the user's
  for (const list of Object.values(spec)) for (let i = 0; i < list.length; i++) list[i] ??= {};
  const value = { apiVersion: 'v1', kind: 'PodTemplate', template: { spec } };
  const partial = isPartialPod(pod, ctx.settings);
  for (const found of validatePodKind('PodTemplate', value)) {
    const part = partOf(parts, found.path);
    if (!part) continue;
    const issue = withOwnFields(found, part);
    const depth = part.schemaPath.length;
    if (issue.kind === 'required' && (partial || part.optionalFields?.includes('*'))) continue;
    if (
      issue.kind === 'required' &&
      issue.path.length === depth &&
      issue.missing !== undefined &&
      part.optionalFields?.includes(issue.missing)
    )
      continue;
    if (
      issue.kind === 'unknown-field' &&
      issue.path.length === depth + 1 &&
      part.extraFields?.includes(String(issue.path[depth]))
    )
      continue;
    const path = [...pod.objectPath, ...part.objectPath, ...issue.path.slice(depth)];
    const key = `${path.join('\u0000')}\u0001${issue.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    report(ctx, document, path, issue);
  }
}

/** An issue as a finding at `path` of the document, with what its fix needs. */
function report(ctx: RuleCtx, document: DocumentModel, path: (string | number)[], issue: SchemaIssue): void {
  // `{{HF_TOKEN}}` unquoted is a flow map to YAML and a placeholder to whoever fills it in
  if (issue.kind === 'type' && writtenAsPlaceholder(document, path)) return;
  // a strategic merge patch's directives ($patch: delete, $retainKeys, $setElementOrder/<list>,
  // $deleteFromPrimitiveList/<list>) are no fields of the object, and what is under them is theirs
  // (kubernetes/community sig-api-machinery/strategic-merge-patch.md)
  if (ctx.settings.patchOf !== undefined && path.some((p) => typeof p === 'string' && p.startsWith('$'))) return;
  const data: Record<string, unknown> = { schemaKind: issue.kind };
  if (issue.suggestion !== undefined) data['suggestion'] = issue.suggestion;
  ctx.report({
    message: issue.message,
    range: locatePath(document.yaml.contents, path, issue.target),
    severity: issue.severity,
    data,
    fixes: () => fixesFor(document, path, issue),
  });
}

type RuleCtx = Parameters<ObjectRule['check']>[1];

/**
 * An unknown field near one of the kind's own (`scriptt` in a Tekton step): "did you mean" names
 * it, as it names the Container's fields.
 */
function withOwnFields(issue: SchemaIssue, part: SchemaPart): SchemaIssue {
  if (issue.kind !== 'unknown-field' || issue.suggestion !== undefined || !part.extraFields) return issue;
  if (issue.path.length !== part.schemaPath.length + 1) return issue;
  const key = String(issue.path[issue.path.length - 1]);
  const suggestion = closest(key, part.extraFields);
  if (suggestion === undefined || suggestion === key) return issue;
  return { ...issue, message: `unknown field "${key}" (did you mean "${suggestion}"?)`, suggestion };
}

/** The part an issue's schema path is in (the longest that holds it). */
function partOf(parts: readonly SchemaPart[], path: readonly (string | number)[]): SchemaPart | undefined {
  let best: SchemaPart | undefined;
  for (const part of parts) {
    const inside = path.length >= part.schemaPath.length && part.schemaPath.every((seg, i) => path[i] === seg);
    if (inside && (!best || part.schemaPath.length > best.schemaPath.length)) best = part;
  }
  return best;
}

function writtenAsPlaceholder(document: DocumentModel, path: (string | number)[]): boolean {
  const node = document.yaml.getIn(path, true);
  const range = isNode(node) ? node.range : undefined;
  return range !== undefined && range !== null && hasPlaceholder(document.text.slice(range[0], range[1]));
}

/**
 * Whether the document's lines name another built-in kind the schema holds (or a List, whose
 * items may be such objects); undefined when they do not, so the document need not be parsed.
 */
function otherKindsNamed(document: DocumentModel): true | undefined {
  // pod kinds are validated as pods; a file of pods never loads the other kinds' validators
  const apiVersion = topLevelApiVersion(document.text);
  const kinds = topLevelKinds(document.text).filter((k) => !podBearing(apiVersion, k));
  if (kinds.some((k) => k.endsWith('List'))) return true;
  return kinds.some((k) => objectKindId(apiVersion, k) !== undefined) ? true : undefined;
}

/** A kind validated as pods (a Knative Service is one; a v1 Service is not). */
function podBearing(apiVersion: string | undefined, kind: string): boolean {
  return isPodKind(kind) || customPodKind(apiVersion, kind) !== undefined;
}

/** The objects of other built-in kinds in a document: its root, or the items of a List. */
function objectsOf(root: unknown): { path: (string | number)[]; id: string; kind: string }[] {
  const one = (node: unknown, path: (string | number)[]): { path: (string | number)[]; id: string; kind: string }[] => {
    const map = asMap(node);
    const kind = getString(map, 'kind')?.value;
    const apiVersion = getString(map, 'apiVersion')?.value;
    if (kind === undefined || podBearing(apiVersion, kind)) return [];
    const id = objectKindId(apiVersion, kind);
    return id !== undefined && kind !== undefined ? [{ path, id, kind }] : [];
  };
  // one item of a big List, parsed on its own, is a sequence of that item (see split.ts)
  if (isSeq(root)) return root.items.flatMap((item, i) => one(item, [i]));
  const map = asMap(root);
  if (getString(map, 'kind')?.value?.endsWith('List')) {
    return (getSeq(map, 'items')?.items ?? []).flatMap((item, i) => one(item, ['items', i]));
  }
  return one(root, []);
}

/** A custom resource's PodTemplateSpec or Pod object as the built-in object that holds it. */
function viewed(holder: unknown, kind: PodKind, isSpec: boolean): unknown {
  const body = holder !== null && typeof holder === 'object' && !Array.isArray(holder) ? holder : {};
  return kind === 'PodTemplate'
    ? { apiVersion: 'v1', kind: 'PodTemplate', template: isSpec ? { spec: body } : body }
    : { ...body, apiVersion: 'v1', kind: 'Pod' };
}

function fixesFor(document: DocumentModel, path: (string | number)[], issue: SchemaIssue): Fix[] {
  const suggestion = issue.suggestion;
  if (suggestion === undefined) return [];
  if (issue.kind === 'unknown-field') {
    const key = path[path.length - 1];
    const map = asMap(path.length === 1 ? document.yaml.contents : document.yaml.getIn(path.slice(0, -1), true));
    // renaming onto a key the map already has would write a duplicate key
    if (typeof key !== 'string' || !map || getPair(map, suggestion)) return [];
    const keyNode = getPair(map, key)?.key;
    const edit = isScalar(keyNode) ? replaceScalar(keyNode, suggestion) : undefined;
    // "did you mean" is a guess: offered first, never applied unattended
    return edit ? [{ title: `Rename "${key}" to "${suggestion}"`, edits: [edit], safe: false, preferred: true }] : [];
  }
  const node = document.yaml.getIn(path, true);
  if (!isScalar(node) || !node.range) return [];
  if (issue.kind === 'type' && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
    // Quote the text as written: `1.10` read as a number is 1.1, and the user meant 1.10.
    const written = document.text.slice(node.range[0], node.range[1]);
    const edit = replaceScalar(node, JSON.stringify(written));
    return edit ? [{ title: `Quote ${written}`, edits: [edit], safe: true, preferred: true }] : [];
  }
  // a YAML 1.1 boolean (`yes`: write true; no judgement) or an enum near miss (`Allways`: a guess)
  const edit = replaceScalar(node, suggestion);
  const written = document.text.slice(node.range[0], node.range[1]);
  const title = `Replace ${written} with ${suggestion}`;
  return edit ? [{ title, edits: [edit], safe: issue.kind === 'type', preferred: true }] : [];
}

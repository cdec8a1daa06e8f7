import { isPodKind } from '../model/types';
import { applyEdits, eolOf, keepsYamlValid, lineStart, mapIndent } from '../fixes/edits';
import type { DocumentModel, PodKind, PodModel } from '../model/types';
import { hasPlaceholder } from '../model/placeholders';
import { asMap, keyRange } from '../model/yaml-nodes';
import type { Fix, PodRule } from '../engine/types';

const CURRENT: Record<PodKind, string> = {
  Pod: 'v1',
  PodTemplate: 'v1',
  ReplicationController: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/**
 * API versions that served a kind once, with the minor version that stopped serving them
 * (Kubernetes deprecated API migration guide).
 */
const REMOVED: Partial<Record<PodKind, Record<string, number>>> = {
  Deployment: { 'extensions/v1beta1': 16, 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  StatefulSet: { 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  DaemonSet: { 'extensions/v1beta1': 16, 'apps/v1beta2': 16 },
  ReplicaSet: { 'extensions/v1beta1': 16, 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  CronJob: { 'batch/v1beta1': 25, 'batch/v2alpha1': 21 },
};

/** The first minor version that served the current apiVersion, where it matters. */
const CURRENT_SINCE: Partial<Record<PodKind, number>> = { CronJob: 21 };

export const apiVersion: PodRule = {
  meta: {
    id: 'api-version',
    description: 'A pod-bearing kind with a wrong or removed apiVersion.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
  },
  scope: 'pod',
  check(pod, ctx) {
    // a custom resource's versions are its own project's
    if (pod.custom || !isPodKind(pod.kind)) return;
    const current = CURRENT[pod.kind];
    const written = pod.apiVersion;
    if (!written) {
      // in YAML that does not parse, the apiVersion line may be there but unreadable: the syntax
      // error is the finding
      if (ctx.document.syntaxErrors.length > 0) return;
      ctx.report({
        message: `apiVersion is missing; ${pod.kind} is served as "${current}"`,
        range: pod.kindRange,
        data: { apiVersion: current },
        fixes: () => insertApiVersion(ctx.document, pod, current),
      });
      return;
    }
    // `apiVersion: ${API_VERSION}`: known once the placeholder is filled in
    if (hasPlaceholder(written.value)) return;
    if (written.value === current) {
      const since = CURRENT_SINCE[pod.kind];
      if (since !== undefined && ctx.minor < since) {
        ctx.report({
          message: `${pod.kind} ${current} is served from Kubernetes 1.${since}; the target 1.${ctx.minor} does not know it`,
          range: written.range,
          severity: 'error',
        });
      }
      return;
    }
    const data = { apiVersion: current };
    const removedIn = REMOVED[pod.kind]?.[written.value];
    // A mistyped version is simply replaced. Moving off a beta version changes meaning (apps/v1
    // requires spec.selector, which the betas defaulted from the labels): offered, never unattended.
    const fixes = (): Fix[] => [
      {
        title: `Set apiVersion to "${current}"`,
        edits: [{ range: written.range, newText: current }],
        safe: removedIn === undefined,
        preferred: true,
      },
    ];
    if (removedIn === undefined) {
      ctx.report({
        message: `${pod.kind} is served as apiVersion "${current}", not "${written.value}"`,
        range: written.range,
        data,
        fixes,
      });
    } else if (ctx.minor >= removedIn) {
      ctx.report({
        message: `${pod.kind} ${written.value} was removed in Kubernetes 1.${removedIn} (target 1.${ctx.minor}); use "${current}"`,
        range: written.range,
        data,
        fixes,
      });
    } else {
      ctx.report({
        message: `${pod.kind} ${written.value} is deprecated and removed in Kubernetes 1.${removedIn}; use "${current}"`,
        range: written.range,
        severity: 'warning',
        data,
        fixes,
      });
    }
  },
};

/** Writes `apiVersion: X` as the object's first line, where every manifest has it. */
function insertApiVersion(document: DocumentModel, pod: PodModel, current: string): Fix[] {
  const root = pod.objectPath.length === 0 ? document.yaml.contents : document.yaml.getIn(pod.objectPath, true);
  const object = asMap(root);
  const keyStart = keyRange(object?.items[0])?.start;
  if (!object || keyStart === undefined) return [];
  const text = document.text;
  const indent = mapIndent(text, object);
  const at = lineStart(text, keyStart);
  // a List item's first key sits on its `- ` line: there is no line of its own to go before
  if (indent === undefined || text.slice(at, keyStart).trim() !== '') return [];
  const edit = { range: { start: at, end: at }, newText: `${' '.repeat(indent)}apiVersion: ${current}${eolOf(text)}` };
  // odd layouts (control characters, properties before the map) can make a line of its own wrong
  if (!keepsYamlValid(text, applyEdits(text, [edit]))) return [];
  return [{ title: `Add apiVersion "${current}"`, edits: [edit], safe: true, preferred: true }];
}

import { isMap, isSeq, type YAMLMap } from 'yaml';
import { setTemplateEntry } from '../fixes/metadata';
import { hasPlaceholder } from '../model/placeholders';
import { metaEntries } from '../model/sidecars';
import type { PodModel, Range } from '../model/types';
import { getMap, getSeq, getString, keyRange, mapItems, nodeRange, scalarText } from '../model/yaml-nodes';
import type { Fix, PodRule, RuleContext } from '../engine/types';

/**
 * Kinds whose `spec.selector` must select their own template (apps/v1 validation; Argo Rollouts'
 * and OpenKruise's controllers validate the same way). A ReplicationController's selector is a
 * plain map, defaulted from the labels when empty.
 */
const SELECTED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);
const CUSTOM_SELECTED: Record<string, ReadonlySet<string>> = {
  'argoproj.io': new Set(['Rollout']),
  'apps.kruise.io': new Set(['CloneSet', 'StatefulSet', 'DaemonSet']),
};

function selects(pod: PodModel): boolean {
  if (pod.custom) return CUSTOM_SELECTED[pod.custom.group]?.has(pod.kind) ?? false;
  return SELECTED.has(pod.kind);
}

/** One term of the selector that the template's labels fail. */
interface Miss {
  range: Range;
  message: string;
  /** matchLabels `key: value` the template should carry. */
  label?: { key: string; value: string };
}

function misses(selector: YAMLMap, labels: ReadonlyMap<string, string>, plain: boolean): Miss[] | undefined {
  const out: Miss[] = [];
  const matchLabels = plain ? selector : getMap(selector, 'matchLabels');
  for (const item of matchLabels?.items ?? []) {
    const key = scalarText(item.key);
    const value = scalarText(item.value);
    if (key === undefined || value === undefined) return undefined; // not judged: a complex key or value
    if (hasPlaceholder(key) || hasPlaceholder(value)) return undefined;
    const has = labels.get(key);
    if (has === value) continue;
    out.push({
      range: keyRange(item) ?? nodeRange(selector),
      message:
        has === undefined
          ? `the selector's ${key}: ${value} selects no pod of this template: its labels have no ${key}`
          : `the selector's ${key}: ${value} selects no pod of this template: its labels say ${key}: ${has}`,
      label: { key, value },
    });
  }
  if (plain) return out;
  for (const { node } of mapItems(getSeq(selector, 'matchExpressions'))) {
    const key = getString(node, 'key')?.value;
    const operator = getString(node, 'operator')?.value;
    const values = (getSeq(node, 'values')?.items ?? []).map(scalarText);
    if (key === undefined || operator === undefined || values.some((v) => v === undefined)) return undefined;
    if (hasPlaceholder(key) || values.some((v) => hasPlaceholder(v!))) return undefined;
    const has = labels.get(key);
    const ok =
      operator === 'In'
        ? has !== undefined && values.includes(has)
        : operator === 'NotIn'
          ? has === undefined || !values.includes(has)
          : operator === 'Exists'
            ? has !== undefined
            : operator === 'DoesNotExist'
              ? has === undefined
              : true; // an unknown operator is the schema's to report
    if (ok) continue;
    out.push({
      range: nodeRange(node),
      message: `the selector's expression ${key} ${operator}${values.length > 0 ? ` (${values.join(', ')})` : ''} does not hold for this template's labels (${has === undefined ? `no ${key}` : `${key}: ${has}`})`,
    });
  }
  return out;
}

function labelFix(ctx: RuleContext, pod: PodModel, label: { key: string; value: string }): Fix[] {
  const quoted = JSON.stringify(label.value);
  const edit = setTemplateEntry(ctx.document, pod, 'labels', { key: label.key, value: quoted });
  // not for fix-all: which of the two is right, the selector or the label, is a person's call
  return edit
    ? [{ title: `Set label ${label.key}: ${quoted} on the pod template`, edits: [edit], safe: false, preferred: true }]
    : [];
}

export const selectorMismatch: PodRule = {
  meta: {
    id: 'selector-mismatch',
    description:
      "A workload's spec.selector (matchLabels, matchExpressions) does not select its own template's labels: the API server rejects it.",
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    if (!selects(pod)) return;
    const object = ctx.document.yaml.getIn(pod.objectPath, true);
    const selectorNode = isMap(object) ? getMap(object, 'spec')?.get('selector', true) : undefined;
    if (!isMap(selectorNode) || selectorNode.items.length === 0) return; // missing: the schema's finding
    const plain = pod.kind === 'ReplicationController' && !pod.custom;
    // a ReplicationController's empty selector defaults to the labels; its selector may not be a LabelSelector
    if (!plain && !getMap(selectorNode, 'matchLabels') && !isSeq(selectorNode.get('matchExpressions', true))) return;
    const labels = new Map(metaEntries(pod.podMetadata, 'labels').map((e) => [e.key, e.value]));
    const labelsNode = getMap(pod.podMetadata, 'labels');
    const found = misses(selectorNode, labels, plain);
    for (const miss of found ?? []) {
      const label = miss.label;
      ctx.report({
        message: `${miss.message}; the API server rejects a ${pod.kind} whose selector does not match its template`,
        range: miss.range,
        related: [
          {
            range: labelsNode ? nodeRange(labelsNode) : pod.specRange,
            message: labelsNode ? "the template's labels" : 'the template has no labels',
          },
        ],
        ...(label ? { fixes: () => labelFix(ctx, pod, label) } : {}),
      });
    }
  },
};

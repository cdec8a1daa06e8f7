import { isMap, type YAMLMap } from 'yaml';
import { moveEntry } from '../fixes/metadata';
import { INJECTORS, metaEntries, type Injector, type MetaEntry } from '../model/sidecars';
import { getMap } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/**
 * The keys an injector reads from the pod it admits (sidecars.md). Only these: other keys under the
 * same prefixes also label workloads for their own sake (Linkerd's control plane labels itself
 * `linkerd.io/control-plane-component`).
 */
function injectionKeyOwner(key: string): Injector | undefined {
  if (key === 'sidecar.istio.io/inject') return INJECTORS.istio;
  if (key === 'linkerd.io/inject') return INJECTORS.linkerd;
  if (key.startsWith('dapr.io/')) return INJECTORS.dapr;
  if (key.startsWith('vault.hashicorp.com/agent-inject')) return INJECTORS.vault;
  if (key === 'sidecar.opentelemetry.io/inject' || key.startsWith('instrumentation.opentelemetry.io/inject-'))
    return INJECTORS.otel;
  return undefined;
}

export const injectionAnnotationPlacement: PodRule = {
  meta: {
    id: 'injection-annotation-placement',
    description:
      "A sidecar injection annotation or label on the workload's own metadata instead of the pod template's: the injector never sees it.",
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates',
  },
  scope: 'pod',
  check(pod, ctx) {
    if (pod.kind === 'Pod') return;
    // a controller that assembles the pod carries metadata its own way (Tekton copies a Task's and
    // a TaskRun's labels and annotations to the pod, Argo a WorkflowSpec's podMetadata): not judged
    if (pod.schema.parts) return;
    const holders: { metadata: YAMLMap; where: string }[] = [];
    if (pod.workloadMetadata) holders.push({ metadata: pod.workloadMetadata, where: `the ${pod.kind}'s metadata` });
    if (pod.kind === 'CronJob') {
      // the Job template's metadata is not the pod's either
      const obj = ctx.document.yaml.getIn(pod.objectPath, true);
      const jobMetadata = isMap(obj) ? getMap(getMap(getMap(obj, 'spec'), 'jobTemplate'), 'metadata') : undefined;
      if (jobMetadata) holders.push({ metadata: jobMetadata, where: "the Job template's metadata" });
    }
    const onPod = (field: 'labels' | 'annotations'): MetaEntry[] => metaEntries(pod.podMetadata, field);
    for (const { metadata, where } of holders) {
      for (const field of ['labels', 'annotations'] as const) {
        const podEntries = onPod(field);
        for (const entry of metaEntries(metadata, field)) {
          const injector = injectionKeyOwner(entry.key);
          if (!injector) continue;
          // Also on the pod template: the copy here is redundant, not lost.
          if (podEntries.some((e) => e.key === entry.key)) continue;
          const kind = field === 'labels' ? 'label' : 'annotation';
          const target = [...pod.specPath.slice(pod.objectPath.length, -1), 'metadata', field].join('.');
          ctx.report({
            message: `${injector.title} reads ${kind} "${entry.key}" from the pod, but it is set on ${where}, which the injector never sees; put it on ${target}`,
            range: entry.keyRange,
            data: { key: entry.key, field },
            fixes: () => {
              const template = ctx.document.yaml.getIn(pod.specPath.slice(0, -1), true);
              const edits = moveEntry(
                ctx.document.text,
                { metadata, field },
                { metadata: pod.podMetadata, holder: isMap(template) ? template : undefined, field },
                entry.key,
              );
              // safe: the injector then does what the key already asks, with no choice left to make
              return edits
                ? [{ title: `Move ${entry.key} to the pod template`, edits, safe: true, preferred: true }]
                : [];
            },
          });
        }
      }
    }
  },
};

import type { RelatedLocation, SetRule } from '../engine/types';
import { fileRange, objectRef, relationsOf, type SetObject, type SetPod } from '../workspace/relations';

function labelText(labels: ReadonlyMap<string, string>): string {
  return [...labels].map(([k, v]) => `${k}: ${v}`).join(', ');
}

/** The pods whose labels share the most of the selector's, best first (at most three). */
function nearest(selector: ReadonlyMap<string, string>, pods: readonly SetPod[]): SetPod[] {
  const score = (p: SetPod): number => [...selector].filter(([k, v]) => p.pod.labels.get(k) === v).length;
  const keys = (p: SetPod): number => [...selector.keys()].filter((k) => p.pod.labels.has(k)).length;
  return [...pods]
    .map((p) => ({ p, s: score(p) * 2 + keys(p) }))
    .filter((e) => e.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, 3)
    .map((e) => e.p);
}

function objectName(o: SetObject): string {
  return `${o.object.kind} ${o.object.name ?? '(unnamed)'}`;
}

function related(selector: ReadonlyMap<string, string>, pods: readonly SetPod[]): RelatedLocation[] {
  return nearest(selector, pods).map((p) => ({
    key: p.owner.key,
    range: fileRange(p.owner, p.pod.labelsRange),
    message: `${objectName(p.owner)}'s template labels: ${labelText(p.pod.labels) || 'none'}`,
  }));
}

export const serviceNoPods: SetRule = {
  meta: {
    id: 'service-no-pods',
    description:
      "A Service's selector selects no pod template in its namespace, while the files hold pod-bearing objects there: it has no endpoints.",
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
  },
  scope: 'set',
  tracked: true,
  check(members, ctx) {
    const rel = relationsOf(members);
    for (const { service, fact } of rel.routingServices()) {
      if (fact.selector.size === 0 || !fact.selectorKnown) continue;
      // what selects pods reads no more (the editor re-checks a Service when what it read changes)
      if (rel.selectedBy(service).length > 0) continue;
      const namespace = service.object.namespace;
      const pods = rel.podsIn(namespace);
      if (pods.length === 0) continue;
      // a label written as a placeholder may be the one it selects
      if (rel.unknownLabelsIn(namespace)) continue;
      if (rel.mayMakePodsIn(namespace)) continue;
      const where = namespace === '' ? 'without a namespace' : `in namespace ${namespace}`;
      ctx.report(service.key, {
        object: objectRef(service),
        message: `Service ${service.object.name ?? ''} selects ${labelText(fact.selector)}, and no pod template ${where} in these files carries those labels: the Service gets no endpoints`,
        range: fileRange(service, fact.selectorRange),
        related: related(fact.selector, pods),
      });
    }
  },
};

import type { SetRule } from '../engine/types';
import { fileRange, objectRef, relationsOf, type ReferencedKind } from '../workspace/relations';

/** What the pod does while the object is missing (kubelet and the controllers' behaviour). */
const EFFECT: Record<ReferencedKind, (via: string) => string> = {
  ConfigMap: (via) =>
    via.startsWith('volume')
      ? 'the pod stays in ContainerCreating until it exists'
      : 'the container fails with CreateContainerConfigError until it exists',
  Secret: (via) =>
    via === 'imagePullSecrets'
      ? 'the image is pulled without these credentials'
      : via.startsWith('volume')
        ? 'the pod stays in ContainerCreating until it exists'
        : 'the container fails with CreateContainerConfigError until it exists',
  PersistentVolumeClaim: () => 'the pod stays Pending until it exists',
  ServiceAccount: () => 'the API server refuses to create the pod until it exists',
};

/** Objects Kubernetes makes in every namespace itself. */
function madeByKubernetes(kind: ReferencedKind, name: string): boolean {
  // the root CA bundle the kube-controller-manager publishes (RootCAConfigMap, GA in 1.21)
  return kind === 'ConfigMap' && name === 'kube-root-ca.crt';
}

export const missingReference: SetRule = {
  meta: {
    id: 'missing-reference',
    description:
      'A ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount a pod needs is not in the files, which hold others of that kind in its namespace (optional: true is exempt).',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/configuration/configmap/#configmaps-and-pods',
  },
  scope: 'set',
  tracked: true,
  check(members, ctx) {
    const rel = relationsOf(members);
    for (const { owner, ref } of rel.references()) {
      const namespace = owner.object.namespace;
      if (ref.optional || madeByKubernetes(ref.kind, ref.name)) continue;
      // found: no more is read (the editor re-checks a pod when what it read changes)
      if (rel.named(ref.kind, namespace, ref.name).length > 0) continue;
      // an object kept elsewhere is no finding: only where the files keep that kind for this namespace
      const others = rel.ofKind(ref.kind, namespace);
      if (others.length === 0) continue;
      const names = [...new Set(others.map((o) => o.object.name).filter((n) => n !== undefined))];
      ctx.report(owner.key, {
        object: objectRef(owner),
        message: `${ref.kind} ${ref.name} (${ref.via}) is not in these files, which hold ${names.length === 1 ? `the ${ref.kind} ${names[0]}` : `${names.length} other ${ref.kind}s`} ${namespace === '' ? 'without a namespace' : `in namespace ${namespace}`}; ${EFFECT[ref.kind](ref.via)}`,
        range: fileRange(owner, ref.range),
        related: others.slice(0, 3).map((o) => ({
          key: o.key,
          range: fileRange(o, o.object.range),
          message: `${o.object.kind} ${o.object.name ?? '(unnamed)'}`,
        })),
      });
    }
  },
};

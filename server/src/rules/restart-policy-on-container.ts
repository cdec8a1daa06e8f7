import { convertToNativeSidecar, removeContainerField } from '../fixes/native-sidecar';
import { containerLabel } from '../model/describe';
import { getPair, keyRange } from '../model/yaml-nodes';
import type { Fix, PodRule, Severity } from '../engine/types';

/**
 * The verdict depends on the target version (KEP-5307, container restart rules):
 * - before 1.34 the API server rejects `restartPolicy` on a regular container: an error;
 * - in 1.34 it is accepted only where the alpha ContainerRestartRules gate is switched on (it is off
 *   by default, and off on every managed offering): a warning, since the file may be meant for
 *   such a cluster, but most clusters reject it;
 * - from 1.35 the gate is beta and on: the field is legitimate (it says how this one container
 *   restarts). Only `Always` is still worth a word, as advice: it is what people write when they
 *   want a sidecar, and it does not make one (the container starts with the app, not before it,
 *   and a Job still waits for it).
 * Native sidecars need 1.29, so the conversion is offered from there.
 */
export const restartPolicyOnContainer: PodRule = {
  meta: {
    id: 'restart-policy-on-container',
    description:
      'restartPolicy on a regular container: forbidden before 1.34, and it never makes a container a sidecar.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const policy = container.restartPolicy;
      if (container.list !== 'containers' || !policy) continue;
      const wantsSidecar = policy.value === 'Always';
      const notSidecar = wantsSidecar
        ? `; it does not make ${containerLabel(container)} a sidecar either: a native sidecar is an init container with restartPolicy: Always`
        : '';
      let severity: Severity;
      let message: string;
      if (ctx.minor < 34) {
        severity = 'error';
        message = `restartPolicy is not allowed on a regular container before Kubernetes 1.34: the API server rejects the pod${notSidecar}`;
      } else if (ctx.minor === 34) {
        severity = 'warning';
        message = `restartPolicy on a regular container needs the ContainerRestartRules feature gate (alpha in 1.34, off by default); without it the API server rejects the pod${notSidecar}`;
      } else if (wantsSidecar) {
        severity = 'info';
        message = `restartPolicy: Always only sets how ${containerLabel(container)} restarts; it stays a regular container, not a sidecar: it does not start before the app, and a Job still waits for it to exit`;
      } else {
        continue;
      }
      const doc = ctx.document;
      const minor = ctx.minor;
      ctx.report({
        message,
        severity,
        range: keyRange(getPair(container.node, 'restartPolicy')) ?? policy.range,
        fixes: () => {
          const fixes: Fix[] = [];
          const convert = minor >= 29 ? convertToNativeSidecar(doc, pod, container) : undefined;
          if (convert)
            fixes.push({
              title: `Move ${containerLabel(container)} to initContainers as a native sidecar`,
              edits: convert,
              safe: false,
              preferred: wantsSidecar,
            });
          const remove = removeContainerField(doc, container, 'restartPolicy');
          // Dropping a value the API server rejects changes nothing the pod ever did, unless it was
          // `Always`: that one speaks of a wish for a sidecar, which only a person can settle.
          if (remove)
            fixes.push({
              title: 'Remove restartPolicy',
              edits: remove,
              safe: minor < 34 && !wantsSidecar,
              preferred: !wantsSidecar,
            });
          return fixes;
        },
      });
    }
  },
};

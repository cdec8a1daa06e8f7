import { removePair, replaceScalar } from '../fixes/edits';
import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import { getNode } from '../model/yaml-nodes';
import type { ContainerModel } from '../model/types';
import type { Fix, PodRule } from '../engine/types';

/** KEP-5307 lets 1.34 accept other values (container restart rules); before that only `Always` passes. */
const OTHER_VALUES_FROM_MINOR = 34;

/**
 * Both ways out change what the container is, so neither is applied unattended: `Always` turns it
 * into a native sidecar that is restarted whenever it exits; without the field it runs once, to
 * completion, before the next init container.
 */
function fixes(text: string, container: ContainerModel): Fix[] {
  const out: Fix[] = [];
  const always = replaceScalar(getNode(container.node, 'restartPolicy'), 'Always');
  if (always) out.push({ title: 'Set restartPolicy: Always (make it a native sidecar)', edits: [always], safe: false });
  const remove = removePair(text, container.node, 'restartPolicy');
  if (remove)
    out.push({
      title: 'Remove restartPolicy (an init container that runs to completion)',
      edits: [remove],
      safe: false,
    });
  return out;
}

export const initRestartPolicyValue: PodRule = {
  meta: {
    id: 'init-restart-policy-value',
    description:
      'An init container restartPolicy other than Always (before 1.34): the only value the API server accepts there.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  },
  scope: 'pod',
  check(pod, ctx) {
    if (ctx.minor >= OTHER_VALUES_FROM_MINOR) return;
    for (const container of pod.containers) {
      const policy = container.restartPolicy;
      if (container.list !== 'initContainers' || !policy || policy.value === 'Always') continue;
      // `restartPolicy: $(params.policy)`: known once the placeholder is filled in
      if (hasPlaceholder(policy.value)) continue;
      ctx.report({
        message:
          `init container ${containerLabel(container)} has restartPolicy "${policy.value}"; before Kubernetes 1.34 ` +
          'the API server accepts only "Always" here (which makes it a native sidecar). Remove the field for an ' +
          'init container that runs to completion',
        range: policy.range,
        data: { value: policy.value },
        fixes: () => fixes(ctx.document.text, container),
      });
    }
  },
};

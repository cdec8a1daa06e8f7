import { replaceScalar } from '../fixes/edits';
import { containerLabel } from '../model/describe';
import { containerProbes, PROBE_HANDLERS } from '../model/probes';
import { getInteger, getNode } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

export const probeShape: PodRule = {
  meta: {
    id: 'probe-shape',
    description:
      'A probe without exactly one handler (exec, httpGet, tcpSocket, grpc), or a liveness or startup probe with successThreshold other than 1.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      for (const probe of containerProbes(container)) {
        const where = `${probe.kind} of container ${containerLabel(container)}`;
        const [first, ...extra] = probe.handlers;
        if (!first && !probe.merged) {
          ctx.report({
            message: `${where} has no handler; the API server requires exactly one of ${PROBE_HANDLERS.join(', ')}`,
            range: probe.keyRange,
          });
        }
        for (const handler of extra) {
          ctx.report({
            message: `${where} has a second handler (${handler.handler}) besides ${first!.handler}; the API server accepts exactly one`,
            range: handler.keyRange,
            related: [{ range: first!.keyRange, message: `the first handler, ${first!.handler}` }],
          });
        }
        // A liveness or startup probe's first success is its verdict: the API server pins successThreshold
        // to 1 (0 is defaulted to 1 before validation, so it passes).
        if (probe.kind === 'readinessProbe') continue;
        const threshold = getInteger(probe.node, 'successThreshold');
        if (threshold && threshold.value !== 1 && threshold.value !== 0) {
          ctx.report({
            message: `successThreshold of a ${probe.kind} must be 1 (the API server rejects ${threshold.value})`,
            range: threshold.range,
            fixes: () => {
              const edit = replaceScalar(getNode(probe.node, 'successThreshold'), '1');
              // 1 is the only value the API server takes here: nothing to judge.
              return edit ? [{ title: 'Set successThreshold: 1', edits: [edit], safe: true, preferred: true }] : [];
            },
          });
        }
      }
    }
  },
};

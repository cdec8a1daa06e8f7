import { isScalar } from 'yaml';
import { containerLabel } from '../model/describe';
import { injectionRequests, metaEntries } from '../model/sidecars';
import type { Range } from '../model/types';
import { getInteger, getMap, getSeq, getPair, keyRange, nodeRange } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/** The kubelet's default when terminationGracePeriodSeconds is unset. */
const DEFAULT_GRACE = 30;

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };
/** `sleep 30`, `/usr/bin/sleep 1m` as a command (alone or within a script), not `sleep $X`. */
const SLEEP = /(?:^|[\s;&|(/])sleep\s+(\d+(?:\.\d+)?)([smh]?)(?=$|[\s;&|)])/;

interface Sleep {
  seconds: number;
  range: Range;
}

/** The longest `sleep N` of an exec preStop hook; the range is the command item that holds it. */
function execSleep(command: ReturnType<typeof getSeq>): Sleep | undefined {
  if (!command) return undefined;
  // Items are joined with spaces, so `["sleep", "30"]` reads as one command line.
  let text = '';
  const spans: { from: number; range: Range }[] = [];
  for (const item of command.items) {
    // a number is the schema rule's error, but it still says how long the hook sleeps
    if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number')) continue;
    spans.push({ from: text.length, range: nodeRange(item) });
    text += String(item.value) + ' ';
  }
  let best: Sleep | undefined;
  const re = new RegExp(SLEEP.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const seconds = Number(m[1]) * UNIT_SECONDS[m[2] ?? '']!;
    const at = m.index + m[0].indexOf('sleep');
    const span = spans.filter((s) => s.from <= at).pop();
    if (span && (!best || seconds > best.seconds)) best = { seconds, range: span.range };
  }
  return best;
}

export const gracePeriodBudget: PodRule = {
  meta: {
    id: 'grace-period-budget',
    description:
      'dapr.io/graceful-shutdown-seconds, or a preStop sleep, longer than terminationGracePeriodSeconds (30 when unset): the kubelet kills the pod first.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-execution',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    const gracePair = getPair(pod.spec, 'terminationGracePeriodSeconds');
    const graceValue = getInteger(pod.spec, 'terminationGracePeriodSeconds');
    // a value we cannot read (a string, a template) is the schema rule's business
    if (gracePair && !graceValue) return;
    const grace = graceValue?.value ?? DEFAULT_GRACE;
    const graceText = graceValue
      ? `terminationGracePeriodSeconds is ${grace}`
      : `the default grace period is ${grace}s`;
    const related = graceValue
      ? [{ range: keyRange(gracePair) ?? graceValue.range, message: `terminationGracePeriodSeconds: ${grace}` }]
      : undefined;
    const over = (message: string, range: Range): void =>
      ctx.report(related ? { message, range, related } : { message, range });

    if (injectionRequests(pod).some((r) => r.injector.id === 'dapr')) {
      const shutdown = metaEntries(pod.podMetadata, 'annotations').find(
        (e) => e.key === 'dapr.io/graceful-shutdown-seconds',
      );
      const seconds = shutdown && /^\d+$/.test(shutdown.value.trim()) ? Number(shutdown.value) : undefined;
      if (shutdown && seconds !== undefined && seconds > grace) {
        over(
          `Dapr's sidecar waits up to ${seconds}s to shut down, but ${graceText}: the kubelet kills the pod before Dapr finishes`,
          shutdown.valueRange,
        );
      }
    }

    for (const container of pod.containers) {
      // init containers (other than native sidecars) and ephemeral ones get no preStop hook
      if (container.role !== 'regular' && container.role !== 'sidecar') continue;
      const preStop = getMap(getMap(container.node, 'lifecycle'), 'preStop');
      if (!preStop) continue;
      // the sleep handler (1.29+) and an exec'd sleep both spend the grace period before SIGTERM
      const handler = getInteger(getMap(preStop, 'sleep'), 'seconds');
      const sleep: Sleep | undefined = handler
        ? { seconds: handler.value, range: handler.range }
        : execSleep(getSeq(getMap(preStop, 'exec'), 'command'));
      if (!sleep || sleep.seconds <= grace) continue;
      over(
        `the preStop hook of ${containerLabel(container)} sleeps ${sleep.seconds}s, but ${graceText}: the kubelet kills the container before the hook ends and before it sees SIGTERM`,
        sleep.range,
      );
    }
  },
};

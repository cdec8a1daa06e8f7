import { trueFlagRange } from '../model/yaml-nodes';
import type { PodRule } from './types';

export interface PodSwitch {
  id: string;
  /** The pod spec field, e.g. `hostNetwork`. */
  field: string;
  description: string;
  /** What turning the switch on exposes, and when it is deliberate. */
  message: string;
  docs: string;
}

/**
 * A posture rule for a pod-wide switch that opens something of the node to the pod (hostNetwork,
 * hostPID, hostIPC): a warning on `field: true`, marking the setting from key to value. The rules
 * differ only in what they say, so their logic is written once.
 */
export function podSwitchRule({ id, field, description, message, docs }: PodSwitch): PodRule {
  return {
    meta: { id, description, defaultSeverity: 'warning', posture: true, fixable: false, docs },
    scope: 'pod',
    check(pod, ctx) {
      const range = trueFlagRange(pod.spec, field);
      if (range) ctx.report({ message, range });
    },
  };
}

import { containerLabel } from '../model/containers';
import { portNameProblem, portNames } from '../model/ports';
import type { Located } from '../model/types';
import type { PodRule } from './types';

export const portName: PodRule = {
  meta: {
    id: 'port-name',
    description:
      'A port name that is not an IANA service name (1-15 of a-z, 0-9 and -, a letter, no edge or double hyphen), or a name used twice in one container.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports',
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const first = new Map<string, Located<string>>();
      for (const name of portNames(container)) {
        const problem = portNameProblem(name.value);
        if (problem) {
          ctx.report({
            message: `port name "${name.value}" of container ${containerLabel(container)} ${problem}; the API server wants an IANA service name`,
            range: name.range,
            data: { name: name.value },
          });
        }
        const earlier = first.get(name.value);
        if (earlier) {
          ctx.report({
            message: `port name "${name.value}" is used twice in container ${containerLabel(container)}; names must be unique within a container`,
            range: name.range,
            related: [{ range: earlier.range, message: `first "${name.value}"` }],
          });
        } else {
          first.set(name.value, name);
        }
      }
    }
  },
};

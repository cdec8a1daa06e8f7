import type { Scalar } from 'yaml';
import { replaceScalar } from '../fixes/edits';
import { scalarText } from '../fixes/scalar-text';
import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import { portNameProblem, portNames } from '../model/ports';
import { namedPortRefs } from '../model/probes';
import type { ContainerModel, Located } from '../model/types';
import type { Fix, PodRule } from '../engine/types';

/**
 * Lower-cases a port name, with the probe and lifecycle-hook ports of the same container that name
 * it (the kubelet resolves them in that container, case-sensitively). Offered only when the result
 * is a valid name not yet used in the container. Not safe unattended: references from outside the
 * pod (a PodMonitor's `port`, a NetworkPolicy) may name it too.
 */
function lowerCase(container: ContainerModel, name: Located<string> & { node: Scalar }): Fix[] {
  const lower = name.value.toLowerCase();
  if (lower === name.value || portNameProblem(lower)) return [];
  if (portNames(container).some((n) => n.value === lower)) return [];
  const edits = [
    name.node,
    ...namedPortRefs(container)
      .filter((r) => r.value === name.value)
      .map((r) => r.node),
  ]
    .map((node) => replaceScalar(node, scalarText(node, lower)))
    .filter((e) => e !== undefined);
  return [{ title: `Rename port "${name.value}" to "${lower}"`, edits, safe: false, preferred: true }];
}

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
        // a placeholder's name is known once it is filled in; one written twice is still twice the same
        const problem = hasPlaceholder(name.value) ? undefined : portNameProblem(name.value);
        if (problem) {
          ctx.report({
            message: `port name "${name.value}" of container ${containerLabel(container)} ${problem}; the API server wants an IANA service name`,
            range: name.range,
            data: { name: name.value },
            fixes: () => lowerCase(container, name),
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

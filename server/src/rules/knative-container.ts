import { containerLabel } from '../model/describe';
import { getSeq, getString, mapItems } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

// What Knative Serving's webhook rejects in a revision's containers (knative/serving
// pkg/apis/serving/k8s_validation.go): the queue-proxy beside the app takes a name, ports and
// environment variables of its own, and routes traffic to exactly one port of one container.

/** The queue-proxy's and the activator's ports, and the profiling port. */
const RESERVED_PORTS = new Set([8012, 8013, 8022, 9090, 9091, 8008]);
/** Port names Knative reads for content negotiation; no other name is allowed. */
const PORT_NAMES = new Set(['h2c', 'http1']);
/** Set by Knative in the serving container; the sidecars' may not set the K_ ones either. */
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']);

export const knativeContainer: PodRule = {
  meta: {
    id: 'knative-container',
    description:
      "A Knative revision's containers break its webhook's rules: more than one port, or ports on more than one container, a port name other than h2c or http1, a port Knative reserves, the name queue-proxy, a reserved environment variable.",
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://knative.dev/docs/serving/reference/serving-api/',
  },
  scope: 'pod',
  check(pod, ctx) {
    if (pod.custom?.group !== 'serving.knative.dev') return;
    const containers = pod.containers.filter((c) => c.list === 'containers');
    const withPorts = containers.filter((c) => c.ports.length > 0);
    if (containers.length > 1 && withPorts.length > 1) {
      for (const c of withPorts.slice(1)) {
        ctx.report({
          message: `${containerLabel(c)} declares ports, as does ${containerLabel(withPorts[0]!)}: Knative sends traffic to one port of one container, so only the serving container may declare ports`,
          range: c.ports[0]!.range,
        });
      }
    }
    for (const c of containers) {
      if (c.name?.value === 'queue-proxy') {
        ctx.report({
          message:
            '"queue-proxy" is a reserved container name: Knative adds a container of that name to every revision',
          range: c.name.range,
        });
      }
      const serving = c.ports.length > 0 || containers.length === 1;
      for (const { node } of mapItems(getSeq(c.node, 'env'))) {
        const env = getString(node, 'name');
        if (!env || !RESERVED_ENV.has(env.value) || (env.value === 'PORT' && !serving)) continue;
        ctx.report({
          message: `"${env.value}" is a reserved environment variable: Knative sets it in the revision's ${serving ? 'serving container' : 'containers'}`,
          range: env.range,
        });
      }
      if (c.ports.length === 0) continue;
      for (const extra of c.ports.slice(1)) {
        ctx.report({
          message: `${containerLabel(c)} declares more than one port: Knative allows a single port, the one its queue-proxy forwards requests to`,
          range: extra.range,
        });
      }
      const port = c.ports[0]!;
      const name = port.name?.value;
      if (name !== undefined && !PORT_NAMES.has(name)) {
        ctx.report({
          message: `port name "${name}" is not allowed: Knative reads the name for the protocol, h2c (HTTP/2) or http1, or none`,
          range: port.name!.range,
        });
      }
      if (port.containerPort && RESERVED_PORTS.has(port.containerPort.value)) {
        ctx.report({
          message: `port ${port.containerPort.value} is reserved by Knative (its queue-proxy and profiling ports are 8012, 8013, 8022, 9090, 9091 and 8008)`,
          range: port.containerPort.range,
        });
      }
      if (port.protocol !== 'TCP') {
        ctx.report({
          message: `protocol ${port.protocol} is not allowed: Knative serves TCP only`,
          range: port.range,
        });
      }
    }
  },
};

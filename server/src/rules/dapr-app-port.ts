import { containerLabel } from '../model/containers';
import { injectionRequests, metaEntries } from '../model/sidecars';
import type { PodRule } from './types';

const APP_PORT = 'dapr.io/app-port';

export const daprAppPort: PodRule = {
  meta: {
    id: 'dapr-app-port',
    description: 'dapr.io/app-port matches no containerPort of the pod, so daprd calls a port nothing declares.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://docs.dapr.io/reference/arguments-annotations-overview/',
  },
  scope: 'pod',
  check(pod, ctx) {
    // Without dapr.io/enabled nothing reads the annotation.
    if (!injectionRequests(pod).some((r) => r.injector.id === 'dapr')) return;
    const annotation = metaEntries(pod.podMetadata, 'annotations').find((e) => e.key === APP_PORT);
    if (!annotation) return;
    const declared = pod.containers.flatMap((c) =>
      c.role === 'ephemeral'
        ? []
        : c.ports.flatMap((p) => (p.containerPort ? [{ container: c, port: p.containerPort }] : [])),
    );
    const text = annotation.value.trim();
    if (!/^\d{1,5}$/.test(text)) {
      ctx.report({
        message: `${APP_PORT} "${annotation.value}" is not a port number; daprd cannot reach the app`,
        range: annotation.valueRange,
      });
      return;
    }
    // Ports are informational in Kubernetes: with none declared there is nothing to compare against.
    if (declared.length === 0 || declared.some((d) => d.port.value === Number(text))) return;
    ctx.report({
      message:
        `${APP_PORT} is ${text}, but no container of the pod declares containerPort ${text} ` +
        `(declared: ${declared.map((d) => `${d.port.value} in ${containerLabel(d.container)}`).join(', ')}); ` +
        `daprd sends the app's requests to localhost:${text}`,
      range: annotation.valueRange,
      related: declared.map((d) => ({
        range: d.port.range,
        message: `containerPort ${d.port.value} of ${containerLabel(d.container)}`,
      })),
    });
  },
};

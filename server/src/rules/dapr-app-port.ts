import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import { portsKnown } from '../model/ports';
import { injectionRequests, metaEntries } from '../model/sidecars';
import type { PodRule } from '../engine/types';

const APP_PORT = 'dapr.io/app-port';

export const daprAppPort: PodRule = {
  meta: {
    id: 'dapr-app-port',
    description: 'dapr.io/app-port matches no containerPort of the pod, so daprd calls a port nothing declares.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://docs.dapr.io/reference/arguments-annotations-overview/',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    // Without dapr.io/enabled nothing reads the annotation.
    if (!injectionRequests(pod).some((r) => r.injector.id === 'dapr')) return;
    const annotation = metaEntries(pod.podMetadata, 'annotations').find((e) => e.key === APP_PORT);
    if (!annotation) return;
    // daprd calls the app while the app runs: the ports of regular containers and native sidecars.
    const declared = pod.containers.flatMap((c) =>
      c.role === 'regular' || c.role === 'sidecar'
        ? c.ports.flatMap((p) => (p.containerPort ? [{ container: c, port: p.containerPort }] : []))
        : [],
    );
    const text = annotation.value.trim();
    // An empty value means no app port, as when the annotation is left out; a placeholder's port
    // is known once it is filled in.
    if (text === '' || hasPlaceholder(text)) return;
    if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
      ctx.report({
        message: `${APP_PORT} "${annotation.value}" is not a port number; daprd cannot reach the app`,
        range: annotation.valueRange,
      });
      return;
    }
    // Ports are informational in Kubernetes: with none declared (or some hidden behind aliases)
    // there is nothing reliable to compare against.
    if (declared.length === 0 || !pod.containers.every(portsKnown)) return;
    if (declared.some((d) => d.port.value === Number(text))) return;
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

import { metaEntries } from '../model/sidecars';
import type { PodRule } from './types';

export const istioInjectAnnotation: PodRule = {
  meta: {
    id: 'istio-inject-annotation',
    description: 'sidecar.istio.io/inject as an annotation: deprecated, the label of the same name replaces it.',
    defaultSeverity: 'info',
    fixable: true,
    docs: 'https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy',
  },
  scope: 'pod',
  check(pod, ctx) {
    const annotation = metaEntries(pod.podMetadata, 'annotations').find((e) => e.key === 'sidecar.istio.io/inject');
    if (!annotation) return;
    const label = metaEntries(pod.podMetadata, 'labels').find((e) => e.key === 'sidecar.istio.io/inject');
    const report = {
      message:
        'the sidecar.istio.io/inject annotation is deprecated; Istio reads the label of the same name first, so set it as a label',
      range: annotation.keyRange,
    };
    if (!label) {
      ctx.report(report);
    } else if (label.value === annotation.value) {
      ctx.report({ ...report, related: [{ range: label.keyRange, message: 'the label already says the same' }] });
    } else {
      ctx.report({
        ...report,
        message: `the sidecar.istio.io/inject annotation ("${annotation.value}") is deprecated and ignored here: the label says "${label.value}", and the label wins`,
        related: [{ range: label.keyRange, message: 'the label Istio follows' }],
      });
    }
  },
};

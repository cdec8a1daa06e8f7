import { moveEntry, removeEntry } from '../fixes/metadata';
import { metaEntries } from '../model/sidecars';
import type { Fix } from '../engine/types';
import type { PodRule } from '../engine/types';

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
    const metadata = pod.podMetadata;
    if (!annotation || !metadata) return;
    const label = metaEntries(pod.podMetadata, 'labels').find((e) => e.key === 'sidecar.istio.io/inject');
    const text = ctx.document.text;
    const key = 'sidecar.istio.io/inject';
    // Istio reads the label before the annotation, so both fixes keep what the pod gets.
    const move = (): Fix[] => {
      const edits = moveEntry(
        text,
        { metadata, field: 'annotations' },
        { metadata, holder: undefined, field: 'labels' },
        key,
      );
      return edits ? [{ title: 'Make it a label', edits, safe: true, preferred: true }] : [];
    };
    const drop = (): Fix[] => {
      const edit = removeEntry(text, metadata, 'annotations', key);
      return edit
        ? [{ title: 'Remove the annotation (the label is set)', edits: [edit], safe: true, preferred: true }]
        : [];
    };
    const report = {
      message:
        'the sidecar.istio.io/inject annotation is deprecated; Istio reads the label of the same name first, so set it as a label',
      range: annotation.keyRange,
    };
    if (!label) {
      ctx.report({ ...report, fixes: move });
    } else if (label.value === annotation.value) {
      ctx.report({
        ...report,
        related: [{ range: label.keyRange, message: 'the label already says the same' }],
        fixes: drop,
      });
    } else {
      ctx.report({
        ...report,
        fixes: drop,
        message: `the sidecar.istio.io/inject annotation ("${annotation.value}") is deprecated and ignored here: the label says "${label.value}", and the label wins`,
        related: [{ range: label.keyRange, message: 'the label Istio follows' }],
      });
    }
  },
};

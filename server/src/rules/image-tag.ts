import { containerLabel } from '../model/describe';
import { maskPlaceholders } from '../model/placeholders';
import type { PodRule } from '../engine/types';

/** Where a placeholder stood in the masked image. */
const MARK = '\u0000';

/**
 * The tag of an image reference, '' when it has none; undefined when pinned by digest, or when a
 * placeholder may bring the tag: it is the tag (`app:${TAG}`), or it ends the name without one
 * (`${IMAGE}`, `$(params.image)`, `registry/{{inputs.parameters.app}}`).
 */
function tagOf(written: string): string | undefined {
  // placeholders masked first: `${IMAGE:-nginx}` holds a colon that is no tag's
  const image = maskPlaceholders(written, MARK);
  if (image.includes('@')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  // a colon before the last slash is a registry port (`host:5000/app`), not a tag
  const tag = colon > slash ? image.slice(colon + 1) : '';
  const known = tag === '' ? image.slice(slash + 1) : tag;
  return known.includes(MARK) ? undefined : tag;
}

export const imageTag: PodRule = {
  meta: {
    id: 'image-tag',
    description:
      'An image with no tag or the tag latest (a digest is fine): what runs changes without the manifest changing.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    posture: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    for (const container of pod.containers) {
      const image = container.image;
      if (!image || image.value.trim() === '') continue;
      const tag = tagOf(image.value.trim());
      if (tag === undefined || (tag !== '' && tag !== 'latest')) continue;
      const what = tag === '' ? 'has no tag, so it means :latest' : 'uses the tag latest';
      ctx.report({
        message: `image "${image.value}" of ${containerLabel(container)} ${what}: the node may run a different build at each pull; pin a version or a digest`,
        range: image.range,
      });
    }
  },
};

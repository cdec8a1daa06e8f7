import { removePair, removeSeqItem } from '../fixes/edits';
import { mayHide } from '../model/aliases';
import { hasPlaceholder } from '../model/placeholders';
import { metaEntries } from '../model/sidecars';
import { getSeq } from '../model/yaml-nodes';
import type { PodRule } from '../engine/types';

/**
 * Annotations through which an injector mounts pod volumes into the container it adds:
 * Dapr's `dapr.io/volume-mounts` and `dapr.io/volume-mounts-rw` (`name:/path,...`) and Istio's
 * `sidecar.istio.io/userVolumeMount` (JSON, keyed or listed by volume name).
 */
const MOUNTING_ANNOTATIONS = ['dapr.io/volume-mounts', 'dapr.io/volume-mounts-rw', 'sidecar.istio.io/userVolumeMount'];

/**
 * Volumes an injected sidecar mounts by name, with the annotation that asks for the injection: GKE's
 * Cloud Storage FUSE sidecar takes custom cache, temp and buffer volumes of these names
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-sidecar).
 */
const CONVENTIONAL: readonly { annotation: string; names: readonly string[] }[] = [
  { annotation: 'gke-gcsfuse/volumes', names: ['gke-gcsfuse-cache', 'gke-gcsfuse-tmp', 'gke-gcsfuse-buffer'] },
];

/** Whether `text` names `name` as a whole token (volume names are DNS labels). */
function mentions(text: string, name: string): boolean {
  let at = text.indexOf(name);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if ((before === undefined || !/[a-z0-9.-]/i.test(before)) && (after === undefined || !/[a-z0-9.-]/i.test(after)))
      return true;
    at = text.indexOf(name, at + 1);
  }
  return false;
}

export const unusedVolume: PodRule = {
  meta: {
    id: 'unused-volume',
    description:
      'A volume that no container mounts and no injector annotation (dapr.io/volume-mounts*, sidecar.istio.io/userVolumeMount) names.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    // mounts the model cannot see (an aliased list, a merged-in container) may use any volume
    if (pod.containers.some((c) => mayHide(c.node, 'volumeMounts'))) return;
    const mounted = new Set(pod.containers.flatMap((c) => c.mounts.flatMap((m) => (m.name ? [m.name.value] : []))));
    // a spec patch the controller merges in (Argo's podSpecPatch) may mount it
    for (const name of pod.specPatch?.mounted ?? []) mounted.add(name);
    // A mount named by a placeholder (`name: ${VOLUME}`) may mount any volume once it is filled in,
    // and a volume named by one may be any mounted one: neither is compared.
    if ([...mounted].some((name) => hasPlaceholder(name))) return;
    const annotations = metaEntries(pod.podMetadata, 'annotations');
    const injected = annotations.filter((e) => MOUNTING_ANNOTATIONS.includes(e.key)).map((e) => e.value);
    for (const { annotation, names } of CONVENTIONAL) {
      if (annotations.some((e) => e.key === annotation && /^true$/i.test(e.value)))
        names.forEach((n) => mounted.add(n));
    }
    for (const volume of pod.volumes) {
      const name = volume.name;
      // A claim template is left alone: StatefulSet claim templates cannot be changed in place, and
      // their claims outlive the pods, so an unmounted one is a storage decision, not a leftover.
      if (!name || volume.source === 'volumeClaimTemplate' || hasPlaceholder(name.value)) continue;
      // declared for all of an Argo Workflow's templates: one template not mounting it is no leftover
      if (volume.shared) continue;
      if (mounted.has(name.value) || injected.some((text) => mentions(text, name.value))) continue;
      ctx.report({
        message: `volume "${name.value}" is not mounted by any container of the pod`,
        range: name.range,
        data: { volume: name.value },
        fixes: () => {
          const text = ctx.document.text;
          const volumes = getSeq(pod.spec, 'volumes');
          // the last volume takes the `volumes:` key with it rather than leave it null
          const only = volumes?.items.length === 1;
          const edit =
            only && pod.spec
              ? removePair(text, pod.spec, 'volumes')
              : volumes && removeSeqItem(text, volumes, volume.index);
          // Not safe unattended: on save, a volume just declared and not mounted yet would vanish.
          return edit ? [{ title: `Remove volume "${name.value}"`, edits: [edit], safe: false }] : [];
        },
      });
    }
  },
};

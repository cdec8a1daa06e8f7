import { appendSeqItem, insertPair, isBlockSeq } from '../fixes/edits';
import { mayHide } from '../model/aliases';
import { containerLabel } from '../model/describe';
import { hasPlaceholder } from '../model/placeholders';
import type { DocumentModel, PodModel } from '../model/types';
import { getPair } from '../model/yaml-nodes';
import type { Fix, PodRule, Report, TextEditSpec } from '../engine/types';

export const missingVolume: PodRule = {
  meta: {
    id: 'missing-volume',
    description: 'A volumeMounts[].name or volumeDevices[].name with no volume of that name.',
    defaultSeverity: 'error',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/storage/volumes/',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    // volumes the model cannot see (an alias, a merge key, a placeholder) may be any of the mounted ones
    if (mayHide(pod.spec, 'volumes')) return;
    // a Tekton Task's volumes may come from the podTemplate of the run that runs it
    if (pod.custom?.volumesElsewhere) return;
    const volumes = new Set(pod.volumes.flatMap((v) => (v.name ? [v.name.value] : [])));
    // A volume named by a placeholder (`name: $(params.volume)`) may be any of the mounted ones once
    // it is filled in, and a mount named by one may mount any volume: neither is compared.
    if ([...volumes].some((name) => hasPlaceholder(name))) return;
    // a spec patch the controller merges in (Argo's podSpecPatch) adds volumes of its own
    for (const name of pod.specPatch?.volumes ?? []) volumes.add(name);
    for (const container of pod.containers) {
      for (const mount of container.mounts) {
        if (!mount.name || volumes.has(mount.name.value) || hasPlaceholder(mount.name.value)) continue;
        const who =
          container.name || container.clusterName ? `container ${containerLabel(container)}` : 'this container';
        const name = mount.name.value;
        const document = ctx.document;
        const report: Report = {
          message: `${who} mounts volume "${name}", but the pod declares no volume of that name`,
          range: mount.name.range,
          data: { volume: name },
        };
        // a block device needs a PersistentVolumeClaim in block mode: no volume we could guess
        if (mount.list === 'volumeMounts') report.fixes = () => addEmptyDir(document, pod, name);
        ctx.report(report);
      }
    }
  },
};

/**
 * Adds `- name: N, emptyDir: {}` to the pod's volumes, creating `volumes:` when the spec has none.
 * Not safe for a fix-all: the mount may have meant a ConfigMap, a Secret or a claim, and an emptyDir
 * quietly loses its data with the pod.
 */
function addEmptyDir(document: DocumentModel, pod: PodModel, name: string): Fix[] {
  if (!pod.spec) return [];
  const item = `name: ${yamlString(name)}\nemptyDir: {}`;
  const pair = getPair(pod.spec, 'volumes');
  let edit: TextEditSpec | undefined;
  if (!pair) edit = insertPair(document.text, pod.spec, 'volumes', { seq: `- ${item.replace('\n', '\n  ')}` });
  else if (isBlockSeq(pair.value)) edit = appendSeqItem(document.text, pair.value, item);
  if (!edit) return []; // `volumes: []`, `volumes:` with nothing, a flow map spec: decline rather than guess
  return [{ title: `Add an emptyDir volume "${name}"`, edits: [edit], safe: false, preferred: true }];
}

/** A volume name as YAML: plain when it is a DNS label (what a valid name is), quoted otherwise. */
function yamlString(s: string): string {
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s) && !/^[0-9.]+$/.test(s) ? s : JSON.stringify(s);
}

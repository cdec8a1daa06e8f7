// Quick fixes on a container's volume mounts, shared by the rules that ask for read-only mounts.
import { isMap, type YAMLMap } from 'yaml';
import type { ContainerModel, MountModel } from '../model/types';
import { getSeq } from '../model/yaml-nodes';
import type { Fix } from '../engine/types';
import { setScalar } from './edits';

/** The YAML map a mount was built from (the model keeps its range, not its node). */
function mountNode(container: ContainerModel, mount: MountModel): YAMLMap | undefined {
  const seq = getSeq(container.node, mount.list);
  return seq?.items.find(
    (item): item is YAMLMap =>
      isMap(item) && item.range?.[0] === mount.range.start && item.range[1] === mount.range.end,
  );
}

/**
 * `readOnly: true` on one mount. Not safe unattended: whether the container must write there is a
 * judgement only its author can make (a log shipper may keep its position file beside the logs).
 */
export function readOnlyFixes(text: string, container: ContainerModel, mount: MountModel): Fix[] {
  const node = mountNode(container, mount);
  const edit = node && setScalar(text, node, 'readOnly', 'true');
  return edit ? [{ title: 'Mount it read-only (readOnly: true)', edits: [edit], safe: false, preferred: true }] : [];
}

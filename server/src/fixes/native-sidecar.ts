// The edits behind the native-sidecar quick fixes: turn a container of `containers` into a native
// sidecar (an init container with `restartPolicy: Always`), mark an init container as one, move a
// sidecar earlier in `initContainers`, remove a field. Each returns undefined when it cannot do
// the job without risk to the document (flow style, odd layout, a list that would be left empty).
import { isMap, isPair, isScalar, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { mayHide } from '../model/aliases';
import { getPair } from '../model/yaml-nodes';
import type { ContainerModel, DocumentModel, PodModel } from '../model/types';
import { containerLabel } from '../model/describe';
import type { Fix, TextEditSpec } from '../engine/types';
import { eolOf, isBlockSeq, removePair, setScalar } from './edits';
import {
  blockText,
  deleteBlock,
  holdsReferences,
  linesAt,
  pairBlock,
  reindent,
  seqItemBlock,
  type SeqItemBlock,
} from './yaml-text';

/** `restartPolicy: Always` on the item: its value replaced, or a new last key of the item. */
function restartPolicyAlways(text: string, item: SeqItemBlock): TextEditSpec | undefined {
  return setScalar(text, item.map, 'restartPolicy', 'Always');
}

function blockSeq(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const value = getPair(map, key)?.value;
  return isBlockSeq(value) ? value : undefined;
}

/**
 * The text to edit, unless the YAML is broken: the tree of a document with syntax errors is a
 * guess, and edits computed from a guess may land anywhere.
 */
function usableText(doc: DocumentModel): string | undefined {
  return doc.syntaxErrors.length === 0 ? doc.text : undefined;
}

/** Edits sorted by position, as an editor applies them. */
function sorted(edits: TextEditSpec[]): TextEditSpec[] {
  return edits.sort((a, b) => a.range.start - b.range.start);
}

/**
 * The "convert to a native sidecar" quick fix of a classic sidecar (classic-sidecar, job-sidecar):
 * none before 1.29, where native sidecars do not exist, or when the move is declined. A judgement
 * call (the container's start and stop order change), so never applied unattended.
 */
export function convertToNativeSidecarFix(
  doc: DocumentModel,
  pod: PodModel,
  container: ContainerModel,
  minor: number,
): Fix[] {
  const edits = minor >= 29 ? convertToNativeSidecar(doc, pod, container) : undefined;
  if (!edits) return [];
  return [{ title: `Convert ${containerLabel(container)} to a native sidecar`, edits, safe: false, preferred: true }];
}

/**
 * Moves a container from `containers` to the end of `initContainers` (creating that list, in the
 * style of `containers`, right above it) and makes it a native sidecar. The end is where it keeps
 * the order it had: a classic sidecar starts after every init container has finished, and placed
 * last, the native one also starts after them, so no init container meets it on a port it did
 * not meet before. Declined when the container is the only one (the pod needs one).
 */
export function convertToNativeSidecar(
  doc: DocumentModel,
  pod: PodModel,
  container: ContainerModel,
): TextEditSpec[] | undefined {
  const text = usableText(doc);
  const spec = pod.spec;
  if (text === undefined) return undefined;
  if (!spec || spec.flow || container.list !== 'containers') return undefined;
  const containers = blockSeq(spec, 'containers');
  if (!containers || containers.items.filter(isMap).length < 2) return undefined;
  const item = seqItemBlock(text, containers, container.index);
  // Moved above an anchor it uses, an alias would dangle; moved away, an anchor may be missed.
  if (!item || holdsReferences([item.map], true)) return undefined;

  // The item's own text with its restart policy set, still at its old indentation.
  const policy = restartPolicyAlways(text, item);
  if (!policy || policy.range.start < item.start || policy.range.end > item.end) return undefined;
  const own = blockText(text, item);
  const rel = { start: policy.range.start - item.start, end: policy.range.end - item.start };
  const withPolicy =
    policy.range.start >= item.end
      ? own + policy.newText.replace(/^\r?\n/, '')
      : own.slice(0, rel.start) + policy.newText + own.slice(rel.end);

  const initPair = getPair(spec, 'initContainers');
  let at: number;
  let insert: string | undefined;
  if (initPair && !(isScalar(initPair.value) && initPair.value.value === null)) {
    const init = blockSeq(spec, 'initContainers');
    const lastIndex = (init?.items.length ?? 0) - 1;
    const last = init && lastIndex >= 0 ? seqItemBlock(text, init, lastIndex) : undefined;
    if (!last) return undefined;
    at = last.end;
    insert = reindent(withPolicy, last.column - item.column);
  } else {
    // No init containers yet (or an empty `initContainers:`): a new list right above `containers`
    // (or under the empty key), its items indented from the key as those of `containers` are, so
    // the two lists read alike.
    const containersPair = spec.items.find(
      (p): p is Pair => isPair(p) && isScalar(p.key) && p.key.value === 'containers',
    );
    const holder = containersPair && pairBlock(text, containersPair);
    const empty = initPair ? pairBlock(text, initPair) : undefined;
    if (!holder || (initPair && !empty)) return undefined;
    // `initContainers:` with nothing written after it; `~` or `null` would have to go first.
    if (initPair && isScalar(initPair.value) && initPair.value.source !== '') return undefined;
    const moved = reindent(withPolicy, (empty?.column ?? holder.column) - holder.column);
    if (moved === undefined) return undefined;
    const removal = { range: deleteBlock(text, item), newText: '' };
    if (empty)
      return sorted([
        { range: { start: empty.end, end: empty.end }, newText: linesAt(text, empty.end, moved) },
        removal,
      ]);
    insert = `${' '.repeat(holder.column)}initContainers:${eolOf(text)}${moved}`;
    at = holder.start;
  }
  if (insert === undefined) return undefined;
  return sorted([
    { range: { start: at, end: at }, newText: linesAt(text, at, insert) },
    { range: deleteBlock(text, item), newText: '' },
  ]);
}

/** Sets (or adds) `restartPolicy: Always` on an init container, in place. */
export function makeNativeSidecar(
  doc: DocumentModel,
  pod: PodModel,
  container: ContainerModel,
): TextEditSpec[] | undefined {
  const text = usableText(doc);
  if (text === undefined || container.list !== 'initContainers') return undefined;
  const init = blockSeq(pod.spec, 'initContainers');
  const item = init && seqItemBlock(text, init, container.index);
  const edit = item && restartPolicyAlways(text, item);
  return edit ? [edit] : undefined;
}

/**
 * Moves init container `from` right before init container `to` (from > to), comments and all. The
 * two are items of one list, so they share an indentation.
 */
export function moveInitContainerBefore(
  doc: DocumentModel,
  pod: PodModel,
  from: number,
  to: number,
): TextEditSpec[] | undefined {
  const text = usableText(doc);
  const init = blockSeq(pod.spec, 'initContainers');
  if (text === undefined || !init || from <= to) return undefined;
  const moving = seqItemBlock(text, init, from);
  const before = seqItemBlock(text, init, to);
  if (!moving || !before || moving.column !== before.column || holdsReferences([moving.map], true)) return undefined;
  return sorted([
    { range: { start: before.start, end: before.start }, newText: blockText(text, moving) },
    { range: deleteBlock(text, moving), newText: '' },
  ]);
}

/**
 * Removes a key of a container with its value and its own comment lines (edits.ts removePair),
 * unless YAML references would make the removal mean something else.
 */
export function removeContainerField(
  doc: DocumentModel,
  container: ContainerModel,
  key: string,
): TextEditSpec[] | undefined {
  const text = usableText(doc);
  if (text === undefined) return undefined;
  const map = container.node;
  const pair = getPair(map, key);
  if (!pair || map.items.length < 2 || map.flow || holdsReferences([pair.key, pair.value], false)) return undefined;
  // Other maps may inherit this one's keys (an anchor), or it inherits keys (a `<<` merge, which
  // would bring a removed key back): either way, removing the key here does not do what it says.
  if (map.anchor || mayHide(map, key)) return undefined;
  const edit = removePair(text, map, key);
  return edit ? [edit] : undefined;
}

import { isPair, isScalar } from 'yaml';
import { nodeRange } from './yaml-nodes';
import type { ContainerModel, Range } from './types';

/** How messages name a container: its name, or its place when it has none. */
export function containerLabel(container: ContainerModel): string {
  return container.name ? `"${container.name.value}"` : unnamedLabel(container);
}

/**
 * An unnamed container by what the cluster calls it (Argo's `main`) or by its place in the list
 * it is written in (`#2 of steps` in a Tekton Task, `#1 of containers` in a Deployment).
 */
export function unnamedLabel(container: ContainerModel): string {
  if (container.clusterName !== undefined) return `"${container.clusterName}"`;
  const at = container.writtenIn ?? { list: container.list, index: container.index };
  return `#${at.index + 1} of ${at.list}`;
}

/** Where a finding about a whole container points: its name, else its first key (one line, not a block). */
export function containerAnchor(container: ContainerModel): Range {
  if (container.name) return container.name.range;
  const first = container.node.items[0];
  return first && isPair(first) && isScalar(first.key) ? nodeRange(first.key) : container.range;
}

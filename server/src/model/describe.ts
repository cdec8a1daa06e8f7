import { isPair, isScalar } from 'yaml';
import { nodeRange } from './yaml-nodes';
import type { ContainerModel, Range } from './types';

/** How messages name a container: its name, or its place when it has none. */
export function containerLabel(container: ContainerModel): string {
  return container.name ? `"${container.name.value}"` : `#${container.index + 1} of ${container.list}`;
}

/** Where a finding about a whole container points: its name, else its first key (one line, not a block). */
export function containerAnchor(container: ContainerModel): Range {
  if (container.name) return container.name.range;
  const first = container.node.items[0];
  return first && isPair(first) && isScalar(first.key) ? nodeRange(first.key) : container.range;
}

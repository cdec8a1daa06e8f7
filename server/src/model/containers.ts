// Facts about containers that several rules share: how to name one in a message and which ones run
// at the same time.
import type { ContainerModel } from './types';

/** How a message names a container: its name, or its position when it has none. */
export function containerLabel(container: ContainerModel): string {
  return container.name ? `"${container.name.value}"` : `#${container.index + 1} of ${container.list}`;
}

/**
 * Whether two containers of one pod can be running at the same moment (and so compete for ports
 * in the shared network namespace). Regular containers and native sidecars all run together; a
 * regular init container runs alone, beside the native sidecars declared before it only (init
 * containers start in order, KEP-753). Ephemeral containers declare no ports and are left out.
 */
export function runTogether(a: ContainerModel, b: ContainerModel): boolean {
  if (a === b) return true;
  if (a.role === 'ephemeral' || b.role === 'ephemeral') return false;
  if (a.role === 'init' && b.role === 'init') return false;
  if (a.role === 'init') return b.role === 'sidecar' && b.index < a.index;
  if (b.role === 'init') return a.role === 'sidecar' && a.index < b.index;
  return true;
}

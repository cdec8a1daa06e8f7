// Which containers of a pod run at the same time (and so compete for its ports).
import type { ContainerModel } from './types';

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

import { knownSidecar, runsOnce, type KnownSidecar } from './sidecars';
import type { ContainerModel, PodModel } from './types';

export interface ClassicSidecar {
  container: ContainerModel;
  sidecar: KnownSidecar;
}

/**
 * Known sidecar images that run in `containers` beside an app. A pod whose regular containers are
 * all such images has no app for them to serve: it is the helper's own deployment (an Envoy front
 * proxy, an OpenTelemetry gateway, a git-sync Job), not a pod with a sidecar. A helper set to run
 * once (runsOnce: git-sync --one-time, k8s-sidecar METHOD=LIST) is neither a sidecar nor the app.
 */
export function classicSidecars(pod: PodModel): ClassicSidecar[] {
  const found: ClassicSidecar[] = [];
  let apps = 0;
  for (const container of pod.containers) {
    if (container.role !== 'regular') continue;
    const sidecar = knownSidecar(container);
    if (!sidecar) apps++;
    else if (!runsOnce(container, sidecar)) found.push({ container, sidecar });
  }
  return apps > 0 ? found : [];
}

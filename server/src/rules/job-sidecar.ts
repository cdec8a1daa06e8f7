import { isScalar } from 'yaml';
import { convertToNativeSidecarFix } from '../fixes/native-sidecar';
import { classicSidecars, type ClassicSidecar } from '../model/classic-sidecars';
import { commandLine, envValues, runsShellScript } from '../model/container-text';
import { containerLabel } from '../model/describe';
import { getNode } from '../model/yaml-nodes';
import type { ContainerModel, PodModel } from '../model/types';
import type { PodRule } from '../engine/types';

function hasFlag(container: ContainerModel, flag: RegExp): boolean {
  return commandLine(container).some((w) => flag.test(w.value));
}

/**
 * Why a helper in `containers` of a Job may end on its own after all, so that warning about it
 * would be a false alarm. What each one really does (a helper set to run once, git-sync --one-time
 * or k8s-sidecar METHOD=LIST, is no classic sidecar at all: see runsOnce):
 * - cloud-sql-proxy with `--quitquitquit` serves POST /quitquitquit on localhost so the app can stop
 *   it when done: the documented way for Jobs before native sidecars. Its presence says the app
 *   does so. `--exit-zero-on-sigterm` alone does not help: nobody sends SIGTERM to a classic sidecar
 *   when the app exits (it only makes the exit clean once the proxy is a native sidecar, which is
 *   stopped with SIGTERM).
 * - A helper started through a shell script (`sh -c '... & wait-for-done-file; kill'`) has its own
 *   way out, commonly a file the app writes to a shared volume; that cannot be judged from here.
 * - An app that stops its helpers itself: it calls an exit endpoint (Istio's and the proxy's
 *   /quitquitquit, Linkerd's /shutdown or linkerd-await --shutdown), or kills them by name through
 *   a shared process namespace.
 */
function endsOnItsOwn({ container, sidecar }: ClassicSidecar, pod: PodModel): boolean {
  if (runsShellScript(container)) return true;
  if (sidecar.id === 'cloud-sql-proxy' && hasFlag(container, /^--?quitquitquit(=true)?$/)) return true;
  const shareProcesses = getNode(pod.spec, 'shareProcessNamespace');
  const killsByName = isScalar(shareProcesses) && shareProcesses.value === true;
  return pod.containers.some((other) => {
    if (other === container || other.role !== 'regular') return false;
    const words = [...commandLine(other), ...envValues(other).map((e) => e.value)].map((w) => w.value).join(' ');
    if (/quitquitquit|linkerd-await|:4191\/shutdown/.test(words)) return true;
    return killsByName && /\b(pkill|killall|kill)\b/.test(words);
  });
}

export const jobSidecar: PodRule = {
  meta: {
    id: 'job-sidecar',
    description:
      'A Job or CronJob with a long-running helper (proxy, log or metrics shipper, mesh proxy...) in containers: the Job never completes.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#jobs-with-sidecar-containers',
  },
  scope: 'pod',
  check(pod, ctx) {
    if (pod.kind !== 'Job' && pod.kind !== 'CronJob') return;
    for (const found of classicSidecars(pod)) {
      if (endsOnItsOwn(found, pod)) continue;
      const { container, sidecar } = found;
      const what = `${sidecar.title} (${containerLabel(container)})`;
      const remedy =
        ctx.minor >= 29
          ? 'make it a native sidecar: the kubelet stops it once the other containers have exited'
          : 'from Kubernetes 1.29 it can run as a native sidecar; until then the app has to stop it when done';
      const doc = ctx.document;
      const minor = ctx.minor;
      ctx.report({
        message: `${what} runs in containers of a ${pod.kind}: it does not exit when the work is done, so the Job never completes; ${remedy}`,
        range: container.image?.range ?? container.name?.range ?? container.range,
        fixes: () => convertToNativeSidecarFix(doc, pod, container, minor),
      });
    }
  },
};

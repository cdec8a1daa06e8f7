import { runsToCompletion } from '../model/kinds';
import { isScalar } from 'yaml';
import { setTemplateEntry } from '../fixes/metadata';
import { convertToNativeSidecarFix } from '../fixes/native-sidecar';
import { podRoles, type PodRoles } from '../model/main-container';
import { commandLine, envValues, runsShellScript } from '../model/container-text';
import { containerLabel } from '../model/describe';
import { injectionRequests, type InjectionRequest } from '../model/sidecars';
import { getNode } from '../model/yaml-nodes';
import type { ContainerModel, DocumentModel, PodModel } from '../model/types';
import type { Fix, PodRule } from '../engine/types';

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
function endsOnItsOwn({ container, sidecar }: PodRoles['helpers'][number], pod: PodModel): boolean {
  if (runsShellScript(container)) return true;
  if (sidecar.id === 'cloud-sql-proxy' && hasFlag(container, /^--?quitquitquit(=true)?$/)) return true;
  const shareProcesses = getNode(pod.spec, 'shareProcessNamespace');
  const killsByName = isScalar(shareProcesses) && shareProcesses.value === true;
  return appStopsHelpers(pod, container, killsByName);
}

/**
 * An app container that stops the helpers itself: it calls an exit endpoint (Istio's and the
 * proxy's /quitquitquit, Linkerd's /shutdown or linkerd-await --shutdown, Dapr's /v1.0/shutdown),
 * or, with `killsByName`, kills them through a shared process namespace.
 */
function appStopsHelpers(pod: PodModel, helper: ContainerModel | undefined, killsByName: boolean): boolean {
  return pod.containers.some((other) => {
    if (other === helper || other.role !== 'regular') return false;
    const words = [...commandLine(other), ...envValues(other).map((e) => e.value)].map((w) => w.value).join(' ');
    if (/quitquitquit|linkerd-await|:4191\/shutdown|\/v1\.0\/shutdown/.test(words)) return true;
    return killsByName && /\b(pkill|killall|kill)\b/.test(words);
  });
}

/** The pod annotation an injector reads to inject its long-running container so that a Job can end. */
interface WayOut {
  key: string;
  value: string;
  /** From this Kubernetes minor the way out works (native sidecars need 1.29). */
  minor: number;
  /** What it does, for the message. */
  says: string;
}

/**
 * The injectors whose container keeps running in `containers` of a Job, each with its own way out,
 * from the injector's docs:
 * - Istio: `sidecar.istio.io/nativeSidecar: "true"` injects istio-proxy as a native sidecar and
 *   takes precedence over istiod's ENABLE_NATIVE_SIDECARS (istio.io/latest/docs/reference/config/annotations;
 *   native is istiod's default from Istio 1.27 on Kubernetes 1.29+, which the file cannot show). Without
 *   it the app must POST to localhost:15020/quitquitquit.
 * - Linkerd: `config.beta.linkerd.io/proxy-enable-native-sidecar: "true"` (the alpha key of 2.15 is
 *   deprecated for it; linkerd.io/2/reference/proxy-configuration, linkerd.io/2/features/native-sidecars).
 *   Without it: linkerd-await --shutdown, or a POST to localhost:4191/shutdown.
 * - Vault Agent: `vault.hashicorp.com/agent-pre-populate-only: "true"` keeps only the init container,
 *   which renders the secrets and exits; the docs name it for Jobs (developer.hashicorp.com/vault/docs/platform/k8s/injector/annotations).
 * - Dapr: no annotation; the app calls POST localhost:3500/v1.0/shutdown (docs.dapr.io, Kubernetes Jobs).
 * The OpenTelemetry Operator injects its collector as a native sidecar itself on clusters that have
 * them (its operator.sidecarcontainers.native gate), which the file cannot show: not reported.
 */
const WAYS_OUT: Partial<Record<InjectionRequest['injector']['id'], { wayOut?: WayOut; otherwise: string }>> = {
  istio: {
    wayOut: {
      key: 'sidecar.istio.io/nativeSidecar',
      value: '"true"',
      minor: 29,
      says: 'injects istio-proxy as a native sidecar',
    },
    otherwise: 'the app must stop it when done (POST localhost:15020/quitquitquit)',
  },
  linkerd: {
    wayOut: {
      key: 'config.beta.linkerd.io/proxy-enable-native-sidecar',
      value: '"true"',
      minor: 29,
      says: 'injects linkerd-proxy as a native sidecar',
    },
    otherwise: 'the app must stop it when done (linkerd-await --shutdown, or POST localhost:4191/shutdown)',
  },
  vault: {
    wayOut: {
      key: 'vault.hashicorp.com/agent-pre-populate-only',
      value: '"true"',
      minor: 0,
      says: 'injects only the init container, which renders the secrets and exits',
    },
    otherwise: '',
  },
  dapr: { otherwise: 'the app must stop it when done (POST localhost:3500/v1.0/shutdown)' },
};

/** Sets the way-out annotation on the pod template: changed where it is written, added where it is not. */
function wayOutFix(doc: DocumentModel, pod: PodModel, way: WayOut): Fix[] {
  const edit = setTemplateEntry(doc, pod, 'annotations', { key: way.key, value: way.value });
  // not for fix-all: it changes what the injector builds, which a person should choose
  return edit
    ? [{ title: `Set ${way.key}: ${way.value} on the pod template`, edits: [edit], safe: false, preferred: true }]
    : [];
}

/** Findings on the injections of a Job's pod whose container runs in `containers` and never exits. */
function injectedHelpers(pod: PodModel, minor: number): { request: InjectionRequest; message: string; way?: WayOut }[] {
  const out: { request: InjectionRequest; message: string; way?: WayOut }[] = [];
  for (const request of injectionRequests(pod)) {
    const known = WAYS_OUT[request.injector.id];
    const ghost = request.ghosts.find((g) => g.role === 'regular');
    if (!known || !ghost) continue;
    // already injected and written down (the container is then judged as written), or stopped by the app
    if (pod.containers.some((c) => c.name?.value === ghost.name) || appStopsHelpers(pod, undefined, false)) continue;
    const way = known.wayOut && minor >= known.wayOut.minor ? known.wayOut : undefined;
    const remedy = way
      ? `set the pod annotation ${way.key}: ${way.value}, which ${way.says}`
      : known.wayOut
        ? `from Kubernetes 1.29 ${known.wayOut.key}: ${known.wayOut.value} ${known.wayOut.says}; until then ${known.otherwise}`
        : known.otherwise;
    const unless =
      request.injector.id === 'istio'
        ? ' (unless istiod injects native sidecars, its default from Istio 1.27 on Kubernetes 1.29+)'
        : '';
    out.push({
      request,
      way,
      message: `${request.injector.title} injects ${ghost.name} into this ${pod.kind}'s pod as a classic sidecar${unless}: it does not exit when the work is done, so the Job never completes; ${remedy}`,
    });
  }
  return out;
}

export const jobSidecar: PodRule = {
  meta: {
    id: 'job-sidecar',
    description:
      'A Job or CronJob with a long-running helper (proxy, log or metrics shipper, mesh proxy...) in containers, written or injected (Istio, Linkerd, Dapr, Vault Agent): the Job never completes.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#jobs-with-sidecar-containers',
  },
  scope: 'pod',
  check(pod, ctx) {
    // Argo's wait container and Tekton's controller stop every other container once the main
    // work ends (argo-workflows: the executor's killContainers; tektoncd/pipeline: sidecars are
    // stopped when the steps are done), so no helper keeps such a pod running
    if (!runsToCompletion(pod) || pod.custom?.stopsSidecars) return;
    for (const found of podRoles(pod, ctx.services).helpers) {
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
    for (const { request, message, way } of injectedHelpers(pod, ctx.minor)) {
      const doc = ctx.document;
      ctx.report({
        message,
        range: { start: request.trigger.keyRange.start, end: request.trigger.valueRange.end },
        ...(way ? { fixes: () => wayOutFix(doc, pod, way) } : {}),
      });
    }
  },
};

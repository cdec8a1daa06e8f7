// What the product knows about common sidecars and sidecar injectors (../shared/specs/sidecars.md):
// one catalogue for the rules, the hovers, the completions and the diagram.
import { isMap, isPair, isScalar, type YAMLMap } from 'yaml';
import { commandLine, envValues } from './container-text';
import { getBoolean, nodeRange } from './yaml-nodes';
import type { ContainerModel, InjectorId, PodModel, Range } from './types';

export type SidecarKind =
  'log' | 'metrics' | 'proxy' | 'mesh' | 'telemetry' | 'secrets' | 'sync' | 'reload' | 'runtime';

export interface KnownSidecar {
  id: string;
  title: string;
  kind: SidecarKind;
  /** Matched against the image without tag or digest, e.g. `cr.fluentbit.io/fluent/fluent-bit`. */
  image: RegExp;
}

/**
 * Images that are long-running helpers beside an app. Only images that are (almost) never the main
 * container of a pod are listed: a Job whose only container is `busybox` is a job, not a sidecar.
 */
export const KNOWN_SIDECARS: readonly KnownSidecar[] = [
  { id: 'fluent-bit', title: 'Fluent Bit', kind: 'log', image: /(^|\/)fluent-bit$/ },
  { id: 'fluentd', title: 'Fluentd', kind: 'log', image: /(^|\/)(fluentd|fluentd-gcp|fluentd-elasticsearch)$/ },
  { id: 'promtail', title: 'Promtail', kind: 'log', image: /(^|\/)promtail$/ },
  { id: 'vector', title: 'Vector', kind: 'log', image: /^(docker\.io\/)?timberio\/vector$/ },
  {
    id: 'nginx-prometheus-exporter',
    title: 'NGINX Prometheus exporter',
    kind: 'metrics',
    image: /(^|\/)nginx-prometheus-exporter$/,
  },
  { id: 'statsd-exporter', title: 'StatsD exporter', kind: 'metrics', image: /(^|\/)statsd-exporter$/ },
  // Port 9121; reads Redis at redis://localhost:6379 (REDIS_ADDR). oliver006/redis_exporter on
  // Docker Hub and quay.io (https://github.com/oliver006/redis_exporter#run-via-docker);
  // bitnami/redis-exporter is the metrics sidecar of Bitnami's Redis chart.
  { id: 'redis-exporter', title: 'Redis exporter', kind: 'metrics', image: /(^|\/)redis[-_]exporter$/ },
  // Port 9187; reads PostgreSQL through DATA_SOURCE_NAME or DATA_SOURCE_URI.
  // quay.io/prometheuscommunity/postgres-exporter and prometheuscommunity/postgres-exporter, formerly
  // wrouesnel/postgres_exporter (https://github.com/prometheus-community/postgres_exporter#quick-start);
  // bitnami/postgres-exporter in Bitnami's PostgreSQL chart.
  {
    id: 'postgres-exporter',
    title: 'PostgreSQL exporter',
    kind: 'metrics',
    image: /(^|\/)postgres[-_]exporter$/,
  },
  // Port 9419 (PUBLISH_PORT); reads the management API at http://127.0.0.1:15672 (RABBIT_URL).
  // kbudde/rabbitmq-exporter on Docker Hub, ghcr.io/kbudde/rabbitmq_exporter
  // (https://github.com/kbudde/rabbitmq_exporter#installation); bitnami/rabbitmq-exporter in
  // Bitnami's RabbitMQ chart. RabbitMQ's own exporter is the rabbitmq_prometheus plugin inside the
  // broker (port 15692), not an image (https://www.rabbitmq.com/docs/prometheus).
  {
    id: 'rabbitmq-exporter',
    title: 'RabbitMQ exporter',
    kind: 'metrics',
    image: /(^|\/)rabbitmq[-_]exporter$/,
  },
  {
    id: 'otel-collector',
    title: 'OpenTelemetry Collector',
    kind: 'telemetry',
    image: /(^|\/)opentelemetry-collector(-contrib|-k8s)?$/,
  },
  { id: 'envoy', title: 'Envoy proxy', kind: 'proxy', image: /(^|\/)envoyproxy\/envoy(-distroless)?$/ },
  // Port 4180, an authenticating reverse proxy in front of the app (--upstream). Now
  // quay.io/oauth2-proxy/oauth2-proxy (and -nightly); until 2020-03-29 quay.io/pusher/oauth2_proxy
  // (https://github.com/oauth2-proxy/oauth2-proxy#repository-history); bitnami/oauth2-proxy too.
  { id: 'oauth2-proxy', title: 'oauth2-proxy', kind: 'proxy', image: /(^|\/)oauth2[-_]proxy(-nightly)?$/ },
  {
    id: 'cloud-sql-proxy',
    title: 'Cloud SQL Auth Proxy',
    kind: 'proxy',
    image: /(^|\/)(cloud-sql-proxy|cloudsql-docker\/gce-proxy)$/,
  },
  { id: 'istio-proxy', title: 'Istio proxy', kind: 'mesh', image: /(^|\/)istio\/proxyv2$/ },
  { id: 'linkerd-proxy', title: 'Linkerd proxy', kind: 'mesh', image: /(^|\/)linkerd\/proxy$/ },
  { id: 'daprd', title: 'Dapr runtime', kind: 'runtime', image: /(^|\/)daprio\/daprd$/ },
  { id: 'git-sync', title: 'git-sync', kind: 'sync', image: /(^|\/)git-sync(\/git-sync)?$/ },
  // Writes the files of the ConfigMaps and Secrets labelled LABEL into FOLDER, a volume it shares
  // with the app (Grafana's chart collects grafana_dashboard ones so); health on 8080. Watches unless
  // METHOD=LIST (see runsOnce). kiwigrid/k8s-sidecar on Docker Hub, quay.io and ghcr.io
  // (https://github.com/kiwigrid/k8s-sidecar#configuration-environment-variables). By owner, as
  // k8s-sidecar alone is a generic name.
  { id: 'k8s-sidecar', title: 'k8s-sidecar', kind: 'sync', image: /(^|\/)kiwigrid\/k8s-sidecar$/ },
  {
    id: 'config-reloader',
    title: 'Config reloader',
    kind: 'reload',
    image: /(^|\/)(configmap-reload|prometheus-config-reloader|config-reloader)$/,
  },
];

/** The image reference without tag and digest (`host:5000/a/b:1.2@sha256:...` -> `host:5000/a/b`). */
export function imageRepository(image: string): string {
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  return ref.toLowerCase();
}

/** The catalogue entry for a container's image, if it is a known sidecar. */
export function knownSidecar(container: ContainerModel): KnownSidecar | undefined {
  const image = container.image?.value;
  if (!image) return undefined;
  const repo = imageRepository(image);
  return KNOWN_SIDECARS.find((s) => s.image.test(repo));
}

const ONE_TIME = /^(true|1|yes)$/i;

/**
 * Whether a known helper is set to do its work once and exit instead of running beside the app:
 * - git-sync with `--one-time` (v3 and v4; env GIT_SYNC_ONE_TIME / GITSYNC_ONE_TIME) clones once;
 * - k8s-sidecar with env `METHOD=LIST` (compared as written) lists the ConfigMaps and Secrets once;
 *   any other METHOD watches or polls (https://github.com/kiwigrid/k8s-sidecar, src/sidecar.py).
 * Such a container is a setup step (an init container, as Grafana's chart runs k8s-sidecar) or a
 * Job's work: neither a classic sidecar nor one to make native, since restartPolicy: Always would
 * start it again each time it exits.
 */
export function runsOnce(container: ContainerModel, sidecar: KnownSidecar): boolean {
  const env = envValues(container);
  if (sidecar.id === 'git-sync') {
    if (commandLine(container).some((w) => /^--?one-time(=true)?$/.test(w.value))) return true;
    return env.some((e) => /^GIT_?SYNC_ONE_TIME$/.test(e.name) && ONE_TIME.test(e.value.value));
  }
  if (sidecar.id === 'k8s-sidecar') return env.some((e) => e.name === 'METHOD' && e.value.value === 'LIST');
  return false;
}

// ---------------------------------------------------------------------------------------------
// Injectors

export type { InjectorId } from './types';

export interface GhostContainer {
  name: string;
  role: 'init' | 'sidecar' | 'regular';
  ports: number[];
  /**
   * The ports' names, in the order of `ports`, where the injector's manifest writes them (a
   * SidecarSet's containers): a Service may target one by name. An annotation's injector has none.
   */
  portNames?: readonly (string | undefined)[];
  /**
   * Where the container is written, for an injector that is an object of the manifests (a
   * SidecarSet): its name and each of its ports (in the order of `ports`), in the coordinates of
   * the request's `origin`.
   */
  written?: { range: Range; ports: readonly Range[] };
}

export interface Injector {
  id: InjectorId;
  title: string;
  /** Ports the injected containers bind in the pod's network namespace. */
  reservedPorts: readonly number[];
  /** The UID its proxy runs as (traffic of that UID bypasses the redirect). */
  reservedUid?: number;
  /** Annotation and label key prefixes that configure it (for placement checks and completion). */
  keyPrefixes: readonly string[];
  docs: string;
}

export const INJECTORS: Readonly<Record<InjectorId, Injector>> = {
  istio: {
    id: 'istio',
    title: 'Istio',
    reservedPorts: [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090],
    reservedUid: 1337,
    keyPrefixes: ['sidecar.istio.io/', 'proxy.istio.io/', 'traffic.sidecar.istio.io/', 'istio.io/'],
    docs: 'https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/',
  },
  linkerd: {
    id: 'linkerd',
    title: 'Linkerd',
    reservedPorts: [4140, 4143, 4190, 4191],
    reservedUid: 2102,
    keyPrefixes: ['linkerd.io/', 'config.linkerd.io/', 'config.beta.linkerd.io/', 'config.alpha.linkerd.io/'],
    docs: 'https://linkerd.io/2/features/proxy-injection/',
  },
  dapr: {
    id: 'dapr',
    title: 'Dapr',
    reservedPorts: [3500, 50001, 50002, 9090],
    keyPrefixes: ['dapr.io/'],
    docs: 'https://docs.dapr.io/reference/arguments-annotations-overview/',
  },
  vault: {
    id: 'vault',
    title: 'Vault Agent Injector',
    reservedPorts: [],
    keyPrefixes: ['vault.hashicorp.com/'],
    docs: 'https://developer.hashicorp.com/vault/docs/platform/k8s/injector/annotations',
  },
  otel: {
    id: 'otel',
    title: 'OpenTelemetry Operator',
    reservedPorts: [4317, 4318],
    keyPrefixes: ['sidecar.opentelemetry.io/', 'instrumentation.opentelemetry.io/'],
    docs: 'https://github.com/open-telemetry/opentelemetry-operator#sidecar-injection',
  },
  // Controllers that add their own containers to every pod of their kind (model/kinds.ts
  // `injects`): asked for by the kind itself, configured by no key of the pod's metadata.
  argo: {
    id: 'argo',
    title: 'Argo Workflows',
    reservedPorts: [],
    keyPrefixes: [],
    docs: 'https://argo-workflows.readthedocs.io/en/latest/workflow-executors/',
  },
  // a SidecarSet's containers (model/sidecar-sets.ts); each request titles it by the SidecarSet's name
  kruise: {
    id: 'kruise',
    title: 'OpenKruise SidecarSet',
    reservedPorts: [],
    keyPrefixes: [],
    docs: 'https://openkruise.io/docs/user-manuals/sidecarset',
  },
  tekton: {
    id: 'tekton',
    title: 'Tekton Pipelines',
    reservedPorts: [],
    keyPrefixes: [],
    docs: 'https://tekton.dev/docs/pipelines/pod-templates/',
  },
};

/**
 * What a controller adds to every pod of its kind:
 * - Argo Workflows: the `init` init container (loads input artifacts and scripts) and the `wait`
 *   container beside the main one (saves outputs, then stops the sidecars), argo-workflows
 *   workflow/controller/workflowpod.go (common.InitContainerName, common.WaitContainerName);
 * - Tekton: the `prepare` init container, which copies its entrypoint binary into every step
 *   (tektoncd/pipeline pkg/pod/entrypoint.go), and `place-scripts` when a step or sidecar has a
 *   `script` (pkg/pod/script.go).
 * Neither binds a port.
 */
function controllerGhosts(pod: PodModel): GhostContainer[] {
  if (pod.custom?.injects === 'argo')
    return [
      { name: 'init', role: 'init', ports: [] },
      { name: 'wait', role: 'regular', ports: [] },
    ];
  if (pod.custom?.injects === 'tekton') {
    const ghosts: GhostContainer[] = [{ name: 'prepare', role: 'init', ports: [] }];
    if (pod.containers.some((c) => c.node.has('script')))
      ghosts.push({ name: 'place-scripts', role: 'init', ports: [] });
    return ghosts;
  }
  return [];
}

/** A string-keyed map entry as written: key, value as text, and where both are. */
export interface MetaEntry {
  key: string;
  value: string;
  keyRange: Range;
  valueRange: Range;
}

/** Entries of `labels` or `annotations` of a metadata map (scalar keys only; values as text). */
export function metaEntries(metadata: YAMLMap | undefined, field: 'labels' | 'annotations'): MetaEntry[] {
  if (!metadata) return [];
  const pair = metadata.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === field);
  const map = pair?.value;
  if (!isMap(map)) return [];
  const out: MetaEntry[] = [];
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPair(item) || !isScalar(item.key)) continue;
    const key = String(item.key.value);
    const v = item.value;
    const value = isScalar(v) && v.value !== null && typeof v.value !== 'object' ? String(v.value) : '';
    const keyRange = nodeRange(item.key);
    out.push({ key, value, keyRange, valueRange: isScalar(v) && v.range ? nodeRange(v) : keyRange });
  }
  return out;
}

export interface InjectionRequest {
  injector: Injector;
  /** The label or annotation that asks for it; for a controller's own containers, the object's `kind`. */
  trigger: MetaEntry;
  triggerField: 'labels' | 'annotations' | 'kind';
  /** The containers the injector adds (the diagram's ghosts). */
  ghosts: GhostContainer[];
  /**
   * Where the injector is written when it is an object of the manifests (a SidecarSet), for the
   * findings' related information: in another file (`key`, the set member's key), in that file's
   * offsets; without a key in the pod's own file, relative to the pod's document as any range a
   * rule reports.
   */
  origin?: { label: string; key?: string; range: Range };
}

const TRUE = /^(true|enabled|yes|on)$/i;

/** The metrics port of the catalogue, as `dapr.io/metrics-port` and `dapr.io/enable-metrics` leave it. */
const DAPR_DEFAULT_METRICS_PORT = 9090;

/**
 * The ports daprd binds: the metrics listener moves with `dapr.io/metrics-port` and is not opened
 * at all with `dapr.io/enable-metrics: "false"` (docs.dapr.io, operations/observability/metrics).
 */
function daprPorts(annotation: (key: string) => MetaEntry | undefined): number[] {
  const ports = INJECTORS.dapr.reservedPorts.filter((p) => p !== DAPR_DEFAULT_METRICS_PORT);
  if (/^false$/i.test(annotation('dapr.io/enable-metrics')?.value ?? '')) return ports;
  const custom = annotation('dapr.io/metrics-port')?.value;
  const metrics = custom && /^\d{1,5}$/.test(custom.trim()) ? Number(custom.trim()) : DAPR_DEFAULT_METRICS_PORT;
  return [...ports, metrics];
}

/**
 * The injections the pod template asks for through its own labels and annotations. A namespace
 * label may also switch injection on; that cannot be seen from the file, so it is not assumed.
 * Read once per pod model (which never changes) and shared: several rules, the relations and the
 * features ask for the same pod's.
 */
export function injectionRequests(pod: PodModel): readonly InjectionRequest[] {
  let found = requestsOf.get(pod);
  if (!found) {
    found = readInjectionRequests(pod);
    requestsOf.set(pod, found);
  }
  return found;
}

const requestsOf = new WeakMap<PodModel, readonly InjectionRequest[]>();

function readInjectionRequests(pod: PodModel): InjectionRequest[] {
  const md = pod.podMetadata;
  const out: InjectionRequest[] = [];
  // each list read once for the dozen keys looked up below
  const annotations = metaEntries(md, 'annotations');
  const labels = metaEntries(md, 'labels');
  const annotation = (key: string): MetaEntry | undefined => annotations.find((e) => e.key === key);
  const label = (key: string): MetaEntry | undefined => labels.find((e) => e.key === key);
  // Istio and Linkerd never inject a pod on the host network: their iptables rules would rewrite
  // the node's routing (istio pkg/kube/inject injectRequired; linkerd's inject report).
  const meshAllowed = getBoolean(pod.spec, 'hostNetwork') !== true;

  const istioLabel = label('sidecar.istio.io/inject');
  const istioAnnotation = annotation('sidecar.istio.io/inject');
  // the label wins over the annotation, as in Istio's injector
  const istio = istioLabel ?? istioAnnotation;
  if (meshAllowed && istio && TRUE.test(istio.value)) {
    const native = TRUE.test(annotation('sidecar.istio.io/nativeSidecar')?.value ?? '');
    out.push({
      injector: INJECTORS.istio,
      trigger: istio,
      triggerField: istioLabel ? 'labels' : 'annotations',
      ghosts: [
        { name: 'istio-init', role: 'init', ports: [] },
        { name: 'istio-proxy', role: native ? 'sidecar' : 'regular', ports: [...INJECTORS.istio.reservedPorts] },
      ],
    });
  }

  const linkerd = annotation('linkerd.io/inject');
  if (meshAllowed && linkerd && /^(enabled|ingress)$/.test(linkerd.value)) {
    // the alpha key of Linkerd 2.15 still works, deprecated for the beta one (linkerd.io/2/reference/proxy-configuration)
    const nativeKey =
      annotation('config.beta.linkerd.io/proxy-enable-native-sidecar') ??
      annotation('config.alpha.linkerd.io/proxy-enable-native-sidecar');
    const native = TRUE.test(nativeKey?.value ?? '');
    out.push({
      injector: INJECTORS.linkerd,
      trigger: linkerd,
      triggerField: 'annotations',
      ghosts: [
        { name: 'linkerd-init', role: 'init', ports: [] },
        { name: 'linkerd-proxy', role: native ? 'sidecar' : 'regular', ports: [...INJECTORS.linkerd.reservedPorts] },
      ],
    });
  }

  const dapr = annotation('dapr.io/enabled');
  if (dapr && TRUE.test(dapr.value)) {
    out.push({
      injector: INJECTORS.dapr,
      trigger: dapr,
      triggerField: 'annotations',
      ghosts: [{ name: 'daprd', role: 'regular', ports: daprPorts(annotation) }],
    });
  }

  const vault = annotation('vault.hashicorp.com/agent-inject');
  if (vault && TRUE.test(vault.value)) {
    const preOnly = TRUE.test(annotation('vault.hashicorp.com/agent-pre-populate-only')?.value ?? '');
    const ghosts: GhostContainer[] = [{ name: 'vault-agent-init', role: 'init', ports: [] }];
    if (!preOnly) ghosts.push({ name: 'vault-agent', role: 'regular', ports: [] });
    out.push({ injector: INJECTORS.vault, trigger: vault, triggerField: 'annotations', ghosts });
  }

  const own = pod.custom?.injects;
  if (own) {
    const kindRange = pod.kindRange;
    out.push({
      injector: INJECTORS[own],
      trigger: { key: 'kind', value: pod.kind, keyRange: kindRange, valueRange: kindRange },
      triggerField: 'kind',
      ghosts: controllerGhosts(pod),
    });
  }

  const otel = annotation('sidecar.opentelemetry.io/inject');
  if (otel && otel.value !== '' && !/^false$/i.test(otel.value)) {
    out.push({
      injector: INJECTORS.otel,
      trigger: otel,
      triggerField: 'annotations',
      ghosts: [{ name: 'otc-container', role: 'regular', ports: [...INJECTORS.otel.reservedPorts] }],
    });
  }
  out.push(...(elsewhere.get(pod) ?? []));
  return out;
}

/**
 * Injections a pod gets from objects elsewhere (the SidecarSets that select it), on a copy of the
 * pod made for one request (withInjections): a cached model never carries them, as what selects
 * it changes with the other documents.
 */
const elsewhere = new WeakMap<PodModel, readonly InjectionRequest[]>();

/** A copy of `pod` whose injectionRequests also hold `requests`. */
export function withInjections(pod: PodModel, requests: readonly InjectionRequest[]): PodModel {
  const copy = { ...pod };
  elsewhere.set(copy, [...(elsewhere.get(pod) ?? []), ...requests]);
  return copy;
}

/** One label or annotation an injector reads on the pod template. */
export interface InjectorKey {
  injector: InjectorId;
  /** A key ending in `-` is a prefix the user completes (Vault's agent-inject-secret-<file>). */
  key: string;
  field: 'labels' | 'annotations';
  description: string;
  /** Usual values, the first being what a person most often means. */
  values?: readonly string[];
}

/** The keys completion offers on pod template metadata, from each injector's documentation (INJECTORS[id].docs). */
export const INJECTOR_KEYS: readonly InjectorKey[] = [
  {
    injector: 'istio',
    key: 'sidecar.istio.io/inject',
    field: 'labels',
    description: 'Istio adds its proxy to this pod (a label: the annotation of the same name is deprecated).',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'istio',
    key: 'sidecar.istio.io/nativeSidecar',
    field: 'annotations',
    description: 'Istio injects istio-proxy as a native sidecar (an init container with restartPolicy: Always).',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'istio',
    key: 'proxy.istio.io/config',
    field: 'annotations',
    description: 'ProxyConfig overrides for this pod, e.g. `holdApplicationUntilProxyStarts: true`.',
  },
  {
    injector: 'istio',
    key: 'traffic.sidecar.istio.io/excludeOutboundPorts',
    field: 'annotations',
    description: 'Comma-separated outbound ports that bypass the proxy.',
  },
  {
    injector: 'istio',
    key: 'traffic.sidecar.istio.io/excludeInboundPorts',
    field: 'annotations',
    description: 'Comma-separated inbound ports that bypass the proxy.',
  },
  {
    injector: 'linkerd',
    key: 'linkerd.io/inject',
    field: 'annotations',
    description: 'Linkerd adds linkerd-proxy (and linkerd-init unless the CNI plugin is used).',
    values: ['enabled', 'disabled', 'ingress'],
  },
  {
    injector: 'linkerd',
    key: 'config.beta.linkerd.io/proxy-enable-native-sidecar',
    field: 'annotations',
    description:
      'Linkerd injects its proxy as a native sidecar; do not combine with config.alpha.linkerd.io/proxy-wait-before-exit-seconds.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'linkerd',
    key: 'config.linkerd.io/skip-outbound-ports',
    field: 'annotations',
    description: 'Comma-separated outbound ports that bypass the proxy.',
  },
  {
    injector: 'linkerd',
    key: 'config.linkerd.io/skip-inbound-ports',
    field: 'annotations',
    description: 'Comma-separated inbound ports that bypass the proxy.',
  },
  {
    injector: 'dapr',
    key: 'dapr.io/enabled',
    field: 'annotations',
    description: 'Dapr adds its daprd sidecar.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'dapr',
    key: 'dapr.io/app-id',
    field: 'annotations',
    description: 'The id other Dapr apps call this one by.',
  },
  {
    injector: 'dapr',
    key: 'dapr.io/app-port',
    field: 'annotations',
    description: "The port daprd reaches the app on: one of the app's containerPorts.",
  },
  {
    injector: 'dapr',
    key: 'dapr.io/app-protocol',
    field: 'annotations',
    description: 'How daprd talks to the app.',
    values: ['http', 'grpc', 'https', 'grpcs', 'h2c'],
  },
  {
    injector: 'dapr',
    key: 'dapr.io/graceful-shutdown-seconds',
    field: 'annotations',
    description: "How long daprd waits on shutdown; must not exceed the pod's terminationGracePeriodSeconds.",
  },
  {
    injector: 'dapr',
    key: 'dapr.io/log-level',
    field: 'annotations',
    description: 'Log level of daprd.',
    values: ['info', 'debug', 'warn', 'error'],
  },
  {
    injector: 'vault',
    key: 'vault.hashicorp.com/agent-inject',
    field: 'annotations',
    description: 'The Vault Agent Injector adds vault-agent-init and vault-agent.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'vault',
    key: 'vault.hashicorp.com/role',
    field: 'annotations',
    description: 'The Vault Kubernetes auth role the agent logs in with.',
  },
  {
    injector: 'vault',
    key: 'vault.hashicorp.com/agent-inject-secret-',
    field: 'annotations',
    description: 'Renders the secret at this path into /vault/secrets/<name after the prefix>.',
  },
  {
    injector: 'vault',
    key: 'vault.hashicorp.com/agent-inject-template-',
    field: 'annotations',
    description: 'A template for the secret file of the same name.',
  },
  {
    injector: 'vault',
    key: 'vault.hashicorp.com/agent-pre-populate-only',
    field: 'annotations',
    description: 'Only the init container runs (secrets are rendered once, no sidecar stays).',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'otel',
    key: 'sidecar.opentelemetry.io/inject',
    field: 'annotations',
    description: 'The OpenTelemetry Operator adds its collector: "true", or the name of an OpenTelemetryCollector.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'otel',
    key: 'instrumentation.opentelemetry.io/inject-java',
    field: 'annotations',
    description: 'The OpenTelemetry Operator injects Java auto-instrumentation.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'otel',
    key: 'instrumentation.opentelemetry.io/inject-nodejs',
    field: 'annotations',
    description: 'The OpenTelemetry Operator injects Node.js auto-instrumentation.',
    values: ['"true"', '"false"'],
  },
  {
    injector: 'otel',
    key: 'instrumentation.opentelemetry.io/inject-python',
    field: 'annotations',
    description: 'The OpenTelemetry Operator injects Python auto-instrumentation.',
    values: ['"true"', '"false"'],
  },
];

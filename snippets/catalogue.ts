// The one catalogue of sidecar snippets (facts from ../shared/specs/sidecars.md).
//
// Why a typed source plus a generated snippets/sidecars.json rather than the JSON alone: VS Code's
// contributes.snippets needs a static file of prefix/body/description, but the server's completion
// needs structure a snippet body cannot carry (which volume the sidecar shares, its source, where
// the app mounts it) so it can add the volume and the app's mount with additionalTextEdits. Both
// are rendered from this file: the server imports it (bundled by esbuild), and
// `node snippets/generate.mjs` writes the JSON (`--check` fails when the JSON is stale; the unit
// tests compare them too).
//
// Conventions: pinned image tags, a memory request, runAsNonRoot where the image runs as a
// non-root user (with a numeric runAsUser when the image names its user, so the kubelet can verify
// it), and every shared volume mounted in the sidecar and (for hand-offs) in the app.

/** Where a container mounts a volume. */
export interface Mount {
  mountPath: string;
  readOnly?: boolean;
}

/** A volume a sidecar needs in the pod. */
export interface SharedVolume {
  /** The volume's name in `spec.volumes`; plain text, since additionalTextEdits cannot hold placeholders. */
  name: string;
  source: { emptyDir: Record<string, never> } | { configMap: { name: string } };
  /** Where the sidecar mounts it. */
  sidecar: Mount;
  /** Where the app mounts it; undefined when only the sidecar reads it (its own configuration). */
  app?: Mount;
}

export interface SidecarSnippet {
  /** Also the id of its entry in KNOWN_SIDECARS when the image is one (checked by a test). */
  id: string;
  title: string;
  /** What it does, one sentence. */
  summary: string;
  /**
   * The container's keys in VS Code snippet syntax, starting with `name:`; indented by two spaces
   * per level as in the final YAML. Without `restartPolicy` and `volumeMounts`: the form adds the
   * first, the shared volumes the second.
   */
  container: string[];
  volumes: SharedVolume[];
}

export type SidecarForm = 'native' | 'classic';

/** The app's log directory, shared with a log sidecar that reads it (a log tailer, Fluent Bit, Fluentd). */
const APP_LOGS: SharedVolume = {
  name: 'logs',
  source: { emptyDir: {} },
  sidecar: { mountPath: '/var/log/app', readOnly: true },
  app: { mountPath: '/var/log/app' },
};

export const SIDECAR_SNIPPETS: readonly SidecarSnippet[] = [
  {
    id: 'log-tailer',
    title: 'Log tailer (busybox)',
    summary: "streams the app's log file to the sidecar's stdout, where `kubectl logs` and node agents see it",
    container: [
      'name: ${1:log-tailer}',
      'image: busybox:1.36.1',
      "args: [/bin/sh, -c, 'tail -n+1 -F ${2:/var/log/app/app.log}']",
      'securityContext:',
      '  runAsNonRoot: true',
      '  runAsUser: 65534',
      'resources:',
      '  requests:',
      '    memory: ${3:16Mi}',
    ],
    volumes: [APP_LOGS],
  },
  {
    id: 'fluent-bit',
    title: 'Fluent Bit log shipper',
    summary:
      "tails the app's log files and ships them; its configuration (`[INPUT] Name tail, Path /var/log/app/*.log`) comes from a ConfigMap",
    container: [
      'name: ${1:fluent-bit}',
      'image: cr.fluentbit.io/fluent/fluent-bit:3.1.9',
      'ports:',
      '  - name: fb-metrics',
      '    containerPort: 2020',
      'resources:',
      '  requests:',
      '    memory: ${2:32Mi}',
    ],
    volumes: [
      APP_LOGS,
      {
        name: 'fluent-bit-config',
        source: { configMap: { name: 'fluent-bit-config' } },
        sidecar: { mountPath: '/fluent-bit/etc/', readOnly: true },
      },
    ],
  },
  {
    id: 'fluentd',
    title: 'Fluentd agent',
    summary: "reads the app's log files and forwards them, configured by a ConfigMap",
    container: [
      'name: ${1:fluentd}',
      'image: fluent/fluentd:v1.17.1-1.0',
      // the image's entrypoint would read /fluentd/etc; run fluentd on the mounted configuration
      'command: [fluentd, -c, /etc/fluentd-config/fluentd.conf]',
      'resources:',
      '  requests:',
      '    memory: ${2:64Mi}',
    ],
    volumes: [
      APP_LOGS,
      {
        name: 'fluentd-config',
        source: { configMap: { name: 'fluentd-config' } },
        sidecar: { mountPath: '/etc/fluentd-config', readOnly: true },
      },
    ],
  },
  {
    id: 'nginx-prometheus-exporter',
    title: 'Prometheus exporter (nginx)',
    summary: "turns nginx's stub_status into Prometheus metrics on the named port `metrics` (for a PodMonitor)",
    container: [
      'name: ${1:nginx-exporter}',
      'image: nginx/nginx-prometheus-exporter:1.3.0',
      'args: [--nginx.scrape-uri=http://127.0.0.1:${2:8080}/stub_status]',
      'ports:',
      '  - name: metrics',
      '    containerPort: 9113',
      'securityContext:',
      '  runAsNonRoot: true',
      '  runAsUser: 65534',
      'resources:',
      '  requests:',
      '    memory: ${3:16Mi}',
    ],
    volumes: [],
  },
  {
    id: 'otel-collector',
    title: 'OpenTelemetry Collector',
    summary: 'receives OTLP from the app on localhost (4317 gRPC, 4318 HTTP) and exports it, configured by a ConfigMap',
    container: [
      'name: ${1:otel-collector}',
      'image: otel/opentelemetry-collector-contrib:0.111.0',
      'args: [--config=/etc/otelcol-contrib/config.yaml]',
      'ports:',
      '  - name: otlp-grpc',
      '    containerPort: 4317',
      '  - name: otlp-http',
      '    containerPort: 4318',
      'securityContext:',
      '  runAsNonRoot: true',
      'resources:',
      '  requests:',
      '    memory: ${2:64Mi}',
    ],
    volumes: [
      {
        name: 'otel-collector-config',
        source: { configMap: { name: 'otel-collector-config' } },
        sidecar: { mountPath: '/etc/otelcol-contrib', readOnly: true },
      },
    ],
  },
  {
    id: 'envoy',
    title: 'Envoy proxy',
    summary:
      'listens on 10000 and forwards to the app on 127.0.0.1; its envoy.yaml (admin bound to 127.0.0.1:9901) comes from a ConfigMap',
    container: [
      'name: ${1:envoy}',
      'image: envoyproxy/envoy-distroless:v1.31.2',
      'args: [-c, /etc/envoy/envoy.yaml]',
      'ports:',
      '  - name: envoy',
      '    containerPort: 10000',
      'securityContext:',
      '  runAsNonRoot: true',
      'resources:',
      '  requests:',
      '    memory: ${2:64Mi}',
    ],
    volumes: [
      {
        name: 'envoy-config',
        source: { configMap: { name: 'envoy-config' } },
        sidecar: { mountPath: '/etc/envoy', readOnly: true },
      },
    ],
  },
  {
    id: 'oauth2-proxy',
    title: 'oauth2-proxy',
    summary: 'puts a login in front of the app; point the Service at port 4180, not at the app',
    container: [
      'name: ${1:oauth2-proxy}',
      'image: quay.io/oauth2-proxy/oauth2-proxy:v7.7.1',
      'args:',
      // its default 127.0.0.1 would be unreachable from a Service
      '  - --http-address=0.0.0.0:4180',
      '  - --upstream=http://127.0.0.1:${2:8080}/',
      '  - --provider=${3:oidc}',
      'envFrom:',
      '  - secretRef:',
      '      name: ${4:oauth2-proxy}',
      'ports:',
      '  - name: oauth2-proxy',
      '    containerPort: 4180',
      'securityContext:',
      '  runAsNonRoot: true',
      'resources:',
      '  requests:',
      '    memory: ${5:32Mi}',
    ],
    volumes: [],
  },
  {
    id: 'cloud-sql-proxy',
    title: 'Cloud SQL Auth Proxy',
    summary:
      'opens the database on 127.0.0.1; `--exit-zero-on-sigterm` lets a Job finish cleanly when the kubelet stops it',
    container: [
      'name: ${1:cloud-sql-proxy}',
      'image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1',
      'args: [--exit-zero-on-sigterm, --port=${2:5432}, "${3:project:region:instance}"]',
      'securityContext:',
      '  runAsNonRoot: true',
      'resources:',
      '  requests:',
      '    memory: ${4:64Mi}',
    ],
    volumes: [],
  },
  {
    id: 'git-sync',
    title: 'git-sync',
    summary: 'keeps a git checkout fresh in a shared emptyDir; the app serves /git/current',
    container: [
      'name: ${1:git-sync}',
      'image: registry.k8s.io/git-sync/git-sync:v4.3.0',
      'args:',
      '  - --repo=${2:https://github.com/example/site}',
      '  - --root=/git',
      '  - --link=current',
      '  - --period=${3:60s}',
      'securityContext:',
      '  runAsNonRoot: true',
      'resources:',
      '  requests:',
      '    memory: ${4:32Mi}',
    ],
    volumes: [
      {
        name: 'content',
        source: { emptyDir: {} },
        sidecar: { mountPath: '/git' },
        app: { mountPath: '/git', readOnly: true },
      },
    ],
  },
  {
    id: 'config-reloader',
    title: 'Config reloader',
    summary: "watches the app's ConfigMap volume and calls the app's reload URL on localhost when it changes",
    container: [
      'name: ${1:config-reloader}',
      'image: ghcr.io/jimmidyson/configmap-reload:v0.14.0',
      'args:',
      '  - --volume-dir=/etc/app',
      '  - --webhook-url=${2:http://127.0.0.1:8080/-/reload}',
      'ports:',
      '  - name: reload-metrics',
      '    containerPort: 9533',
      'securityContext:',
      '  runAsNonRoot: true',
      '  runAsUser: 65534',
      'resources:',
      '  requests:',
      '    memory: ${3:16Mi}',
    ],
    volumes: [
      {
        name: 'app-config',
        source: { configMap: { name: 'app-config' } },
        sidecar: { mountPath: '/etc/app', readOnly: true },
        app: { mountPath: '/etc/app', readOnly: true },
      },
    ],
  },
];

/**
 * The list item of a sidecar in its form, relative to the item's dash: the first line starts with
 * `- `, the others with two spaces more per level.
 */
export function sidecarItem(
  snippet: SidecarSnippet,
  form: SidecarForm,
  volumeNames?: ReadonlyMap<string, string>,
): string[] {
  const lines: string[] = [];
  for (const line of snippet.container) {
    lines.push(line);
    // right after the image, where people look for it
    if (form === 'native' && line.startsWith('image:')) lines.push('restartPolicy: Always');
  }
  if (snippet.volumes.length > 0) {
    lines.push('volumeMounts:');
    for (const v of snippet.volumes) {
      lines.push(...mountLines(volumeNames?.get(v.name) ?? v.name, v.sidecar).map((l) => `  ${l}`));
    }
  }
  return lines.map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
}

/** A volumeMounts item, relative to its dash. */
export function mountLines(name: string, mount: Mount): string[] {
  const lines = [`  - name: ${name}`, `    mountPath: ${mount.mountPath}`];
  if (mount.readOnly) lines.push('    readOnly: true');
  return lines.map((l) => l.slice(2));
}

/** A volumes item, relative to its dash. */
export function volumeLines(volume: SharedVolume, name = volume.name): string[] {
  const source =
    'emptyDir' in volume.source ? ['  emptyDir: {}'] : ['  configMap:', `    name: ${volume.source.configMap.name}`];
  return [`- name: ${name}`, ...source];
}

// ---------------------------------------------------------------------------------------------
// Injection: the injector adds the sidecar at admission, the pod template only asks for it.

export interface InjectionSnippet {
  /** An InjectorId of server/src/model/sidecars.ts. */
  injector: 'istio' | 'linkerd' | 'dapr' | 'vault' | 'otel';
  title: string;
  /** Istio reads a label; the others read annotations (see sidecars.md). */
  field: 'labels' | 'annotations';
  /** `key: value` lines in snippet syntax. */
  entries: string[];
  summary: string;
}

export const INJECTION_SNIPPETS: readonly InjectionSnippet[] = [
  {
    injector: 'istio',
    title: 'Istio sidecar injection',
    field: 'labels',
    entries: ['sidecar.istio.io/inject: "true"'],
    summary: 'asks Istio to add istio-proxy (the annotation of the same name is deprecated)',
  },
  {
    injector: 'linkerd',
    title: 'Linkerd proxy injection',
    field: 'annotations',
    entries: ['linkerd.io/inject: enabled'],
    summary: 'asks Linkerd to add linkerd-proxy',
  },
  {
    injector: 'dapr',
    title: 'Dapr sidecar injection',
    field: 'annotations',
    entries: ['dapr.io/enabled: "true"', 'dapr.io/app-id: ${1:app}', 'dapr.io/app-port: "${2:8080}"'],
    summary: "asks Dapr to add daprd; app-port must be one of the app's containerPorts",
  },
  {
    injector: 'vault',
    title: 'Vault Agent injection',
    field: 'annotations',
    entries: [
      'vault.hashicorp.com/agent-inject: "true"',
      'vault.hashicorp.com/role: ${1:app}',
      'vault.hashicorp.com/agent-inject-secret-${2:config}: ${3:secret/data/app/config}',
    ],
    summary: 'asks the Vault Agent Injector to render secrets into /vault/secrets in every container',
  },
  {
    injector: 'otel',
    title: 'OpenTelemetry Collector injection',
    field: 'annotations',
    entries: ['sidecar.opentelemetry.io/inject: "${1:true}"'],
    summary: 'asks the OpenTelemetry Operator to add its collector (true, or the name of an OpenTelemetryCollector)',
  },
];

// ---------------------------------------------------------------------------------------------
// The VS Code snippet file

export interface VsCodeSnippet {
  prefix: string[];
  description: string;
  body: string[];
}

const FORM_WORDS: Record<SidecarForm, string> = {
  native: 'a native sidecar for initContainers (restartPolicy: Always, Kubernetes 1.29+)',
  classic: 'a sidecar for containers (the form before Kubernetes 1.29; never in a Job)',
};

/** What the server's completion adds, said for the static snippet that cannot add it. */
export function volumeAdvice(snippet: SidecarSnippet): string {
  if (snippet.volumes.length === 0) return '';
  const parts = snippet.volumes.map((v) => {
    const source = 'emptyDir' in v.source ? 'emptyDir' : `configMap ${v.source.configMap.name}`;
    return v.app ? `${v.name} (${source}, the app mounts it at ${v.app.mountPath})` : `${v.name} (${source})`;
  });
  return ` Needs the volume${parts.length > 1 ? 's' : ''} ${parts.join(' and ')} in spec.volumes.`;
}

/** The contents of snippets/sidecars.json. */
export function vsCodeSnippets(): Record<string, VsCodeSnippet> {
  const out: Record<string, VsCodeSnippet> = { ...WORKLOAD_SNIPPETS };
  for (const s of SIDECAR_SNIPPETS) {
    for (const form of ['native', 'classic'] as const) {
      out[`${s.title}, ${form} sidecar`] = {
        prefix: [`sidecar-${s.id}-${form}`],
        description: `${s.title}: ${s.summary}; ${FORM_WORDS[form]}.${volumeAdvice(s)}`,
        body: [...sidecarItem(s, form), '$0'],
      };
    }
  }
  for (const s of INJECTION_SNIPPETS) {
    out[s.title] = {
      prefix: [`inject-${s.injector}`],
      description: `${s.title}: ${s.summary}. Goes under spec.template.metadata.${s.field} (a Pod's own metadata.${s.field}).`,
      body: [...s.entries, '$0'],
    };
  }
  return out;
}

/** Whole workloads, kept as written (they are complete examples, not parts to assemble). */
const WORKLOAD_SNIPPETS: Record<string, VsCodeSnippet> = {
  'Pod with a native sidecar': {
    prefix: ['pod-native-sidecar', 'sidecar-pod'],
    description:
      'A Pod whose log shipper is a native sidecar (initContainers + restartPolicy: Always, Kubernetes 1.29+), sharing an emptyDir with the app.',
    body: [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: ${1:app}',
      '  labels:',
      '    app: ${1:app}',
      'spec:',
      '  initContainers:',
      '    # a native sidecar: starts before the app, runs beside it, stops after it',
      '    - name: ${2:log-shipper}',
      '      image: ${3:cr.fluentbit.io/fluent/fluent-bit:3.1.9}',
      '      restartPolicy: Always',
      '      resources:',
      '        requests:',
      '          memory: 32Mi',
      '      volumeMounts:',
      '        - name: logs',
      '          mountPath: /var/log/app',
      '          readOnly: true',
      '  containers:',
      '    - name: ${1:app}',
      '      image: ${4:ghcr.io/example/app:1.0.0}',
      '      ports:',
      '        - containerPort: ${5:8080}',
      '      resources:',
      '        requests:',
      '          memory: 128Mi',
      '      volumeMounts:',
      '        - name: logs',
      '          mountPath: /var/log/app',
      '  volumes:',
      '    - name: logs',
      '      emptyDir: {}',
      '$0',
    ],
  },
  'Deployment with a native sidecar': {
    prefix: ['deployment-native-sidecar', 'sidecar-deployment'],
    description: 'A Deployment whose pod template has a native sidecar log shipper sharing an emptyDir with the app.',
    body: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: ${1:app}',
      'spec:',
      '  replicas: ${2:2}',
      '  selector:',
      '    matchLabels:',
      '      app: ${1:app}',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: ${1:app}',
      '    spec:',
      '      initContainers:',
      '        - name: ${3:log-shipper}',
      '          image: ${4:cr.fluentbit.io/fluent/fluent-bit:3.1.9}',
      '          restartPolicy: Always',
      '          resources:',
      '            requests:',
      '              memory: 32Mi',
      '          volumeMounts:',
      '            - name: logs',
      '              mountPath: /var/log/app',
      '              readOnly: true',
      '      containers:',
      '        - name: ${1:app}',
      '          image: ${5:ghcr.io/example/app:1.0.0}',
      '          ports:',
      '            - containerPort: ${6:8080}',
      '          resources:',
      '            requests:',
      '              memory: 128Mi',
      '          volumeMounts:',
      '            - name: logs',
      '              mountPath: /var/log/app',
      '      volumes:',
      '        - name: logs',
      '          emptyDir: {}',
      '$0',
    ],
  },
  'Job with a native sidecar': {
    prefix: ['job-native-sidecar', 'sidecar-job'],
    description:
      'A Job whose helper (here the Cloud SQL Auth Proxy) is a native sidecar, so the Job completes when the main container exits.',
    body: [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  name: ${1:migrate}',
      'spec:',
      '  backoffLimit: 2',
      '  template:',
      '    spec:',
      '      restartPolicy: Never',
      '      initContainers:',
      "        # stopped by the kubelet once the Job's container exits",
      '        - name: cloud-sql-proxy',
      '          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1',
      '          restartPolicy: Always',
      '          args: ["--exit-zero-on-sigterm", "--port=5432", "${2:project:region:instance}"]',
      '          securityContext:',
      '            runAsNonRoot: true',
      '          resources:',
      '            requests:',
      '              memory: 64Mi',
      '      containers:',
      '        - name: ${1:migrate}',
      '          image: ${3:ghcr.io/example/migrate:1.0.0}',
      '          env:',
      '            - name: DATABASE_HOST',
      '              value: 127.0.0.1:5432',
      '          resources:',
      '            requests:',
      '              memory: 128Mi',
      '$0',
    ],
  },
};

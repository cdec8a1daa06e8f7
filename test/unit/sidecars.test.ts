import * as assert from 'node:assert/strict';
import { ModelCache } from '../../server/src/model/file-model';
import { imageRepository, injectionRequests, knownSidecar, runsOnce } from '../../server/src/model/sidecars';
import type { ContainerModel, PodModel } from '../../server/src/model/types';

/** The pod of a one-document file. */
function pod(text: string): PodModel {
  const [doc] = new ModelCache().parseFile(text).documents;
  const [first] = doc!.model.pods;
  assert.ok(first, 'no pod in the text');
  return first;
}

/** A Deployment whose pod template carries these labels and annotations (YAML lines, indented below). */
function deployment(
  meta: { labels?: string[]; annotations?: string[] },
  containers = '        - name: app\n          image: nginx:1.27\n',
): string {
  const block = (key: string, lines: string[] | undefined): string =>
    lines ? `      ${key}:\n${lines.map((l) => `        ${l}\n`).join('')}` : '';
  return (
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n    sidecar.istio.io/inject: "true"\n' +
    'spec:\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n' +
    `${block('labels', meta.labels)}${block('annotations', meta.annotations)}` +
    `    spec:\n      containers:\n${containers}`
  );
}

function summary(p: PodModel): string[] {
  return injectionRequests(p).map(
    (r) =>
      `${r.injector.id} by ${r.triggerField} ${r.trigger.key}: ` +
      r.ghosts.map((g) => `${g.name}/${g.role}[${g.ports.join(',')}]`).join(' '),
  );
}

describe('sidecar catalogue: imageRepository', () => {
  const cases: [string, string][] = [
    ['nginx', 'nginx'],
    ['nginx:1.27', 'nginx'],
    ['docker.io/library/nginx:1.27', 'docker.io/library/nginx'],
    ['localhost:5000/team/envoy', 'localhost:5000/team/envoy'],
    ['localhost:5000/team/envoy:v1.31.0', 'localhost:5000/team/envoy'],
    ['registry.example.com:443/a/b/c:1.2@sha256:0123abcd', 'registry.example.com:443/a/b/c'],
    ['busybox@sha256:0123abcd', 'busybox'],
    ['  Cr.FluentBit.io/Fluent/Fluent-Bit:3.1 ', 'cr.fluentbit.io/fluent/fluent-bit'],
  ];
  for (const [image, repository] of cases) {
    it(`${JSON.stringify(image)} -> ${repository}`, () => assert.equal(imageRepository(image), repository));
  }

  it('recognises a known sidecar behind a registry port, tag and digest, and not a look-alike', () => {
    const text = (image: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
    assert.equal(
      knownSidecar(pod(text('mirror.local:5000/envoyproxy/envoy:v1.31.0@sha256:ab'))!.containers[0]!)?.id,
      'envoy',
    );
    assert.equal(knownSidecar(pod(text('example/not-envoy:1.0'))!.containers[0]!), undefined);
  });
});

/** The one container of a Pod with this image and these container lines (indented below it). */
function container(image: string, lines: string[] = []): ContainerModel {
  const text =
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n` +
    lines.map((l) => `      ${l}\n`).join('');
  return pod(text).containers[0]!;
}

describe('sidecar catalogue: knownSidecar', () => {
  // by the repository's last part (or owner and name where the name alone is generic), behind any
  // registry, port, tag and digest; never by a substring
  const cases: [string, string | undefined][] = [
    ['quay.io/kiwigrid/k8s-sidecar:1.30.3', 'k8s-sidecar'],
    ['kiwigrid/k8s-sidecar', 'k8s-sidecar'],
    ['docker.io/kiwigrid/k8s-sidecar:1.28.0@sha256:0123abcd', 'k8s-sidecar'],
    ['ghcr.io/kiwigrid/k8s-sidecar:2.1.2', 'k8s-sidecar'],
    ['mirror.local:5000/kiwigrid/k8s-sidecar:1.30.3', 'k8s-sidecar'],
    ['example/k8s-sidecar:1.0', undefined],
    ['quay.io/kiwigrid/k8s-sidecar-injector:1.0', undefined],
    ['oliver006/redis_exporter:v1.62.0', 'redis-exporter'],
    ['quay.io/oliver006/redis_exporter', 'redis-exporter'],
    ['docker.io/bitnami/redis-exporter:1.62.0-debian-12-r2', 'redis-exporter'],
    ['mirror.local:5000/oliver006/redis_exporter@sha256:0123abcd', 'redis-exporter'],
    ['example/my-redis-exporter-ui:1.0', undefined],
    ['example/redis-exporter-config:1.0', undefined],
    ['redis:7.4', undefined],
    ['quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 'postgres-exporter'],
    ['prometheuscommunity/postgres-exporter', 'postgres-exporter'],
    ['wrouesnel/postgres_exporter:v0.8.0', 'postgres-exporter'],
    ['docker.io/bitnami/postgres-exporter:0.15.0@sha256:0123abcd', 'postgres-exporter'],
    ['example/postgres-exporter-dashboard:1.0', undefined],
    ['postgres:16', undefined],
    ['kbudde/rabbitmq-exporter:1.0.0', 'rabbitmq-exporter'],
    ['ghcr.io/kbudde/rabbitmq_exporter:1.0.0-RC14', 'rabbitmq-exporter'],
    ['docker.io/bitnami/rabbitmq-exporter:1.0.0@sha256:0123abcd', 'rabbitmq-exporter'],
    ['rabbitmq:3-management', undefined],
    ['example/rabbitmq-exporter-tests:1.0', undefined],
    ['quay.io/oauth2-proxy/oauth2-proxy:v7.7.1', 'oauth2-proxy'],
    ['quay.io/oauth2-proxy/oauth2-proxy:v7.7.1-alpine@sha256:0123abcd', 'oauth2-proxy'],
    ['quay.io/pusher/oauth2_proxy:v5.1.1', 'oauth2-proxy'],
    ['bitnami/oauth2-proxy:7.7.1', 'oauth2-proxy'],
    ['quay.io/oauth2-proxy/oauth2-proxy-nightly:latest', 'oauth2-proxy'],
    ['example/oauth2-proxy-sidecar-injector:1.0', undefined],
    ['nginx/nginx-prometheus-exporter:1.3.0', 'nginx-prometheus-exporter'],
  ];
  for (const [image, id] of cases) {
    it(`${image} -> ${id ?? 'none'}`, () => assert.equal(knownSidecar(container(image))?.id, id));
  }
});

describe('sidecar catalogue: runsOnce', () => {
  it('k8s-sidecar with METHOD=LIST lists once and exits; WATCH, SLEEP and no METHOD keep it running', () => {
    const k8sSidecar = (method?: string): boolean => {
      const c = container('quay.io/kiwigrid/k8s-sidecar:1.30.3', [
        'env:',
        '  - { name: LABEL, value: grafana_datasource }',
        ...(method === undefined ? [] : [`  - { name: METHOD, value: ${method} }`]),
      ]);
      return runsOnce(c, knownSidecar(c)!);
    };
    assert.equal(k8sSidecar('LIST'), true);
    assert.equal(k8sSidecar('"LIST"'), true);
    assert.equal(k8sSidecar('WATCH'), false);
    assert.equal(k8sSidecar('SLEEP'), false);
    // the sidecar compares the value as written (method == "LIST")
    assert.equal(k8sSidecar('list'), false);
    assert.equal(k8sSidecar(), false);
  });

  it('git-sync with --one-time or GIT_SYNC_ONE_TIME; other images never', () => {
    const once = (image: string, lines: string[]): boolean => {
      const c = container(image, lines);
      return runsOnce(c, knownSidecar(c)!);
    };
    assert.equal(once('registry.k8s.io/git-sync/git-sync:v4.2.4', ['args: [--repo=https://x, --one-time]']), true);
    assert.equal(once('k8s.gcr.io/git-sync:v3.6.9', ['env: [{ name: GIT_SYNC_ONE_TIME, value: "true" }]']), true);
    assert.equal(once('registry.k8s.io/git-sync/git-sync:v4.2.4', ['args: [--repo=https://x]']), false);
    assert.equal(once('oliver006/redis_exporter:v1.62.0', ['env: [{ name: METHOD, value: LIST }]']), false);
  });
});

describe('sidecar catalogue: injectionRequests', () => {
  it('Istio by the pod-template label, sidecar or native sidecar', () => {
    assert.deepEqual(summary(pod(deployment({ labels: ['sidecar.istio.io/inject: "true"'] }))), [
      'istio by labels sidecar.istio.io/inject: istio-init/init[] istio-proxy/regular[15000,15001,15004,15006,15008,15009,15020,15021,15053,15090]',
    ]);
    const native = pod(
      deployment({
        labels: ['sidecar.istio.io/inject: "true"'],
        annotations: ['sidecar.istio.io/nativeSidecar: "true"'],
      }),
    );
    assert.equal(injectionRequests(native)[0]!.ghosts[1]!.role, 'sidecar');
  });

  it('Istio: the deprecated annotation asks too, the label wins over it, and the workload metadata does not count', () => {
    assert.deepEqual(summary(pod(deployment({ annotations: ['sidecar.istio.io/inject: "true"'] }))).length, 1);
    assert.deepEqual(
      summary(
        pod(
          deployment({
            labels: ['sidecar.istio.io/inject: "false"'],
            annotations: ['sidecar.istio.io/inject: "true"'],
          }),
        ),
      ),
      [],
    );
    // the fixture puts an Istio annotation on the Deployment's own metadata: never seen by the injector
    assert.deepEqual(summary(pod(deployment({ labels: ['app: api'] }))), []);
  });

  it('Linkerd: enabled and ingress ask, disabled does not; native mode makes the proxy a sidecar', () => {
    assert.deepEqual(summary(pod(deployment({ annotations: ['linkerd.io/inject: enabled'] }))), [
      'linkerd by annotations linkerd.io/inject: linkerd-init/init[] linkerd-proxy/regular[4140,4143,4190,4191]',
    ]);
    assert.equal(summary(pod(deployment({ annotations: ['linkerd.io/inject: ingress'] }))).length, 1);
    assert.deepEqual(summary(pod(deployment({ annotations: ['linkerd.io/inject: disabled'] }))), []);
    const native = pod(
      deployment({
        annotations: ['linkerd.io/inject: enabled', 'config.beta.linkerd.io/proxy-enable-native-sidecar: "true"'],
      }),
    );
    assert.equal(injectionRequests(native)[0]!.ghosts[1]!.role, 'sidecar');
  });

  it('Dapr: enabled asks; the metrics port moves with dapr.io/metrics-port and goes with enable-metrics: false', () => {
    assert.deepEqual(summary(pod(deployment({ annotations: ['dapr.io/enabled: "true"', 'dapr.io/app-id: api'] }))), [
      'dapr by annotations dapr.io/enabled: daprd/regular[3500,50001,50002,9090]',
    ]);
    assert.deepEqual(
      summary(pod(deployment({ annotations: ['dapr.io/enabled: "true"', 'dapr.io/metrics-port: "9095"'] }))),
      ['dapr by annotations dapr.io/enabled: daprd/regular[3500,50001,50002,9095]'],
    );
    assert.deepEqual(
      summary(pod(deployment({ annotations: ['dapr.io/enabled: "true"', 'dapr.io/enable-metrics: "false"'] }))),
      ['dapr by annotations dapr.io/enabled: daprd/regular[3500,50001,50002]'],
    );
    assert.deepEqual(summary(pod(deployment({ annotations: ['dapr.io/enabled: "false"'] }))), []);
  });

  it('Vault: agent-inject asks; pre-populate-only leaves the init container only', () => {
    assert.deepEqual(summary(pod(deployment({ annotations: ['vault.hashicorp.com/agent-inject: "true"'] }))), [
      'vault by annotations vault.hashicorp.com/agent-inject: vault-agent-init/init[] vault-agent/regular[]',
    ]);
    assert.deepEqual(
      summary(
        pod(
          deployment({
            annotations: [
              'vault.hashicorp.com/agent-inject: "true"',
              'vault.hashicorp.com/agent-pre-populate-only: "true"',
            ],
          }),
        ),
      ),
      ['vault by annotations vault.hashicorp.com/agent-inject: vault-agent-init/init[]'],
    );
    assert.deepEqual(summary(pod(deployment({ annotations: ['vault.hashicorp.com/agent-inject: "false"'] }))), []);
  });

  it('OpenTelemetry: "true" or a collector name asks; "false" and empty do not', () => {
    const otel = 'otel by annotations sidecar.opentelemetry.io/inject: otc-container/regular[4317,4318]';
    assert.deepEqual(summary(pod(deployment({ annotations: ['sidecar.opentelemetry.io/inject: "true"'] }))), [otel]);
    assert.deepEqual(summary(pod(deployment({ annotations: ['sidecar.opentelemetry.io/inject: my-collector'] }))), [
      otel,
    ]);
    assert.deepEqual(summary(pod(deployment({ annotations: ['sidecar.opentelemetry.io/inject: "false"'] }))), []);
    assert.deepEqual(summary(pod(deployment({ annotations: ['sidecar.opentelemetry.io/inject: ""'] }))), []);
  });

  it('Istio and Linkerd do not inject a pod on the host network', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    sidecar.istio.io/inject: "true"\n' +
      '  annotations:\n    linkerd.io/inject: enabled\n' +
      'spec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: nginx:1.27\n';
    assert.deepEqual(
      injectionRequests(pod(text)).map((r) => r.injector.id),
      [],
    );
  });

  it('a Pod asks through its own metadata, and several injectors at once are all listed', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    sidecar.istio.io/inject: "true"\n' +
      '  annotations:\n    dapr.io/enabled: "true"\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';
    assert.deepEqual(
      injectionRequests(pod(text)).map((r) => r.injector.id),
      ['istio', 'dapr'],
    );
  });
});

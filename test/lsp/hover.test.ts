import * as assert from 'node:assert/strict';
import { STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { cursorFixture, type CursorFixture } from '../support/cursor';
import { LspClient } from '../support/lsp-client';

/** Markdown of the hover at a fixture's cursor (null when the server has none). */
async function hoverAt(client: LspClient, fixture: CursorFixture): Promise<string | null> {
  await client.open(fixture.uri, fixture.text);
  const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri: fixture.uri },
    position: fixture.position,
  });
  if (!hover) return null;
  return (hover.contents as MarkupContent).value;
}

/** Asserts every pattern is in the text, saying which one is missing. */
function includesAll(text: string | null, patterns: (string | RegExp)[]): void {
  assert.ok(text, 'expected a hover');
  for (const p of patterns) {
    if (typeof p === 'string') assert.ok(text.includes(p), `missing ${JSON.stringify(p)} in:\n${text}`);
    else assert.match(text, p);
  }
}

describe('hover over stdio', function () {
  let client: LspClient;

  before(async () => {
    client = new LspClient();
    const init = (await client.initialize()) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
  });
  after(async () => {
    await client.shutdown();
  });

  describe('pod networking', () => {
    it('on a containerPort: owner, the whole port map, localhost and the docs', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'port-container-port.yaml'));
      includesAll(md, [
        '**Port 8080/TCP** `http` of container `app`',
        '`localhost:8080`',
        '| container | role | port | name |',
        /\| `app` \| container \| \*\*8080\/TCP\*\* \| `http` \|/,
        /\| `log-shipper` \| native sidecar \| 2020\/TCP \| `metrics` \|/,
        'On `localhost` while the app runs: 2020 (`log-shipper`), 8080 (`app`)',
        'https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking',
      ]);
      assert.doesNotMatch(md!, /Conflict/);
    });

    it('on a port name: the same port facts', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'port-name.yaml'));
      includesAll(md, ['**Port 8080/TCP** `http`', 'a Service may target it by name']);
    });

    it("on a probe's named port: the port it resolves to", async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'probe-named-port.yaml'));
      includesAll(md, ['**Port 8080/TCP** `http` of container `app`']);
    });

    it('names the container a port conflicts with', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'port-conflict.yaml'));
      includesAll(md, [
        'of sidecar (classic, Envoy proxy) `proxy`',
        '**Conflict:** `app` declares 8080/TCP too',
        /\| `app` \| container \| 8080\/TCP \|/,
      ]);
    });

    it("names a known exporter's role by its catalogue title", async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'known-sidecar-port.yaml'));
      includesAll(md, [
        '**Port 9121/TCP** `metrics` of sidecar (classic, Redis exporter) `metrics`',
        /\| `redis` \| container \| 6379\/TCP \| `redis` \|/,
      ]);
    });

    it('on hostPort: what the node port means for the pod, naming every container', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'host-port.yaml'));
      includesAll(md, [
        '`hostPort: 80`',
        'at most one such pod on each node',
        'containers `app`, `exporter`',
        '8080/TCP (host 80)',
      ]);
    });

    it('on hostNetwork: every container by name, and the DNS consequence', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'host-network.yaml'));
      includesAll(md, [
        '**hostNetwork: true**',
        'all 2 containers of this pod (`agent`, `metrics`)',
        "node's network namespace",
        'ClusterFirstWithHostNet',
      ]);
    });

    it('on dnsPolicy: the effective policy for every container', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'dns-policy.yaml'));
      includesAll(md, [
        '**dnsPolicy: None**',
        '`/etc/resolv.conf` of all 2 containers of this pod (`app`, `resolver-sidecar`)',
        'dnsConfig',
        '#pod-s-dns-policy',
      ]);
    });

    it('on shareProcessNamespace: who sees whose processes', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'share-process-namespace.yaml'));
      includesAll(md, [
        '**shareProcessNamespace: true**',
        '(`app`, `reloader`) see and can signal',
        "PID 1 is the pod's pause process",
        'share-process-namespace/',
      ]);
    });
  });

  describe('pod storage', () => {
    it('on a shared emptyDir: both containers, both mount paths, access', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'volume-shared-emptydir.yaml'));
      includesAll(md, [
        '**Volume `logs`** · emptyDir',
        'erased when the pod is removed',
        /\| `log-shipper` \| native sidecar \| `\/var\/log\/app` \| read-only \|/,
        /\| `app` \| container \| `\/var\/log\/nginx` \| read-write \|/,
        'Shared by `log-shipper`, `app`',
        'https://kubernetes.io/docs/concepts/storage/volumes/#emptydir',
      ]);
    });

    it('on a volume k8s-sidecar fills: the sidecar by its catalogue title, writing', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'known-sidecar-volume.yaml'));
      includesAll(md, [
        '**Volume `sc-dashboard-volume`** · emptyDir',
        /\| `grafana-sc-dashboard` \| sidecar \(classic, k8s-sidecar\) \| `\/tmp\/dashboards` \| read-write \|/,
        /\| `grafana` \| container \| `\/tmp\/dashboards` \| read-write \|/,
      ]);
    });

    it('on a mount: which container, where, read-only, and the other users', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'mount.yaml'));
      includesAll(md, [
        '**Mount of volume `logs`** in native sidecar `log-shipper` at `/var/log/app`, read-only.',
        'emptyDir',
        /\| `app` \| container \| `\/var\/log\/nginx` \| read-write \|/,
      ]);
    });

    it('anywhere in a mount item, e.g. its mountPath', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'mount-path.yaml'));
      includesAll(md, ['**Mount of volume `logs`** in container `app` at `/var/log/nginx`, read-write.']);
    });

    it('on a mount of a volume the pod does not declare: says so and lists the declared ones', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'mount-missing-volume.yaml'));
      includesAll(md, [
        '**Mount of volume `cahce`** in container `app` at `/cache`, read-write.',
        'declares no volume of that name',
        'Declared: `cache`.',
      ]);
    });

    it('emptyDir in memory with a size limit', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'emptydir-memory.yaml'));
      includesAll(md, ['`medium: Memory`: a tmpfs in RAM', 'memory limit', '`sizeLimit: 64Mi`', 'evicts the pod']);
    });

    it('configMap: its source, always read-only', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'configmap.yaml'));
      includesAll(md, [
        '**Volume `config`** · configMap',
        'ConfigMap `nginx-config`',
        /\| `app` \| container \| `\/etc\/nginx\/conf\.d` \| read-only \(always, for this type\) \|/,
        '#configmap',
      ]);
    });

    it('a field deep in a volume source: its schema description instead', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'volume-deep-field.yaml'));
      includesAll(md, ['**defaultMode** · `integer`', 'mode bits used to set permissions']);
    });

    it('secret', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'secret.yaml'));
      includesAll(md, ['Secret `web-tls`', 'tmpfs', '`/etc/tls`', '#secret']);
    });

    it('persistentVolumeClaim', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'pvc.yaml'));
      includesAll(md, ['PersistentVolumeClaim `pg-data`', 'outlives the pod', '`/var/lib/postgresql/data`']);
    });

    it('hostPath', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'host-path.yaml'));
      includesAll(md, [
        "The node's own `/var/log`",
        '`type: Directory`',
        /\| `shipper` \| .* \| read-only \|/,
        '#hostpath',
      ]);
    });

    it('projected: its sources', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'projected.yaml'));
      includesAll(md, ['configMap `app-config`, secret `app-secret`, serviceAccountToken', 'projected-volumes/']);
    });

    it('downwardAPI: its files', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'downward-api.yaml'));
      includesAll(md, ['Facts about this pod', '`labels`', '`/etc/podinfo`', '#downwardapi']);
    });

    it('StatefulSet volume claim template: one claim per replica, and who mounts it', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'statefulset-claim.yaml'));
      includesAll(md, [
        'StatefulSet volume claim template',
        '`data-db-<ordinal>` (10Gi of storage, ReadWriteOnce)',
        /\| `postgres` \| container \| `\/var\/lib\/postgresql\/data` \| read-write \|/,
        '#volume-claim-templates',
      ]);
    });
  });

  describe('start and stop order', () => {
    const order = [
      '1. `migrate`: init container',
      '2. `log-shipper`: native sidecar; the next step waits until it has started and its startupProbe passed',
      '3. `app`: app container',
      '1. `app` gets SIGTERM',
      '2. then the native sidecars, one by one in reverse order: `log-shipper`',
    ];

    it("on initContainers: this pod's order and grace budget", async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'init-containers.yaml'));
      includesAll(md, ['**initContainers** start one by one', ...order, 'Grace budget: 45 s', 'sidecar-containers/']);
    });

    it('the budget is 30 s when terminationGracePeriodSeconds is unset', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'grace-default.yaml'));
      includesAll(md, ['Grace budget: 30 s (`terminationGracePeriodSeconds` unset)']);
    });

    it('on terminationGracePeriodSeconds', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'grace-period.yaml'));
      includesAll(md, ['**45 s** from SIGTERM to SIGKILL for the whole pod', ...order, '#pod-termination']);
    });

    it('on restartPolicy: Always of an init container', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'sidecar-restart-policy.yaml'));
      includesAll(md, ['**restartPolicy: Always** makes `log-shipper` a native sidecar', ...order]);
    });

    it('in a Job: names the helper that keeps it running, not one set to run once', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'known-sidecar-job.yaml'));
      includesAll(md, ['In a Job, `exporter` in `containers` keeps the Job from completing']);
      assert.doesNotMatch(md!, /`collect` in `containers`/);
    });

    it("on a sidecar's startupProbe: who waits for it", async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'startup-probe.yaml'));
      includesAll(md, [
        '**startupProbe** of native sidecar `log-shipper`: the app containers (`app`) start only once it passes',
        'stays in Init',
        '#define-startup-probes',
      ]);
    });
  });

  describe('injectors', () => {
    it('on the Istio label: what gets injected and what it reserves, and a clash', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'injector-istio.yaml'));
      includesAll(md, [
        '**Istio** sidecar injection (`sidecar.istio.io/inject`)',
        '`istio-init` (init container), `istio-proxy` (container)',
        'ports 15000, 15001',
        'UID 1337',
        '**Conflict:** `api` declares port 15001',
        'istio.io',
      ]);
    });

    it('on a Dapr annotation: its app port and shutdown time checked against the pod', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'injector-dapr.yaml'));
      includesAll(md, [
        '**Dapr** sidecar injection (`dapr.io/app-port`)',
        '`daprd` (container)',
        '**`dapr.io/app-port: 8081` matches no declared containerPort**',
        "(60) exceeds the pod's grace budget of 30 s",
      ]);
    });

    it("on a workload's own metadata: ignored by the injector", async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'injector-workload-metadata.yaml'));
      includesAll(md, ['**Dapr** sidecar injection', '**Ignored here:**', "Deployment's own", 'does not switch it on']);
    });
  });

  describe('other fields and edge cases', () => {
    it('any other field: the schema description with its type and values', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'schema-field.yaml'));
      includesAll(md, ['**imagePullPolicy** · `string`', 'Image pull policy', '`IfNotPresent`', 'pod-v1/']);
    });

    it('in a List: the pod of the item under the cursor', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'list-item.yaml'));
      includesAll(md, ['**Port 8080/TCP** of container `web`', /\| `exporter` \|/]);
      assert.doesNotMatch(md!, /`app`/);
    });

    it('a label: the description of the map it belongs to', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'label-entry.yaml'));
      includesAll(md, ['**team** · `string` · entry of `labels`', 'Map of string keys and values']);
    });

    it('names typed in the document cannot inject Markdown', async () => {
      const md = await hoverAt(client, cursorFixture('hover', 'odd-names.yaml'));
      includesAll(md, [
        '**Port 9090/\\*UDP\\***',
        'container `[click](http://evil)`',
        "| `a'b*c*` | container | 8080/TCP |",
      ]);
      assert.doesNotMatch(md!, /(^|[^`])\[click\]\(http/);
    });

    it('half-typed YAML answers without an error', async () => {
      const f = cursorFixture('hover', 'half-typed.yaml');
      const md = await hoverAt(client, f);
      // a word typed where a port item goes is not a port yet: the schema says what belongs there
      includesAll(md, ['**ports** · `ContainerPort`']);
      assert.equal(client.stderr, '');
    });

    it('nothing outside Kubernetes pods', async () => {
      assert.equal(await hoverAt(client, cursorFixture('hover', 'not-kubernetes.yaml')), null);
    });

    it('answers on a 10,000-line file from the documents already parsed', async () => {
      const f = cursorFixture('hover', 'volume-shared-emptydir.yaml');
      const other = f.text.replace('name: web', 'name: web-N');
      const copies = Math.ceil(10_000 / other.split('\n').length);
      const big = `${Array.from({ length: copies }, (_, i) => other.replace('web-N', `web-${i}`)).join('---\n')}---\n${f.text}`;
      const uri = 'file:///tmp/big.yaml';
      assert.ok(big.split('\n').length >= 10_000);
      await client.open(uri, big);
      await client.waitForDiagnostics(uri);
      const position = {
        line: big.split('\n').length - f.text.split('\n').length + f.position.line,
        character: f.position.character,
      };
      // speed is the benchmark's business (npm run bench); here: the first check kept no syntax
      // tree, so the first hover parses the one document it reads, and the next ones reuse it
      const before = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
      for (let i = 0; i < 5; i++) {
        const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
          textDocument: { uri },
          position,
        });
        assert.match((hover?.contents as MarkupContent).value, /\*\*Volume `logs`\*\*/);
      }
      const after = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
      assert.equal(after.parseCount - before.parseCount, 1, 'one document parsed, once');
    });
  });
});

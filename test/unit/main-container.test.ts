// One notion of the pod's main container (model/main-container.ts), as the rules, the hovers and
// the diagram use it: advice meant for a helper must not reach a known sidecar image that is the
// pod's main service, and a read-only fix never lands on a mount the container writes.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine } from '../../server/src/engine';
import { ModelCache } from '../../server/src/model/file-model';
import { podRoles } from '../../server/src/model/main-container';
import { servicesInFile } from '../../server/src/model/services';
import { hover } from '../../server/src/services/hover';
import { lintText } from '../support/lint';

/** A log collector: Fluent Bit receives logs on 24224 and writes them to a volume nginx shows. */
function collector(name: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${name}
  selector:
    matchLabels:
      app: collector
  template:
    metadata:
      labels:
        app: collector
    spec:
      containers:
        - name: fluent
          image: cr.fluentbit.io/fluent/fluent-bit:3.1.4
          ports:
            - name: forward
              containerPort: 24224
          volumeMounts:
            - name: logs
              mountPath: /logs
        - name: viewer
          image: nginx:1.27.0
          ports:
            - containerPort: 80
          volumeMounts:
            - name: logs
              mountPath: /usr/share/nginx/html
      volumes:
        - name: logs
          emptyDir: {}
${extra}`;
}

const SERVICE = `---
apiVersion: v1
kind: Service
metadata:
  name: collector
spec:
  selector:
    app: collector
  ports:
    - port: 24224
      targetPort: forward
`;

const helperRules = (text: string): string[] =>
  lintText(text)
    .filter((f) => f.rule === 'classic-sidecar' || f.rule === 'sidecar-mount-readonly')
    .map((f) => `${f.rule}:${f.line}`);

function rolesOf(text: string): { main: string[]; helpers: string[] } {
  const file = new ModelCache().parseFile(text);
  const pod = file.documents[0]!.model.pods[0]!;
  const roles = podRoles(pod, servicesInFile(file));
  return {
    main: [...roles.main].map((c) => c.name!.value).sort(),
    helpers: roles.helpers.map((h) => h.container.name!.value),
  };
}

describe('the main container of a pod', () => {
  it('a known sidecar image beside an app is a helper, and gets the helper advice', () => {
    const text = collector('logs');
    assert.deepEqual(rolesOf(text), { main: ['viewer'], helpers: ['fluent'] });
    assert.deepEqual(helperRules(text), ['classic-sidecar:17', 'sidecar-mount-readonly:22']);
  });

  it('is the known sidecar image that the pod’s Services send traffic to (a collector)', () => {
    const text = collector('logs') + SERVICE;
    assert.deepEqual(rolesOf(text), { main: ['fluent', 'viewer'], helpers: [] });
    assert.deepEqual(helperRules(text), [], 'no classic-sidecar advice, no read-only fix on its own output');
    // by port number too; a Service selecting other pods says nothing
    assert.deepEqual(
      rolesOf(collector('logs') + SERVICE.replace('targetPort: forward', 'targetPort: 24224')).helpers,
      [],
    );
    assert.deepEqual(rolesOf(collector('logs') + SERVICE.replace('app: collector', 'app: other')).helpers, ['fluent']);
  });

  it('a Service to a proxy or an exporter keeps it a helper: that is how helpers are used', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: web
      image: ghcr.io/example/web:1.0.0
    - name: envoy
      image: envoyproxy/envoy:v1.31.0
      ports:
        - name: https
          containerPort: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 443
      targetPort: https
`;
    assert.deepEqual(rolesOf(text), { main: ['web'], helpers: ['envoy'] });
  });

  it('is the known sidecar image the workload is named after', () => {
    assert.deepEqual(rolesOf(collector('fluent-bit')).helpers, []);
    assert.deepEqual(rolesOf(collector('fluent-aggregator')).helpers, [], 'its container name, then a dash');
    assert.deepEqual(helperRules(collector('fluent-bit')), []);
  });

  it('is every container of a pod that runs only known sidecar images (an OpenTelemetry gateway)', () => {
    const gateway = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  selector:
    matchLabels:
      app: gw
  template:
    metadata:
      labels:
        app: gw
    spec:
      initContainers:
        - name: prepare
          image: busybox:1.36
          command: ["sh", "-c", "mkdir -p /queue/otel && chown 10001 /queue/otel"]
          volumeMounts:
            - name: queue
              mountPath: /queue
      containers:
        - name: otel
          image: otel/opentelemetry-collector-contrib:0.104.0
          volumeMounts:
            - name: queue
              mountPath: /queue
      volumes:
        - name: queue
          emptyDir: {}
`;
    assert.deepEqual(rolesOf(gateway), { main: ['otel'], helpers: [] });
    assert.deepEqual(helperRules(gateway), [], 'no read-only advice on its own queue');
  });

  it('offers no read-only fix on a mount a helper keeps its state in', () => {
    const withStorage = collector('logs').replace(
      '          ports:\n            - name: forward',
      '          args: ["-c", "/fluent-bit/etc/fluent-bit.conf", "--storage.path=/logs/flb-storage/"]\n          ports:\n            - name: forward',
    );
    assert.deepEqual(rolesOf(withStorage).helpers, ['fluent'], 'still a helper');
    assert.deepEqual(helperRules(withStorage), ['classic-sidecar:17'], 'but its state mount is left alone');
    const readsOnly = collector('logs').replace(
      '          ports:\n            - name: forward',
      '          args: ["-i", "tail", "-p", "path=/logs/*.log"]\n          ports:\n            - name: forward',
    );
    assert.deepEqual(
      helperRules(readsOnly),
      ['classic-sidecar:17', 'sidecar-mount-readonly:23'],
      'a path it only reads is no state',
    );
  });

  it('a Service added to the file re-checks the pod, even from the cache', () => {
    const engine = new Engine();
    const rules = (text: string): string[] =>
      engine
        .check(text, DEFAULT_SETTINGS, 'file:///c.yaml')
        .filter((f) => f.rule === 'classic-sidecar' || f.rule === 'sidecar-mount-readonly')
        .map((f) => f.rule);
    assert.deepEqual(rules(collector('logs')), ['classic-sidecar', 'sidecar-mount-readonly']);
    assert.deepEqual(rules(collector('logs') + SERVICE), []);
    assert.deepEqual(rules(collector('logs')), ['classic-sidecar', 'sidecar-mount-readonly']);
  });

  it('the hover and the diagram say which it is', () => {
    const engine = new Engine();
    for (const [text, role, main] of [
      [collector('logs'), 'sidecar (classic, Fluent Bit)', undefined],
      [collector('fluent-bit'), 'main container (Fluent Bit)', true],
      // as the rules read it, with the Service in the same file
      [collector('logs') + SERVICE, 'main container (Fluent Bit)', true],
    ] as const) {
      const file = engine.open(text)!;
      const doc = TextDocument.create('file:///c.yaml', 'yaml', 1, text);
      const h = hover(file, doc, doc.positionAt(text.indexOf('containerPort: 24224') + 2));
      const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
      assert.ok(value.includes(`of ${role}`), value);
      const diagram = engine.diagram(file, DEFAULT_SETTINGS, {
        uri: 'file:///c.yaml',
        version: 1,
        positionAt: (o) => doc.positionAt(o),
      });
      const fluent = diagram.pods[0]!.containers.find((c) => c.name === 'fluent')!;
      assert.equal(fluent.knownSidecar, 'Fluent Bit');
      assert.equal(fluent.mainService, main);
    }
  });
});

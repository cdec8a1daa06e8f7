// The relations of a set of files (server/src/workspace/relations.ts) and the set rules' quick
// fixes, which edit the member their finding is on.
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine, type Finding } from '../../server/src/engine';
import { applyEdits } from '../../server/src/fixes/edits';
import { ModelCache } from '../../server/src/model/file-model';
import { relationsOf, type SetObject } from '../../server/src/workspace/relations';
import type { SetMember } from '../../server/src/engine/types';
import { join } from 'node:path';
import { run } from '../../cli/src/main';
import { FIXTURES } from '../support/lint';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: web
      port: 80
      targetPort: htp
    - name: proxy
      port: 8443
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        sidecar.istio.io/inject: "true"
    spec:
      initContainers:
        - name: envoy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports:
            - name: tls
              containerPort: 8443
      containers:
        - name: web
          image: nginx:1.27.0
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LEVEL
              valueFrom:
                configMapKeyRef:
                  name: web-config
                  key: levle
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  level: info
`;

function members(files: Record<string, string>): SetMember[] {
  const models = new ModelCache();
  return Object.entries(files).map(([key, text]) => ({
    key,
    file: models.parseFile(text, key),
    settings: DEFAULT_SETTINGS,
  }));
}

function check(files: Record<string, string>): Map<string, Finding[]> {
  return new Engine().checkSet(Object.entries(files).map(([key, text]) => ({ key, text, settings: DEFAULT_SETTINGS })));
}

const one = (found: Map<string, Finding[]>, key: string, rule: string): Finding => {
  const matching = (found.get(key) ?? []).filter((f) => f.rule === rule);
  assert.equal(matching.length, 1, `${rule} on ${key}: ${JSON.stringify(matching.map((f) => f.message))}`);
  return matching[0]!;
};

describe('relations of a set of files', () => {
  it('selects the pods of a Service across files, with native sidecar and injected proxy ports', () => {
    const rel = relationsOf(members({ 'svc.yaml': SERVICE, 'app.yaml': DEPLOYMENT }));
    const service = rel.objects.find((o) => o.object.kind === 'Service')!;
    const pods = rel.selectedBy(service);
    assert.equal(pods.length, 1);
    assert.equal(pods[0]!.owner.key, 'app.yaml');
    const ports = pods[0]!.pod.ports;
    assert.deepEqual(
      ports.filter((p) => !p.injected).map((p) => `${p.container}:${p.name}:${p.number}:${p.role}`),
      ['envoy:tls:8443:sidecar', 'web:http:8080:regular'],
    );
    // istio-proxy's ports are there, marked injected
    assert.ok(ports.some((p) => p.injected && p.container === 'istio-proxy' && p.number === 15021));
    assert.deepEqual(pods[0]!.pod.meshes, ['istio']);
  });

  it('knows what a pod refers to and which keys a ConfigMap holds, with ranges in the right file', () => {
    const rel = relationsOf(members({ 'app.yaml': DEPLOYMENT }));
    const deployment = rel.objects.find((o) => o.object.kind === 'Deployment')!;
    const [ref] = deployment.object.pods[0]!.references;
    assert.equal(ref!.kind, 'ConfigMap');
    assert.equal(ref!.name, 'web-config');
    assert.equal(ref!.via, 'env LEVEL');
    assert.equal(DEPLOYMENT.slice(ref!.range.start, ref!.range.end), 'web-config');
    assert.equal(DEPLOYMENT.slice(ref!.keys[0]!.range.start, ref!.keys[0]!.range.end), 'levle');
    const config: SetObject = rel.named('ConfigMap', '', 'web-config')[0]!;
    assert.deepEqual([...config.object.data!.keys.keys()], ['level']);
    // the ConfigMap is the second document: its ranges are shifted by its document's offset
    const key = config.object.data!.keys.get('level')!;
    assert.equal(DEPLOYMENT.slice(config.offset + key.start, config.offset + key.end), 'level');
  });

  it('keeps namespaces apart: no namespace meets no namespace only', () => {
    const inProd = DEPLOYMENT.replace(
      '  name: web\nspec:\n  selector:',
      '  name: web\n  namespace: prod\nspec:\n  selector:',
    );
    const rel = relationsOf(members({ 'svc.yaml': SERVICE, 'app.yaml': inProd }));
    const service = rel.objects.find((o) => o.object.kind === 'Service')!;
    assert.equal(rel.selectedBy(service).length, 0);
    assert.equal(rel.podsIn('prod').length, 1);
  });
});

describe('set rules over several files', () => {
  it('reports on the Service file, with related information in the workload file, and fixes the Service file', () => {
    const found = check({ 'svc.yaml': SERVICE, 'app.yaml': DEPLOYMENT });
    const f = one(found, 'svc.yaml', 'service-target-port');
    assert.equal(f.severity, 'error');
    assert.equal(SERVICE.slice(f.range.start, f.range.end), 'htp');
    assert.equal(f.related?.[0]?.key, 'app.yaml');
    const fixes = f.fixes!();
    assert.equal(fixes[0]!.title, 'Target the port named http');
    assert.equal(fixes[0]!.preferred, true);
    assert.match(applyEdits(SERVICE, fixes[0]!.edits), /targetPort: http\n/);
  });

  it('fixes a missing key with the closest one, in the pod file', () => {
    const found = check({ 'svc.yaml': SERVICE, 'app.yaml': DEPLOYMENT });
    const f = one(found, 'app.yaml', 'missing-key');
    assert.match(f.message, /holds no key levle \(it holds level\)/);
    const fixed = applyEdits(DEPLOYMENT, f.fixes!()[0]!.edits);
    assert.match(fixed, /key: level\n/);
    assert.deepEqual(
      (check({ 'app.yaml': fixed }).get('app.yaml') ?? []).filter((x) => x.rule === 'missing-key'),
      [],
    );
  });

  it('sets appProtocol from the container port it reaches, and adds a targetPort where it defaulted', () => {
    const named = SERVICE.replace('targetPort: htp', 'targetPort: http');
    const found = check({ 'svc.yaml': named, 'app.yaml': DEPLOYMENT });
    const protocol = (found.get('svc.yaml') ?? []).filter((f) => f.rule === 'service-port-protocol');
    // port web reaches http (prefix http: a fix); port proxy reaches tls (tls: a fix too)
    assert.equal(protocol.length, 2);
    const fixed = applyEdits(named, protocol[0]!.fixes!()[0]!.edits);
    assert.match(fixed, / {6}targetPort: http\n {6}appProtocol: http\n/);
    const defaulted = named.replace(
      '    - name: proxy\n      port: 8443\n',
      '    - name: https-proxy\n      port: 9443\n',
    );
    const target = one(check({ 'svc.yaml': defaulted, 'app.yaml': DEPLOYMENT }), 'svc.yaml', 'service-target-port');
    assert.equal(target.severity, 'info');
    const edits = target.fixes!().find((x) => x.title === 'Target port 8443')!.edits;
    assert.match(applyEdits(defaulted, edits), / {6}port: 9443\n {6}targetPort: 8443\n/);
  });

  it('reads a file checked before under the same key without parsing it again', () => {
    const engine = new Engine();
    const text = `${SERVICE}---\n${DEPLOYMENT}`;
    engine.check(text, DEFAULT_SETTINGS, 'a');
    const before = engine.models.parseCount;
    const found = engine.checkSet([{ key: 'a', text, settings: DEFAULT_SETTINGS }]);
    assert.equal(engine.models.parseCount, before);
    assert.equal(one(found, 'a', 'service-target-port').severity, 'error');
  });
});

describe('sidecar-pods lint over a folder: the files given are one set', () => {
  it('reports a Service of one file against the pods of another, and says where they are', () => {
    const folder = join(FIXTURES, 'rules', 'service-target-port', 'invalid', 'split');
    let out = '';
    const code = run(['lint', '--format', 'json', folder], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      readStdin: () => '',
      cwd: FIXTURES,
    });
    assert.equal(code, 1);
    const found = (
      JSON.parse(out) as { rule: string; file: string; line: number; related?: { file: string }[] }[]
    ).filter((f) => f.rule === 'service-target-port');
    assert.equal(found.length, 1);
    assert.match(found[0]!.file, /split\/service\.yaml$/);
    assert.equal(found[0]!.line, 11);
    assert.match(found[0]!.related?.[0]?.file ?? '', /split\/deployment\.yaml$/);
  });
});

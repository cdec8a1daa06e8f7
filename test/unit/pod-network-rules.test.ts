// What the fixtures cannot show: severities per version and finding, related locations, and the
// cases where a rule must hold back (aliases and merge keys hide what it would need to see).
import * as assert from 'node:assert/strict';
import { lintText, podText } from '../support/lint';

interface Seen {
  line: number;
  severity: string;
  related: string[];
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Findings of one rule as `line severity` plus the text and line of each related location. */
function check(text: string, rule: string, kubernetesVersion = '1.33'): Seen[] {
  return lintText(text, { kubernetesVersion })
    .filter((f) => f.rule === rule)
    .map((f) => ({
      line: f.line,
      severity: f.severity,
      related: (f.related ?? []).map((r) => `${lineOf(text, r.range.start)}:${text.slice(r.range.start, r.range.end)}`),
    }));
}

const NATIVE = podText(`spec:
  initContainers:
    - name: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.4
      restartPolicy: Always
    - name: setup
      image: busybox:1.36
      restartPolicy: OnFailure
  containers:
    - name: app
      image: nginx:1.27
`);

describe('version-aware native sidecar rules', () => {
  it('native-sidecar-version: error below 1.28, warning at 1.28, nothing from 1.29', () => {
    assert.deepEqual(check(NATIVE, 'native-sidecar-version', '1.27'), [{ line: 9, severity: 'error', related: [] }]);
    assert.deepEqual(check(NATIVE, 'native-sidecar-version', '1.28'), [{ line: 9, severity: 'warning', related: [] }]);
    assert.deepEqual(check(NATIVE, 'native-sidecar-version', '1.29'), []);
  });

  it('native-sidecar-version: a configured severity wins over the per-version one', () => {
    const got = lintText(NATIVE, { kubernetesVersion: '1.28', rules: { 'native-sidecar-version': 'error' } });
    assert.deepEqual(
      got.filter((f) => f.rule === 'native-sidecar-version').map((f) => f.severity),
      ['error'],
    );
  });

  it('init-restart-policy-value: an error before 1.34, nothing from 1.34', () => {
    assert.deepEqual(check(NATIVE, 'init-restart-policy-value', '1.33'), [
      { line: 12, severity: 'error', related: [] },
    ]);
    assert.deepEqual(check(NATIVE, 'init-restart-policy-value', '1.34'), []);
  });
});

describe('pod networking rules', () => {
  it('probe-port: a missing name is an error, a port of another container a warning pointing at it', () => {
    const text = podText(`spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        httpGet:
          port: metrics
      readinessProbe:
        tcpSocket:
          port: 9113
    - name: exporter
      image: nginx/nginx-prometheus-exporter:1.3.0
      ports:
        - name: metrics
          containerPort: 9113
`);
    assert.deepEqual(check(text, 'probe-port'), [
      { line: 11, severity: 'error', related: [] },
      { line: 14, severity: 'warning', related: ['19:9113'] },
    ]);
    const [named] = lintText(text).filter((f) => f.rule === 'probe-port');
    assert.match(
      named!.message,
      /container "exporter" does, but probe port names resolve in the probed container only/,
    );
  });

  it("probe-port: a native sidecar's startupProbe on a port of a later container is an error (the pod hangs in Init)", () => {
    const text = podText(`spec:
  initContainers:
    - name: first
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
      ports:
        - containerPort: 9901
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
      startupProbe:
        tcpSocket:
          port: 8080
      readinessProbe:
        tcpSocket:
          port: 8080
      livenessProbe:
        tcpSocket:
          port: 9901
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 8080
`);
    assert.deepEqual(
      check(text, 'probe-port').map((f) => `${f.line} ${f.severity}`),
      ['17 error', '20 warning', '23 warning'],
    );
  });

  it('host-port-conflict points at the first declaration', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: a
      image: nginx:1.27
      ports:
        - containerPort: 80
          hostPort: 8080
    - name: b
      image: nginx:1.27
      ports:
        - containerPort: 81
          hostPort: 8080
`;
    assert.deepEqual(check(text, 'host-port-conflict'), [{ line: 16, severity: 'error', related: ['11:8080'] }]);
  });

  it('injected-port-conflict points at the label or annotation that asks for the injection', () => {
    const text = podText(`  annotations:
    linkerd.io/inject: enabled
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 4191
`);
    assert.deepEqual(check(text, 'injected-port-conflict'), [
      { line: 12, severity: 'warning', related: ['6:linkerd.io/inject'] },
    ]);
  });

  it('dapr-app-port lists the ports that are declared', () => {
    const text = podText(`  annotations:
    dapr.io/enabled: "true"
    dapr.io/app-port: "3000"
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 8080
    - name: admin
      image: nginx:1.27
      ports:
        - containerPort: 8081
`);
    assert.deepEqual(check(text, 'dapr-app-port'), [{ line: 7, severity: 'warning', related: ['13:8080', '17:8081'] }]);
  });
});

describe('rules hold back where aliases and merge keys hide the facts', () => {
  // The app declares its port through an alias of the init container's entry; its probes come in
  // through an alias and a merge key.
  const text = podText(`  annotations:
    dapr.io/enabled: "true"
    dapr.io/app-port: "8080"
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
      ports:
        - &http
          name: http
          containerPort: 8080
      readinessProbe: &probe
        httpGet:
          port: http
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - *http
      livenessProbe:
        <<: *probe
        periodSeconds: 5
      readinessProbe: *probe
      startupProbe:
        httpGet:
          port: http
    - name: other
      image: nginx:1.27
      ports:
        - containerPort: 9000
`);
  for (const rule of ['probe-shape', 'probe-port', 'dapr-app-port']) {
    it(`${rule} says nothing`, () => assert.deepEqual(check(text, rule), []));
  }
});

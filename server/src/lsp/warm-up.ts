// After the handshake, while the editor is still busy opening files, the server checks a small
// built-in manifest a few times: the first real document then finds the schema validators loaded
// and the parser and rules compiled, instead of paying for that itself. Each round yields to the
// event loop, so a request that arrives meanwhile waits for one round at most; counters of the
// real cache and linter are untouched (separate instances).
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';
import { ModelCache } from '../model/file-model';
import { Linter } from '../services/lint';

const SAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: warm-up
spec:
  selector:
    matchLabels: { app: warm-up }
  template:
    metadata:
      labels: { app: warm-up }
      annotations: { sidecar.istio.io/inject: "false" }
    spec:
      initContainers:
        - name: shipper
          image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
          restartPolicy: Always
          ports: [{ containerPort: 2020, name: metrics }]
          volumeMounts: [{ name: logs, mountPath: /var/log/app, readOnly: true }]
          startupProbe: { tcpSocket: { port: metrics } }
      containers:
        - name: app
          image: ghcr.io/example/app:1.0.0
          ports: [{ containerPort: 8080, name: http }]
          env: [{ name: MODE, value: warm }]
          readinessProbe: { httpGet: { path: /healthz, port: http } }
          resources: { requests: { memory: 64Mi } }
          volumeMounts: [{ name: logs, mountPath: /var/log/app }]
      volumes: [{ name: logs, emptyDir: {} }]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: warm-up
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: task
          image: busybox:1.36
          command: ["sh", "-c", "true"]
`;

export function warmUp(rounds = 8, log: (message: string) => void = () => undefined): void {
  const models = new ModelCache();
  const linter = new Linter();
  let round = 0;
  const step = (): void => {
    try {
      // a fresh key each round: the text is parsed and checked again, not served from the cache
      linter.lint(
        models.parseFile(SAMPLE.replace(/warm-up/g, `warm-up-${round}`), `warm-up-${round}`),
        DEFAULT_SETTINGS,
      );
      models.forget(`warm-up-${round}`);
    } catch (e) {
      log(`warm-up failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (++round < rounds) setImmediate(step);
  };
  setImmediate(step);
}

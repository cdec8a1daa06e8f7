// When the server has been started with no YAML document open (a client that starts it with the
// workspace), it checks a small built-in manifest a few times while idle: the first real document
// then finds the schema validators loaded and the parser and rules compiled, instead of paying for
// that itself. With a document open there is nothing to gain: its own check warms the same code,
// and a warm-up running beside it only delays its diagnostics (about 30 ms on a 10k-line file)
// and costs memory. So the warm-up waits for a quiet moment and stops as soon as a document opens.
// Counters of the real engine are untouched (a separate instance).
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';
import { Engine } from '../engine';
import { nextTurn } from '../platform/next-turn';

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

/** How long after the handshake the server must have no open document before it warms up. */
export const WARM_UP_IDLE_MS = 250;

export interface WarmUp {
  /** Stops the warm-up before its next round (or before it starts). */
  cancel(): void;
  /** Resolves with the number of rounds run, once the warm-up has finished or stopped. */
  readonly done: Promise<number>;
}

/**
 * Warms up after `idleMs` if `busy()` is still false then, and stops between rounds as soon as it
 * is true (a document was opened: its own check does the warming now).
 */
export function warmUpWhenIdle(
  busy: () => boolean,
  log?: (message: string) => void,
  idleMs = WARM_UP_IDLE_MS,
  rounds = 8,
): WarmUp {
  let cancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      if (cancelled || busy()) resolve(0);
      else void warmUp(rounds, log, () => cancelled || busy()).then(resolve);
    }, idleMs);
  });
  return {
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
    done,
  };
}

/** Checks the sample `rounds` times, one round per turn of the event loop, until `stop()` says so. */
export function warmUp(
  rounds = 8,
  log: (message: string) => void = () => undefined,
  stop: () => boolean = () => false,
): Promise<number> {
  const engine = new Engine();
  return new Promise((resolve) => {
    let round = 0;
    const step = (): void => {
      if (round >= rounds || stop()) return resolve(round);
      try {
        // a fresh key each round: the text is parsed and checked again, not served from the cache
        const key = `warm-up-${round}`;
        engine.check(SAMPLE.replace(/warm-up/g, key), DEFAULT_SETTINGS, key);
        engine.forget(key);
      } catch (e) {
        log(`warm-up failed: ${e instanceof Error ? e.message : String(e)}`);
        return resolve(round);
      }
      round++;
      nextTurn(step);
    };
    nextTurn(step);
  });
}

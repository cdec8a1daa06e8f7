// Pods for the diagram tests (unit tests in Node and the render test in Chromium): the biggest pod
// the diagram promises to draw readably, and a pod whose names try to inject markup.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagramModel } from '../../shared/src/diagram-model';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { ModelCache } from '../../server/src/model/file-model';
import { servicesInFile } from '../../server/src/model/services';
import { buildDiagram } from '../../server/src/services/diagram';
import { Linter } from '../../server/src/engine/linter';

/** The diagram model of a YAML text, as the server computes it (the file's Services drawn beside its pods). */
export function diagramOf(text: string, document?: number): DiagramModel {
  const file = new ModelCache().parseFile(text);
  const services = servicesInFile(file);
  const findings = new Linter().lint(file, DEFAULT_SETTINGS, { services });
  const positions = TextDocument.create('file:///test.yaml', 'yaml', 1, text);
  return buildDiagram({
    uri: 'file:///test.yaml',
    version: 1,
    file,
    findings,
    services,
    positionAt: (offset) => positions.positionAt(offset),
    ...(document !== undefined ? { document } : {}),
  });
}

/**
 * 12 containers (3 init, 2 native sidecars, 7 regular) and 10 volumes, each container with ports,
 * probes and several mounts, plus Istio injection: the upper end of what the diagram must draw
 * without overlaps.
 */
export function bigPodYaml(): string {
  const volumes = Array.from({ length: 10 }, (_, i) => `    - name: vol-${i}\n      emptyDir: {}\n`).join('');
  const container = (name: string, i: number, extra = ''): string =>
    `    - name: ${name}
      image: registry.example.com/team/${name}-with-a-rather-long-image-name:1.2.${i}${extra}
      ports:
        - containerPort: ${8000 + i}
          name: p${i}
      readinessProbe:
        httpGet:
          path: /ready/and/a/long/path/${i}
          port: ${8000 + i}
      volumeMounts:
        - name: vol-${i % 10}
          mountPath: /data/${name}/a/very/long/mount/path/that/needs/cutting
        - name: vol-${(i + 3) % 10}
          mountPath: /shared/${i}
          readOnly: true
        - name: vol-${(i + 7) % 10}
          mountPath: /cache
`;
  const init = [0, 1, 2].map((i) => container(`init-step-${i}`, i)).join('');
  const sidecars = [3, 4].map((i) => container(`sidecar-${i}`, i, '\n      restartPolicy: Always')).join('');
  const regular = [5, 6, 7, 8, 9, 10, 11].map((i) => container(`app-${i}`, i)).join('');
  return `apiVersion: v1
kind: Pod
metadata:
  name: a-pod-with-twelve-containers-and-ten-volumes
  labels:
    sidecar.istio.io/inject: "true"
spec:
  initContainers:
${init}${sidecars}  containers:
${regular}  volumes:
${volumes}`;
}

/** Markup in every string the YAML controls: names, images, mount paths, probe commands. */
export const HOSTILE = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  `"'><svg onload=window.__pwned=3>`,
  '&amp; &lt;b&gt;',
];

export function hostilePodYaml(): string {
  const q = (s: string): string => JSON.stringify(s);
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${q(HOSTILE[0]!)}
spec:
  containers:
    - name: ${q(HOSTILE[0]!)}
      image: ${q(HOSTILE[1]!)}
      ports:
        - containerPort: 8080
          name: ${q(HOSTILE[2]!)}
      livenessProbe:
        exec:
          command: [${q(HOSTILE[1]!)}]
      volumeMounts:
        - name: ${q(HOSTILE[3]!)}
          mountPath: ${q(HOSTILE[1]!)}
        - name: ${q(HOSTILE[2]!)}
          mountPath: ${q(HOSTILE[2]!)}
    - name: ${q(HOSTILE[1]!)}
      image: busybox:1.36
      ports:
        - containerPort: 8080
      volumeMounts:
        - name: ${q(HOSTILE[3]!)}
          mountPath: ${q(HOSTILE[3]!)}
  volumes:
    - name: ${q(HOSTILE[3]!)}
      emptyDir: {}
`;
}

/**
 * The pod the diagram promises to keep legible in half a window: 8 containers (1 init, 2 native
 * sidecars, 5 regular) and 10 volumes, and a Service in front of it whose port `http` lands on the
 * web container and whose port `metrics` names a port no container declares (a broken arrow).
 */
export function eightContainersYaml(): string {
  const volumes = Array.from({ length: 10 }, (_, i) => `        - name: data-${i}\n          emptyDir: {}\n`).join('');
  const container = (name: string, i: number, extra = '', port = `p${i}`): string =>
    `        - name: ${name}
          image: registry.example.com/team/${name}:1.${i}${extra}
          ports:
            - containerPort: ${8000 + i}
              name: ${port}
          readinessProbe:
            tcpSocket:
              port: ${8000 + i}
          volumeMounts:
            - name: data-${i}
              mountPath: /var/lib/${name}
            - name: data-${(i + 5) % 10}
              mountPath: /shared/${i}
              readOnly: true
`;
  const init = container('migrate', 0, '', 'm0').replace(/ {10}ports:\n.*\n.*\n {10}readinessProbe:\n.*\n.*\n/, '');
  const sidecars = [1, 2].map((i) => container(`sidecar-${i}`, i, '\n          restartPolicy: Always')).join('');
  const regular = [3, 4, 5, 6, 7]
    .map((i) => container(i === 3 ? 'web' : `worker-${i}`, i, '', i === 3 ? 'http' : `p${i}`))
    .join('');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: eight-containers
spec:
  selector:
    matchLabels:
      app: eight
  template:
    metadata:
      labels:
        app: eight
    spec:
      initContainers:
${init}${sidecars}      containers:
${regular}      volumes:
${volumes}---
apiVersion: v1
kind: Service
metadata:
  name: eight-front
spec:
  selector:
    app: eight
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: metrics
`;
}

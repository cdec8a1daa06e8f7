// Realistic multi-document manifests of a chosen size, for the benchmark and the incrementality
// test: workloads with app containers, native and classic sidecars, shared volumes, and now and
// then a deliberate port clash, so that every rule has something to look at.

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-${i}
  labels:
    app: shop-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop-${i}
  template:
    metadata:
      labels:
        app: shop-${i}
    spec:
      initContainers:
        - name: log-shipper
          image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
          restartPolicy: Always
          ports:
            - containerPort: 2020
              name: fb-metrics
          volumeMounts:
            - name: logs
              mountPath: /var/log/app
              readOnly: true
          resources:
            requests:
              memory: 32Mi
      containers:
        - name: app
          image: ghcr.io/example/shop:1.${i % 40}.0
          ports:
            - containerPort: 8080
              name: http
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          volumeMounts:
            - name: logs
              mountPath: /var/log/app
          resources:
            requests:
              memory: 128Mi
        - name: exporter
          image: nginx/nginx-prometheus-exporter:1.3.0
          args: ["--nginx.scrape-uri=http://127.0.0.1:8080/stub_status"]
          ports:
            - containerPort: ${i % 7 === 0 ? 8080 : 9113}
              name: metrics
          resources:
            requests:
              memory: 16Mi
      volumes:
        - name: logs
          emptyDir: {}
`;
}

function job(i: number): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-${i}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: cloud-sql-proxy
          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1
          restartPolicy: Always
          args: ["--port=5432", "project:region:db-${i}"]
          securityContext:
            runAsNonRoot: true
          resources:
            requests:
              memory: 32Mi
      containers:
        - name: migrate
          image: ghcr.io/example/migrate:2.${i % 10}.1
          env:
            - name: DATABASE_URL
              value: postgres://127.0.0.1:5432/app
          resources:
            requests:
              memory: 64Mi
`;
}

/** A file of `---`-separated workloads with at least `lines` lines. */
export function generateManifest(lines: number): { text: string; documents: number } {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const doc = i % 4 === 3 ? job(i) : deployment(i);
    parts.push(doc);
    count += doc.split('\n').length;
  }
  return { text: parts.join('---\n'), documents: parts.length };
}

/**
 * The workloads of `text` (a generateManifest file) as one `kind: List`, the way
 * `kubectl get ... -o yaml` writes it: items at `indent` (kubectl writes 0), `between` the items.
 */
export function asList(text: string, indent = 0, between = ''): string {
  const pad = ' '.repeat(indent);
  const items = text
    .split(/^---\n/m)
    .filter((d) => d.trim())
    .map((d) =>
      d
        .trimEnd()
        .split('\n')
        .map((line, i) => (i === 0 ? `${pad}- ${line}` : line ? `${pad}  ${line}` : line))
        .join('\n'),
    );
  return `apiVersion: v1\nitems:\n${items.join(`\n${between}`)}\nkind: List\nmetadata:\n  resourceVersion: ""\n`;
}

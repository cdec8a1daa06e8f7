// The workspace case of `npm run bench` (issue 17, part 6): a generated project of N manifest
// files (Services, ConfigMaps, workloads that use them) with the 10k-line manifest among them.
// The server is started on the project's folder, as an editor opening it does, and the 10k-line file
// is opened and typed into at once, while the index reads the project in the background. Measured:
// the keystrokes meanwhile, how long the index took (by the server's clock), peak RSS, and an edit of
// a Service: from the didChange to the set check's publication of the Service's file. The peer gets
// the same folder and the same keystrokes (it has no index: its figures are the reference for typing).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import { LspDriver, type ServerSpec } from './lsp-driver';

export interface WorkspaceResult {
  files: number;
  /** Keystrokes typed while the index was still reading, of all typed. */
  keystrokesWhileIndexing: number;
  keystroke: { median: number; p95: number; samples: number };
  /** Ours: the first scan, by the server's clock; and from `initialized` to its end, by the client's. */
  indexMs?: number;
  indexedFiles?: number;
  /** Ours: from a Service's didChange to the publication the set check makes for it. */
  serviceEditMs?: number;
  /** Ours: the set checks' own times (server clock), median. */
  setCheckMedianMs?: number;
  /** Ours: the first set check (of every file, once the scan has ended), server clock. */
  firstSetCheckMs?: number;
  peakRssMiB: number;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

/** One of the project's files: a Service, the ConfigMap its workload reads, or the workload. */
function projectFile(i: number): { name: string; text: string } {
  const app = `app-${Math.floor(i / 3)}`;
  switch (i % 3) {
    case 0:
      return {
        name: `svc/${app}.yaml`,
        text: [
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          `  name: ${app}`,
          'spec:',
          '  selector:',
          `    app: ${app}`,
          '  ports:',
          '    - name: http',
          '      port: 80',
          '      targetPort: http',
          '',
        ].join('\n'),
      };
    case 1:
      return {
        name: `config/${app}.yaml`,
        text: [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          `  name: ${app}-config`,
          'data:',
          '  LOG_LEVEL: info',
          '  FEATURE_FLAGS: "a,b"',
          '',
        ].join('\n'),
      };
    default:
      return {
        name: `deploy/${app}.yaml`,
        text: [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: ${app}`,
          'spec:',
          '  selector:',
          '    matchLabels:',
          `      app: ${app}`,
          '  template:',
          '    metadata:',
          '      labels:',
          `        app: ${app}`,
          '    spec:',
          '      initContainers:',
          '        - name: log-shipper',
          '          image: fluent/fluent-bit:3.1',
          '          restartPolicy: Always',
          '      containers:',
          '        - name: app',
          '          image: nginx:1.27',
          '          ports:',
          '            - name: http',
          '              containerPort: 8080',
          '          env:',
          '            - name: LOG_LEVEL',
          '              valueFrom:',
          '                configMapKeyRef:',
          `                  name: ${app}-config`,
          '                  key: LOG_LEVEL',
          '          resources:',
          '            limits:',
          '              memory: 128Mi',
          '',
        ].join('\n'),
      };
  }
}

/** Writes the project under `dir` (emptied first): `files` manifests plus the big file; its path. */
export function generateWorkspace(dir: string, files: number, bigText: string): { bigFile: string; service: string } {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['svc', 'config', 'deploy']) mkdirSync(join(dir, sub), { recursive: true });
  for (let i = 0; i < files; i++) {
    const f = projectFile(i);
    writeFileSync(join(dir, f.name), f.text);
  }
  const bigFile = join(dir, 'big.yaml');
  writeFileSync(bigFile, bigText);
  return { bigFile, service: join(dir, projectFile(0).name) };
}

export async function measureWorkspace(
  spec: ServerSpec,
  dir: string,
  files: number,
  bigFile: string,
  bigText: string,
  service: string,
  serviceText: string,
  typeAt: { line: number; character: number },
  keystrokes: number,
): Promise<WorkspaceResult> {
  const ours = spec.name === 'sidecar-pods';
  const driver = new LspDriver(spec);
  try {
    await driver.initialize(pathToFileURL(dir).toString());
    const uri = pathToFileURL(bigFile).toString();
    await driver.open(uri, bigText);
    const stats = (): Promise<ServerStats> => driver.connection.sendRequest<ServerStats>(STATS_METHOD);
    const times: number[] = [];
    let whileIndexing = 0;
    for (let k = 0; k < keystrokes; k++) {
      const indexing = ours && (await stats()).index.scanMs === null;
      times.push(await driver.type(uri, k + 2, { line: typeAt.line, character: typeAt.character + k }, 'x'));
      if (indexing) whileIndexing++;
    }
    const result: WorkspaceResult = {
      files,
      keystrokesWhileIndexing: whileIndexing,
      keystroke: { median: round(quantile(times, 0.5)), p95: round(quantile(times, 0.95)), samples: times.length },
      peakRssMiB: 0,
    };
    if (ours) {
      const deadline = performance.now() + 120_000;
      let s = await stats();
      while (s.index.scanMs === null && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        s = await stats();
      }
      result.indexMs = s.index.scanMs === null ? NaN : round(s.index.scanMs);
      result.indexedFiles = s.index.files;
      // the first set check (of every file) ends after the scan; then the one after the open
      const checks = async (atLeast: number): Promise<void> => {
        while ((await stats()).index.setCheckMs.length < atLeast && performance.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await checks(1);
      result.firstSetCheckMs = round((await stats()).index.setCheckMs[0] ?? NaN);
      // an edit of a Service whose set findings change: its targetPort names a port no container has
      const serviceUri = pathToFileURL(service).toString();
      const before = (await stats()).index.setCheckMs.length;
      await driver.open(serviceUri, serviceText);
      await checks(before + 1);
      await new Promise((r) => setTimeout(r, 200)); // its publication
      const line = serviceText.split('\n').findIndex((l) => l.includes('targetPort: http'));
      const at = { line, character: serviceText.split('\n')[line]!.length };
      const t0 = performance.now();
      const published = await driver.publicationsAfter(serviceUri, 2, () =>
        driver.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri: serviceUri, version: 2 },
          contentChanges: [{ range: { start: at, end: at }, text: 's' }],
        }),
      );
      result.serviceEditMs = published.length >= 2 ? round(published[1]! - t0) : round(published[0]! - t0);
      s = await stats();
      result.setCheckMedianMs = round(quantile(s.index.setCheckMs, 0.5));
      result.peakRssMiB = round(Math.max(driver.maxRss(), s.maxRss) / 2 ** 20);
    } else {
      result.peakRssMiB = round(driver.maxRss() / 2 ** 20);
    }
    return result;
  } finally {
    await driver.close();
  }
}

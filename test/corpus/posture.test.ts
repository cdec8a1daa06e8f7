// Posture rules may fire on good manifests (a node agent mounts /proc on purpose), so the corpus
// test does not forbid them; instead, every posture finding on the ordinary corpus files is checked
// against the raw YAML by a second, deliberately plain reading of the file: the same number of
// findings per file and rule, each on a line that says what the finding claims.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RULES } from '../../server/src/rules';
import { CORPUS, corpusRows, describeCorpus } from '../support/corpus';
import { lintText } from '../support/lint';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.flatMap((x) => (obj(x) ? [x as Obj] : [])) : []);
const dig = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => obj(o)?.[k], v);

const SPEC: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
for (const k of ['ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']) {
  SPEC[k] = ['spec', 'template', 'spec'];
}

/** Pod specs of a document, read as plain data (built-in API groups only: no dot in the group). */
function podSpecs(root: unknown): Obj[] {
  const objects = obj(root)?.['kind']?.toString().endsWith('List') ? list(obj(root)?.['items']) : [obj(root) ?? {}];
  return objects.flatMap((o) => {
    const path = SPEC[String(o['kind'])];
    const group = String(o['apiVersion'] ?? '').split('/');
    if (!path || (group.length > 1 && group[0]!.includes('.'))) return [];
    const spec = obj(dig(o, ...path));
    return spec ? [spec] : [];
  });
}

interface Container {
  c: Obj;
  list: string;
}
const containersOf = (spec: Obj): Container[] =>
  ['initContainers', 'containers', 'ephemeralContainers'].flatMap((l) => list(spec[l]).map((c) => ({ c, list: l })));

const hasMemory = (r: unknown): boolean =>
  dig(r, 'requests', 'memory') !== undefined || dig(r, 'limits', 'memory') !== undefined;

const SENSITIVE = [
  /^\/$/,
  /^\/(etc|root|boot)$/,
  /^\/(proc|sys|boot|root|var\/lib\/kubelet)(\/|$)/,
  /(docker|containerd|crio|cri-dockerd)\.sock$/,
];

interface Oracle {
  /** How many findings the rule must give for a pod spec. */
  count(spec: Obj): number;
  /** What the line of each finding must show. */
  line: RegExp;
}

/** A pod-wide switch such as `hostNetwork: true`: one finding per pod spec that turns it on. */
const podSwitch = (field: string): Oracle => ({
  count: (spec) => (spec[field] === true ? 1 : 0),
  line: new RegExp(`\\b${field}:\\s*true\\b`),
});

const ORACLES: Record<string, Oracle> = {
  'host-network': podSwitch('hostNetwork'),
  'host-pid': podSwitch('hostPID'),
  'host-ipc': podSwitch('hostIPC'),
  'image-tag': {
    count: (spec) =>
      containersOf(spec).filter(({ c }) => {
        const image = typeof c['image'] === 'string' ? c['image'].trim() : '';
        if (image === '' || image.includes('@')) return false;
        const last = image.split('/').pop()!;
        // a placeholder (`$IMAGE_URL`, `app:${TAG}`) may bring the tag: known once it is filled in
        if (/\$|\{\{/.test(last.split(':').pop()!)) return false;
        return !last.includes(':') || last.endsWith(':latest');
      }).length,
    line: /image:\s*["']?[^\s"'@]+/,
  },
  privileged: {
    count: (spec) =>
      containersOf(spec).reduce(
        (n, { c }) =>
          n +
          (dig(c, 'securityContext', 'privileged') === true ? 1 : 0) +
          (dig(c, 'securityContext', 'allowPrivilegeEscalation') === true ? 1 : 0),
        0,
      ),
    line: /(privileged|allowPrivilegeEscalation):\s*true\b/,
  },
  resources: {
    count: (spec) =>
      hasMemory(spec['resources'])
        ? 0
        : containersOf(spec).filter(({ c, list: l }) => l !== 'ephemeralContainers' && !hasMemory(c['resources']))
            .length,
    line: /^\s*(- )?name:|^\s*- /,
  },
  'writable-host-path': {
    count: (spec) => {
      // sockets excepted: a read-only mount does not stop anyone from using a socket
      const hostPaths = new Set(
        list(spec['volumes'])
          .filter((v) => {
            const hp = obj(v['hostPath']);
            const path = String(hp?.['path'] ?? '');
            return hp !== undefined && hp['type'] !== 'Socket' && !path.endsWith('.sock') && path !== '/dev/log';
          })
          .map((v) => v['name']),
      );
      return containersOf(spec).reduce(
        (n, { c }) =>
          n + list(c['volumeMounts']).filter((m) => hostPaths.has(m['name']) && m['readOnly'] !== true).length,
        0,
      );
    },
    line: /name:/,
  },
  'sensitive-host-path': {
    count: (spec) =>
      list(spec['volumes']).filter((v) => {
        const path = dig(v, 'hostPath', 'path');
        if (typeof path !== 'string') return false;
        const p = path.trim().replace(/\/+$/, '') || '/';
        return SENSITIVE.some((re) => re.test(p));
      }).length,
    line: /path:/,
  },
  'readiness-probe': {
    count: (spec) =>
      list(spec['containers']).filter(
        (c) =>
          list(c['ports']).some((p) => typeof p['containerPort'] === 'number') && c['readinessProbe'] === undefined,
      ).length,
    line: /^\s*(- )?name:|^\s*- /,
  },
};

const posture = RULES.filter((r) => r.meta.posture).map((r) => r.meta.id);

describe('posture oracles', () => {
  it('has an independent check for every posture rule', () => {
    assert.deepEqual(posture.sort(), Object.keys(ORACLES).sort());
  });
});

describeCorpus('posture findings over the corpus', () => {
  it('reports on ordinary files exactly what a plain reading of the YAML finds, on lines that show it', () => {
    // rules that are off by default are switched on, so they are checked too
    const rules = Object.fromEntries(posture.map((id) => [id, 'warning' as const]));
    const totals: Record<string, number> = Object.fromEntries(posture.map((id) => [id, 0]));
    const problems: string[] = [];
    for (const row of corpusRows().filter((r) => r.notes === '')) {
      const text = readFileSync(join(CORPUS, row.localFile), 'utf8');
      const findings = lintText(text, { rules });
      if (findings.some((f) => f.rule === 'templated')) continue;
      // as Kubernetes' decoder reads it: merge keys applied, the last of duplicate keys wins
      const docs = parseAllDocuments(text, { merge: true, uniqueKeys: false });
      if (!Array.isArray(docs)) continue;
      const specs = docs.flatMap((d) => (d.errors.length > 0 ? [] : podSpecs(d.toJS({ maxAliasCount: 100 }))));
      const lines = text.split('\n');
      for (const id of posture) {
        const got = findings.filter((f) => f.rule === id);
        totals[id]! += got.length;
        const want = specs.reduce((n, s) => n + ORACLES[id]!.count(s), 0);
        if (got.length !== want)
          problems.push(`${row.localFile}: ${id} reported ${got.length}, the YAML shows ${want}`);
        for (const f of got) {
          const line = lines[f.line - 1] ?? '';
          if (!ORACLES[id]!.line.test(line)) problems.push(`${row.localFile}:${f.line}: ${id} on "${line.trim()}"`);
        }
      }
    }
    assert.deepEqual(problems, []);
    // the check is not vacuous: the corpus has findings of the rules that real manifests trip
    for (const id of [
      'image-tag',
      'resources',
      'privileged',
      'writable-host-path',
      'sensitive-host-path',
      'host-network',
      'host-pid',
      'host-ipc',
    ]) {
      assert.ok(totals[id]! > 0, `${id}: no finding in the corpus`);
    }
  });
});

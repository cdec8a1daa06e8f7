// The editor's set check after a change computes the findings of the changed files and of those
// that read what they changed, and keeps the others' (workspace/incremental-set.ts). Whatever the
// changes, its findings must be those of a check of the whole set from scratch: a random walk of
// edits, additions, removals and settings changes over Services, workloads and ConfigMaps compares
// the two after every step, and named cases check that an edit re-checks only what it should.
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/src/settings';
import { Engine, type Finding, type SetMember } from '../../server/src/engine';
import { IncrementalSet } from '../../server/src/workspace/incremental-set';

const service = (name: string, app: string, target: string, ns = ''): string =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'spec:',
    '  selector:',
    `    app: ${app}`,
    '  ports:',
    '    - name: web',
    '      port: 80',
    `      targetPort: ${target}`,
    '',
  ].join('\n');

const deployment = (name: string, app: string, port: string, config: string, key: string, ns = ''): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${app}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${app}`,
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: nginx:1.27',
    '          ports:',
    `            - name: ${port}`,
    '              containerPort: 8080',
    '          env:',
    '            - name: LEVEL',
    '              valueFrom:',
    '                configMapKeyRef:',
    `                  name: ${config}`,
    `                  key: ${key}`,
    '',
  ].join('\n');

const configMap = (name: string, key: string, ns = ''): string =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'data:',
    `  ${key}: info`,
    '',
  ].join('\n');

/** A finding as a comparable line (related information by its count: ties may come in any order). */
function line(f: Finding): string {
  return `${f.rule}|${f.severity}|${f.range.start}-${f.range.end}|${f.message}|${f.related?.length ?? 0}`;
}

/** With where each related location is (sorted: ties may come in any order). */
function placedLine(f: Finding): string {
  const related = (f.related ?? []).map((r) => `${r.key ?? ''}@${r.range.start}-${r.range.end}`).sort();
  return `${line(f)}|${related.join(',')}`;
}

function lines(found: ReadonlyMap<string, Finding[]>, show: (f: Finding) => string = line): string[] {
  return [...found].flatMap(([key, fs]) => fs.map((f) => `${key}: ${show(f)}`)).sort((a, b) => a.localeCompare(b));
}

/** A fixed walk: the same numbers on every run from the same seed. */
function seeded(start: number): { random: (n: number) => number; pick: <T>(xs: readonly T[]) => T } {
  let seed = start;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    // the high bits: an LCG's low bits repeat with a short period
    return Math.floor((seed / 2 ** 31) * n);
  };
  return { random, pick: <T>(xs: readonly T[]): T => xs[random(xs.length)]! };
}

class Workspace {
  readonly engine = new Engine();
  readonly incremental = new IncrementalSet();
  readonly files = new Map<string, { text: string; settings: Settings }>();

  members(): SetMember[] {
    return [...this.files].map(([key, f]) => ({ key, file: this.engine.open(f.text, key)!, settings: f.settings }));
  }

  check(show?: (f: Finding) => string): { found: string[]; checked: number } {
    const { findings, checked } = this.incremental.check(this.members(), (all, options) =>
      this.engine.checkOpenedSet(all, options),
    );
    return { found: lines(findings, show), checked };
  }

  /** The same set checked from scratch by another engine. */
  fresh(show?: (f: Finding) => string): string[] {
    const engine = new Engine();
    return lines(
      engine.checkSet([...this.files].map(([key, f]) => ({ key, text: f.text, settings: f.settings }))),
      show,
    );
  }

  set(key: string, text: string, settings: Settings = DEFAULT_SETTINGS): void {
    this.files.set(key, { text, settings });
  }
}

function project(): Workspace {
  const w = new Workspace();
  for (const app of ['a', 'b', 'c']) {
    w.set(`svc-${app}.yaml`, service(app, app, 'http'));
    w.set(`deploy-${app}.yaml`, deployment(app, app, 'http', `${app}-config`, 'LEVEL'));
    w.set(`config-${app}.yaml`, configMap(`${app}-config`, 'LEVEL'));
  }
  return w;
}

describe('incremental set check (editor)', () => {
  it('an edit of a Service re-checks its file alone, and finds what a fresh check finds', () => {
    const w = project();
    const first = w.check();
    assert.equal(first.checked, 9, 'the first check is of the whole set');
    assert.deepEqual(first.found, []);
    w.set('svc-a.yaml', service('a', 'a', 'htp'));
    const after = w.check();
    assert.equal(after.checked, 1);
    assert.deepEqual(after.found, w.fresh());
    assert.match(after.found.join('\n'), /svc-a\.yaml: service-target-port\|error\|.*targetPort htp/);
  });

  it('an edit of a workload re-checks it and the Services that select its pods, not the others', () => {
    const w = project();
    w.check();
    w.set('deploy-b.yaml', deployment('b', 'b', 'metrics', 'b-config', 'LEVEL'));
    const after = w.check();
    assert.equal(after.checked, 2, 'deploy-b.yaml and svc-b.yaml');
    assert.deepEqual(after.found, w.fresh());
    assert.match(after.found.join('\n'), /svc-b\.yaml: service-target-port\|error\|.*targetPort http/);
  });

  it('a ConfigMap removed or changed re-checks the pods that read it', () => {
    const w = project();
    w.check();
    w.set('config-c.yaml', configMap('c-config', 'LOG_LEVEL'));
    const changed = w.check();
    assert.equal(changed.checked, 2, 'config-c.yaml and deploy-c.yaml');
    assert.deepEqual(changed.found, w.fresh());
    assert.match(changed.found.join('\n'), /deploy-c\.yaml: missing-key\|/);
    w.files.delete('config-c.yaml');
    const removed = w.check();
    assert.deepEqual(removed.found, w.fresh());
    assert.match(removed.found.join('\n'), /deploy-c\.yaml: missing-reference\|/);
  });

  it('a change of settings counts as a change of the file (a ConfigMap that becomes a kustomize patch)', () => {
    const w = project();
    w.set('config-a.yaml', configMap('a-config', 'OTHER'));
    assert.match(w.check().found.join('\n'), /deploy-a\.yaml: missing-key/);
    w.set('config-a.yaml', configMap('a-config', 'OTHER'), { ...DEFAULT_SETTINGS, patchOf: 'kustomization.yaml' });
    const after = w.check();
    assert.deepEqual(after.found, w.fresh());
    assert.doesNotMatch(after.found.join('\n'), /missing-key/, 'a patch holds only the keys it changes');
  });

  it('a SidecarSet changed re-checks the Services that looked for a port among its containers', () => {
    const w = project();
    const sidecarSet = (app: string): string =>
      [
        'apiVersion: apps.kruise.io/v1alpha1',
        'kind: SidecarSet',
        'metadata:',
        '  name: agent',
        'spec:',
        '  selector:',
        '    matchLabels:',
        `      app: ${app}`,
        '  containers:',
        '    - name: agent',
        '      image: agent:1.0',
        '      ports:',
        '        - name: metrics',
        '          containerPort: 9102',
        '',
      ].join('\n');
    w.set('svc-a.yaml', service('a', 'a', 'metrics'));
    w.set('sidecarset.yaml', sidecarSet('a'));
    assert.deepEqual(w.check().found, [], "the SidecarSet's container declares metrics");
    w.set('sidecarset.yaml', sidecarSet('b'));
    const after = w.check();
    assert.equal(after.checked, 2, 'sidecarset.yaml and svc-a.yaml');
    assert.deepEqual(after.found, w.fresh());
    assert.match(after.found.join('\n'), /svc-a\.yaml: service-target-port\|error\|.*targetPort metrics/);
  });

  it('after any walk of edits, additions and removals, finds what a fresh check of the set finds', () => {
    const { random, pick } = seeded(17);
    const apps = ['a', 'b', 'c', 'd'];
    const namespaces = ['', 'prod'];
    const ports = ['http', 'metrics', 'grpc'];
    const keys = ['LEVEL', 'MODE'];
    const variants: (() => string)[] = [
      () => service(pick(apps), pick(apps), pick([...ports, '8080', '9090']), pick(namespaces)),
      () => deployment(pick(apps), pick(apps), pick(ports), `${pick(apps)}-config`, pick(keys), pick(namespaces)),
      () => configMap(`${pick(apps)}-config`, pick(keys), pick(namespaces)),
      () => `${service(pick(apps), pick(apps), pick(ports))}---\n${configMap(`${pick(apps)}-config`, pick(keys))}`,
    ];
    const w = new Workspace();
    const names = Array.from({ length: 12 }, (_, i) => `f${i}.yaml`);
    let narrowed = 0;
    let finding = 0;
    for (let step = 0; step < 300; step++) {
      const name = pick(names);
      const what = random(10);
      if (what === 0) w.files.delete(name);
      else if (what === 1) w.set(name, pick(variants)(), { ...DEFAULT_SETTINGS, patchOf: 'kustomization.yaml' });
      else w.set(name, pick(variants)());
      const { found, checked } = w.check();
      if (checked < w.files.size) narrowed++;
      if (found.length > 0) finding++;
      assert.deepEqual(found, w.fresh(), `step ${step}: ${what === 0 ? 'removed' : 'wrote'} ${name}`);
    }
    assert.ok(narrowed > 100, `most checks are narrowed (${narrowed} of 300)`);
    assert.ok(finding > 100, `most steps have findings to compare (${finding} of 300)`);
  });

  it('after any walk of edits of one document of files of several, finds what a fresh check finds, related locations too', () => {
    // the relations keep the objects of a file's unchanged documents (moved to their new offsets)
    // and read only the changed ones: each step replaces, inserts, removes, moves or copies one
    const { random, pick } = seeded(29);
    const apps = ['a', 'b', 'c'];
    const ports = ['http', 'metrics'];
    const keys = ['LEVEL', 'MODE'];
    const documentOf: (() => string)[] = [
      () => service(pick(apps), pick(apps), pick([...ports, '8080'])),
      () => deployment(pick(apps), pick(apps), pick(ports), `${pick(apps)}-config`, pick(keys)),
      () => configMap(`${pick(apps)}-config`, pick(keys)),
    ];
    const w = new Workspace();
    const files = new Map<string, string[]>();
    const names = ['big.yaml', 'other.yaml', 'third.yaml'];
    for (const name of names)
      files.set(
        name,
        Array.from({ length: 4 }, () => pick(documentOf)()),
      );
    const write = (name: string): void => w.set(name, files.get(name)!.join('---\n'));
    for (const name of names) write(name);
    w.check();
    let moved = 0;
    let finding = 0;
    for (let step = 0; step < 200; step++) {
      const name = step % 3 === 0 ? pick(names) : 'big.yaml';
      const docs = files.get(name)!;
      const at = random(docs.length);
      const what = random(6);
      if (what === 0 && docs.length > 1) docs.splice(at, 1);
      else if (what === 1) docs.splice(at, 0, pick(documentOf)());
      else if (what === 2 && docs.length > 1) {
        // moved: a document read again rather than out of order
        const [doc] = docs.splice(at, 1);
        docs.splice(random(docs.length + 1), 0, doc!);
        moved++;
      } else if (what === 3) docs.splice(at, 0, docs[random(docs.length)]!);
      else docs[at] = pick(documentOf)();
      write(name);
      const { found } = w.check(placedLine);
      if (found.some((f) => /@/.test(f))) finding++;
      assert.deepEqual(
        found,
        w.fresh(placedLine),
        `step ${step}: ${['removed', 'inserted', 'moved', 'copied', 'replaced', 'replaced'][what]} document ${at} of ${name}`,
      );
    }
    assert.ok(moved > 10, `documents moved (${moved})`);
    assert.ok(finding > 100, `most steps have findings with related locations to compare (${finding} of 200)`);
  });
});

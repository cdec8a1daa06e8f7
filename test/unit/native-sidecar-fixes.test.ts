import * as assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ModelCache } from '../../server/src/model/file-model';
import { applyEdits } from '../../server/src/fixes/edits';
import type { Fix, TextEditSpec } from '../../server/src/engine/types';
import { FIXTURES, lintText, listYaml, read, type LineFinding } from '../support/lint';

const RULES = ['restart-policy-on-container', 'init-container-probe', 'job-sidecar', 'classic-sidecar', 'init-order'];

/** Applies a fix's edits (the linter hands them over in file offsets). */
function apply(text: string, edits: TextEditSpec[]): string {
  return applyEdits(text, edits);
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

/** Lines of `before` that no edit touches must all be in `after`, in order, byte for byte. */
function assertUntouchedLinesKept(before: string, edits: TextEditSpec[], after: string): void {
  const touched = new Set<number>();
  const lineOf = (pos: number): number => before.slice(0, pos).split('\n').length - 1;
  for (const e of edits) {
    const first = lineOf(e.range.start);
    // an insertion at a line start touches no existing line
    if (e.range.end === e.range.start) continue;
    const endsAtLineStart = before[e.range.end - 1] === '\n';
    const last = lineOf(e.range.end) - (endsAtLineStart ? 1 : 0);
    for (let l = first; l <= last; l++) touched.add(l);
  }
  const kept = lines(before).filter((_, i) => !touched.has(i));
  const result = lines(after);
  let at = 0;
  for (const line of kept) {
    while (at < result.length && result[at] !== line) at++;
    assert.ok(at < result.length, `untouched line lost or changed: ${JSON.stringify(line)}`);
    at++;
  }
}

function comments(text: string): string[] {
  return lines(text)
    .map((l) => /#.*$/.exec(l)?.[0] ?? '')
    .filter((c) => c !== '' && !c.startsWith('# <-'))
    .sort();
}

function serious(findings: LineFinding[]): string[] {
  return findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`);
}

/** The keys of every container by name, in written order (a moved container keeps its order). */
function containerKeys(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const doc of text.split(/^---$/m)) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const obj = node as Record<string, unknown>;
        if (typeof obj['name'] === 'string' && typeof obj['image'] === 'string')
          out.set(
            obj['name'],
            Object.keys(obj).filter((k) => k !== 'restartPolicy'),
          );
        Object.values(obj).forEach(walk);
      }
    };
    walk(parseDocument(doc).toJS());
  }
  return out;
}

interface Case {
  name: string;
  text: string;
  finding: LineFinding;
  fix: Fix;
}

/** Every fix of every finding of these rules in the invalid fixtures, at the given target version. */
function cases(settings: { kubernetesVersion: string }): Case[] {
  const out: Case[] = [];
  for (const rule of RULES) {
    for (const file of listYaml(join(FIXTURES, 'rules', rule, 'invalid'))) {
      const text = read(file);
      for (const finding of lintText(text, settings).filter((f) => f.rule === rule)) {
        for (const fix of finding.fixes?.() ?? [])
          out.push({ name: `${rule}/${basename(file)}:${finding.line} "${fix.title}"`, text, finding, fix });
      }
    }
  }
  return out;
}

describe('native sidecar quick fixes on the invalid fixtures', () => {
  for (const version of ['1.33', '1.34']) {
    const settings = { kubernetesVersion: version };
    const all = cases(settings);
    it(`offers fixes (${version})`, () => {
      assert.ok(all.length >= 12, `only ${all.length} fixes`);
      for (const rule of RULES)
        assert.ok(
          all.some((c) => c.finding.rule === rule),
          `no fix for ${rule}`,
        );
    });
    for (const { name, text, finding, fix } of all) {
      it(`${version} ${name}: parses, keeps the rest, clears the finding, adds no problem`, () => {
        const after = apply(text, fix.edits);
        const model = new ModelCache().parseFile(after);
        for (const d of model.documents) assert.deepEqual(d.model.syntaxErrors, [], after);
        assertUntouchedLinesKept(text, fix.edits, after);
        // a removed field goes with its own comment lines; everything else keeps every comment
        if (!fix.title.startsWith('Remove')) assert.deepEqual(comments(after), comments(text), 'comments kept');
        // CRLF documents stay CRLF throughout
        if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'a bare LF crept into a CRLF document');
        const before = lintText(text, settings);
        const fixed = lintText(after, settings);
        // the finding is gone (making a container a sidecar may settle its other findings too)
        const same = fixed.filter((f) => f.rule === finding.rule);
        assert.ok(same.length < before.filter((f) => f.rule === finding.rule).length, after);
        assert.ok(
          !same.some((f) => f.message === finding.message),
          `the ${finding.rule} finding is still there:\n${after}`,
        );
        const previous = new Set(serious(before));
        const fresh = serious(fixed).filter((s) => !previous.has(s));
        assert.deepEqual(fresh, [], after);
        // a moved or edited container keeps its keys in their order
        const keysBefore = containerKeys(text);
        for (const [container, keys] of containerKeys(after)) {
          const was = keysBefore.get(container);
          if (was && fix.title.startsWith('Remove')) continue;
          assert.deepEqual(keys, was, `keys of ${container}`);
        }
      });
    }
  }
});

/** The single fix with this title prefix, applied to the first finding of the rule (one-document texts). */
function fixed(text: string, rule: string, title: string, version = '1.33'): string | undefined {
  const finding = lintText(text, { kubernetesVersion: version }).find((f) => f.rule === rule);
  assert.ok(finding, `no ${rule} finding`);
  const fix = finding.fixes?.().find((f) => f.title.startsWith(title));
  return fix && apply(text, fix.edits);
}

const POD_HEAD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
`;

const DEPLOYMENT_HEAD = `apiVersion: apps/v1
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
    spec:
`;

describe('convert to a native sidecar: layouts', () => {
  it('creates initContainers above containers, in the indentation style of containers', () => {
    const text = `${DEPLOYMENT_HEAD}      # the pod's containers
      containers:
        - name: app
          image: nginx:1.27
        - name: exporter # scrapes nginx
          image: nginx/nginx-prometheus-exporter:1.3.0
          ports:
            - containerPort: 9113
      volumes: []
`;
    assert.equal(
      fixed(text, 'classic-sidecar', 'Convert'),
      `${DEPLOYMENT_HEAD}      initContainers:
        - name: exporter # scrapes nginx
          image: nginx/nginx-prometheus-exporter:1.3.0
          ports:
            - containerPort: 9113
          restartPolicy: Always
      # the pod's containers
      containers:
        - name: app
          image: nginx:1.27
      volumes: []
`,
    );
  });

  it('appends to an existing initContainers list at its own indentation, and sets an existing restartPolicy', () => {
    const text = `${POD_HEAD}  containers:
  # comment above the proxy
  - image: envoyproxy/envoy:v1.31.0
    restartPolicy: OnFailure
    name: proxy
  - name: app
    image: nginx:1.27
  initContainers:
      - name: setup
        image: busybox:1.36
        # trailing comment inside setup
`;
    assert.equal(
      fixed(text, 'restart-policy-on-container', 'Move'),
      `${POD_HEAD}  containers:
  - name: app
    image: nginx:1.27
  initContainers:
      - name: setup
        image: busybox:1.36
        # trailing comment inside setup
      # comment above the proxy
      - image: envoyproxy/envoy:v1.31.0
        restartPolicy: Always
        name: proxy
`,
    );
  });

  it('fills an empty initContainers key, and handles a last line without a line break', () => {
    const text = `${POD_HEAD}  initContainers:
  containers:
    - name: app
      image: nginx:1.27
    - name: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9`;
    assert.equal(
      fixed(text, 'classic-sidecar', 'Convert'),
      `${POD_HEAD}  initContainers:
    - name: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
      restartPolicy: Always
  containers:
    - name: app
      image: nginx:1.27`,
    );
  });

  it('keeps CRLF line ends', () => {
    const text =
      'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n    - name: app\r\n      image: nginx:1.27\r\n    - name: shipper\r\n      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9\r\n';
    assert.equal(
      fixed(text, 'classic-sidecar', 'Convert'),
      'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  initContainers:\r\n    - name: shipper\r\n      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9\r\n      restartPolicy: Always\r\n  containers:\r\n    - name: app\r\n      image: nginx:1.27\r\n',
    );
  });

  it('declines flow style rather than damage it', () => {
    const flowList = `${POD_HEAD}  containers: [{name: app, image: "nginx:1.27"}, {name: shipper, image: "cr.fluentbit.io/fluent/fluent-bit:3.1.9"}]
`;
    assert.equal(fixed(flowList, 'classic-sidecar', 'Convert'), undefined);
    const flowInit = `${POD_HEAD}  initContainers: []
  containers:
    - name: app
      image: nginx:1.27
    - name: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
`;
    assert.equal(fixed(flowInit, 'classic-sidecar', 'Convert'), undefined);
  });

  it('does not move the only container (a pod needs one), but still offers to remove the field', () => {
    const text = `${POD_HEAD}  containers:
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
`;
    const finding = lintText(text).find((f) => f.rule === 'restart-policy-on-container');
    assert.deepEqual(
      finding?.fixes?.().map((f) => [f.title, f.safe]),
      [['Remove restartPolicy', false]],
    );
  });

  it('offers nothing in a document with a syntax error, tabs as indentation included (its tree is a guess)', () => {
    const text = `${POD_HEAD}  containers:
    - name: app
      image: nginx:1.27
      image: nginx:1.28
    - name: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
      restartPolicy: Always
`;
    // YAML forbids tabs as indentation: a tab after a `- ` is such an error
    const tab = `${POD_HEAD}  containers:
    - name: app
      image: nginx:1.27
    -\tname: shipper
      image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
`;
    for (const broken of [text, tab]) {
      const findings = lintText(broken).filter((f) => RULES.includes(f.rule));
      assert.ok(findings.length > 0, 'the rules still speak on what they can see');
      for (const f of findings) assert.deepEqual(f.fixes?.(), [], f.rule);
    }
  });

  it('offers no conversion below 1.29, where native sidecars do not exist', () => {
    const text = read(join(FIXTURES, 'rules', 'job-sidecar', 'invalid', 'job.yaml'));
    const findings = lintText(text, { kubernetesVersion: '1.28' }).filter((f) => f.rule === 'job-sidecar');
    assert.equal(findings.length, 5);
    for (const f of findings) {
      assert.deepEqual(f.fixes?.(), []);
      assert.match(f.message, /from Kubernetes 1\.29/);
    }
  });
});

describe('restart-policy-on-container across versions', () => {
  const text = read(join(FIXTURES, 'rules', 'restart-policy-on-container', 'invalid', 'pod-crlf-on-failure.yaml'));
  const at = (version: string): [string, string][] =>
    lintText(text, { kubernetesVersion: version })
      .filter((f) => f.rule === 'restart-policy-on-container')
      .map((f) => [f.severity, f.message.split(':')[0]!]);

  it('is an error before 1.34, a warning behind the 1.34 alpha gate, advice on Always from 1.35', () => {
    assert.deepEqual(
      at('1.33').map(([s]) => s),
      ['error', 'error'],
    );
    assert.deepEqual(
      at('1.34').map(([s]) => s),
      ['warning', 'warning'],
    );
    assert.deepEqual(at('1.35'), [['info', 'restartPolicy']]);
  });

  it('removing a forbidden OnFailure is safe; anything that touches Always is a judgement call', () => {
    const findings = lintText(text).filter((f) => f.rule === 'restart-policy-on-container');
    assert.deepEqual(
      findings.map((f) => f.fixes?.().map((x) => [x.title.split(' ')[0], x.safe, x.preferred])),
      [
        [
          ['Move', false, false],
          ['Remove', true, true],
        ],
        [
          ['Move', false, true],
          ['Remove', false, false],
        ],
      ],
    );
  });
});

describe('init-container-probe fixes', () => {
  it('removes a probe that starts the item, moving the next key onto the - line', () => {
    const text = read(join(FIXTURES, 'rules', 'init-container-probe', 'invalid', 'first-key.yaml'));
    const after = fixed(text, 'init-container-probe', 'Remove')!;
    assert.match(after, /\n {4}- name: warmup\n {6}image: ghcr\.io\/example\/warmup:1\.0\.0\n/);
    assert.ok(!after.includes('startupProbe'));
  });

  it('prefers the sidecar for a known sidecar image and removal otherwise, also for a known one set to run once', () => {
    const text = read(join(FIXTURES, 'rules', 'init-container-probe', 'invalid', 'probes.yaml'));
    const preferred = lintText(text)
      .filter((f) => f.rule === 'init-container-probe')
      .map(
        (f) =>
          f
            .fixes?.()
            .find((x) => x.preferred)
            ?.title.split(' ')[0],
      );
    assert.deepEqual(preferred, ['Remove', 'Make', 'Make', 'Remove']);
  });
});

describe('init-order fix', () => {
  it('moves the sidecar with its comments right before the first init container that calls it', () => {
    const text = read(join(FIXTURES, 'rules', 'init-order', 'invalid', 'migrate-before-proxy.yaml'));
    const after = fixed(text, 'init-order', 'Move')!;
    const names = [...after.matchAll(/^ {8}- name: ([\w-]+)/gm)].map((m) => m[1]);
    assert.deepEqual(names, [
      'cloud-sql-proxy',
      'migrate',
      'warm-cache',
      'wait-for-db',
      'wait-for-db-words',
      'envoy',
      'api',
    ]);
    assert.match(after, /# the proxy the migration needs\n {8}- name: cloud-sql-proxy/);
  });

  it('declines when an init container it would now start before binds one of its ports', () => {
    const text = `${POD_HEAD}  initContainers:
    - name: check
      image: curlimages/curl:8.10.1
      args: ["http://localhost:9901/ready"]
      ports:
        - containerPort: 9901
    - name: envoy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
      ports:
        - containerPort: 9901
  containers:
    - name: app
      image: nginx:1.27
`;
    assert.equal(fixed(text, 'init-order', 'Move'), undefined);
  });
});

// The CLI on kustomize overlays, as a user runs it (the built bin, its own PATH): rendered findings
// on the files that wrote them, the top-level overlay only, and renderers missing, failing, hanging.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRenderer } from '../../server/src/workspace/render';
import { FIXTURES, REPO } from '../support/lint';

const CLI = join(REPO, 'bin', 'sidecar-pods.js');
const KUBECTL = findRenderer('kubectl');
const NO_KUBECTL = ' (skipped: no kubectl on PATH)';

interface JsonFinding {
  file: string;
  line: number;
  severity: string;
  rule: string;
  message: string;
  related?: { file: string; line: number; message: string }[];
}

function lint(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...args], { cwd, env, encoding: 'utf8' });
  const findings = r.stdout ? (JSON.parse(r.stdout) as JsonFinding[]) : [];
  return {
    code: r.status,
    findings,
    err: r.stderr,
    keys: findings.map((f) => `${f.file}:${f.line}:${f.severity}:${f.rule}`),
  };
}

describe('the CLI on kustomize overlays', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sp-cli-overlays-'));
    cpSync(join(FIXTURES, 'kustomize', 'app'), join(root, 'app'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  (KUBECTL ? it : it.skip)(
    `renders the overlay once and puts each finding on the patch line that wrote it${KUBECTL ? '' : NO_KUBECTL}`,
    () => {
      const r = lint(root, ['app']);
      assert.equal(r.code, 1, r.err);
      assert.deepEqual(r.keys, [
        'app/overlays/prod/kustomization.yaml:5:info:kustomization',
        'app/overlays/prod/patches/log-shipper.yaml:10:warning:resources',
        'app/overlays/prod/patches/mistake.yaml:12:error:schema',
        'app/overlays/prod/patches/mistake.yaml:13:warning:resources',
        'app/overlays/prod/patches/mistake.yaml:14:info:classic-sidecar',
        'app/overlays/prod/patches/mistake.yaml:17:warning:resources',
        'app/overlays/prod/patches/mistake.yaml:20:error:port-conflict',
      ]);
      // the patch line of a port its sidecar takes from the base's container (without the patch
      // that makes the base's port a string, which no port rule compares)
      writeFileSync(
        join(root, 'app', 'overlays', 'prod', 'kustomization.yaml'),
        'resources:\n  - ../../base\npatches:\n  - path: patches/log-shipper.yaml\n',
      );
      writeFileSync(
        join(root, 'app', 'overlays', 'prod', 'patches', 'log-shipper.yaml'),
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          resources: {requests: {memory: 64Mi}}
          ports:
            - containerPort: 8080
`,
      );
      const clash = lint(root, ['app/overlays/prod']).findings.filter(
        (f) => f.rule === 'port-conflict' && !f.file.endsWith('mistake.yaml'),
      );
      assert.deepEqual(
        clash.map((f) => `${f.file}:${f.line}`),
        ['app/overlays/prod/patches/log-shipper.yaml:13'],
      );
      assert.equal(
        clash[0]!.message,
        'port 8080/TCP is also declared by container "proxy"; containers of a pod share one network namespace, so only one of them can bind it (rendered: reported at ../../base/deployment.yaml:18, where the other side is written; this patch brings the clash)',
      );
    },
  );

  (KUBECTL ? it : it.skip)(
    `runs the set rules on each rendered overlay, once per cause, related locations in the source files${KUBECTL ? '' : NO_KUBECTL}`,
    () => {
      cpSync(join(FIXTURES, 'kustomize', 'shop'), join(root, 'shop'), { recursive: true });
      const r = lint(root, ['shop']);
      assert.equal(r.code, 1, r.err);
      assert.deepEqual(r.keys, [
        'shop/base/deployment.yaml:25:warning:missing-key',
        'shop/base/service.yaml:11:error:service-target-port',
        'shop/base/service.yaml:13:info:service-target-port',
      ]);
      const [key, port] = r.findings;
      assert.match(
        key!.message,
        /holds no key log-level \(it holds LOG_LEVEL\).*\(rendered with the overlay \.\.\/overlays\/prod\)$/,
      );
      assert.deepEqual(
        key!.related?.map((x) => `${x.file}:${x.line}`),
        ['shop/overlays/prod/kustomization.yaml:9'],
      );
      assert.deepEqual(
        port!.related?.map((x) => `${x.file}:${x.line} ${x.message}`),
        ['shop/overlays/prod/port-name.yaml:12 Deployment prod-shop declares web (8080)'],
      );
      // without rendering, the files as written say only what the base says itself
      assert.deepEqual(lint(root, ['--kustomize-renderer', 'off', 'shop']).keys, [
        'shop/base/service.yaml:13:info:service-target-port',
      ]);
      // a second overlay of the same base that finds the same: still once
      cpSync(join(root, 'shop', 'overlays', 'prod'), join(root, 'shop', 'overlays', 'staging'), { recursive: true });
      writeFileSync(
        join(root, 'shop', 'overlays', 'staging', 'kustomization.yaml'),
        readFileSync(join(root, 'shop', 'overlays', 'prod', 'kustomization.yaml'), 'utf8').replace(/prod/g, 'staging'),
      );
      assert.deepEqual(lint(root, ['shop']).keys, r.keys);
      // the overlay alone: the base is not in the set, so its 9090 is said by the render
      assert.deepEqual(lint(root, ['shop/overlays/prod']).keys.sort(), r.keys);
    },
  );

  (KUBECTL ? it : it.skip)(`a base linted alone is rendered alone${KUBECTL ? '' : NO_KUBECTL}`, () => {
    const r = lint(root, ['app/base']);
    assert.deepEqual(r.keys, []);
    assert.equal(r.code, 0);
  });

  it('without a renderer on PATH: one info, once, and the same findings as written', () => {
    cpSync(join(root, 'app'), join(root, 'app2'), { recursive: true });
    const r = lint(root, ['app', 'app2'], { ...process.env, PATH: join(root, 'empty') });
    const told = r.findings.filter((f) => /No kustomize renderer on PATH/.test(f.message));
    assert.equal(told.length, 1, r.keys.join('\n'));
    assert.equal(told[0]!.severity, 'info');
    assert.equal(told[0]!.file, 'app/overlays/prod/kustomization.yaml');
    assert.ok(!r.keys.some((k) => k.endsWith(':resources')), 'nothing rendered');
    assert.equal(r.code, 1, 'the patches still have their errors');
  });

  it('a renderer that fails: one error with its message on the kustomization', () => {
    const script = join(root, 'fail.sh');
    writeFileSync(
      script,
      "#!/bin/sh\necho 'Error: no matches for OriginalId apps_v1_Deployment|~X|nope' >&2\nexit 1\n",
    );
    chmodSync(script, 0o755);
    const r = lint(root, ['--kustomize-renderer', script, 'app/overlays/prod/kustomization.yaml']);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}: ${f.message}`),
      [
        'app/overlays/prod/kustomization.yaml:1: kustomize cannot build this overlay: no matches for OriginalId apps_v1_Deployment|~X|nope',
      ],
    );
    assert.equal(r.code, 1);
  });

  it('a renderer that hangs is killed at the limit the config file sets', () => {
    const script = join(root, 'hang.sh');
    writeFileSync(script, '#!/bin/sh\nsleep 60 &\nwait\n');
    chmodSync(script, 0o755);
    writeFileSync(join(root, '.sidecar-pods.yaml'), 'kustomizeTimeoutSeconds: 1\n');
    const started = Date.now();
    const r = lint(root, ['--kustomize-renderer', script, 'app/overlays/prod/kustomization.yaml']);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'warning').map((f) => f.message),
      ['This overlay was not checked as rendered: the renderer took longer than 1 s and was stopped.'],
    );
  });

  it('a config file may not name a program as its renderer', () => {
    writeFileSync(join(root, '.sidecar-pods.yaml'), `kustomizeRenderer: ${join(dirname(CLI), 'evil.sh')}\n`);
    const r = lint(root, ['app/overlays/prod/kustomization.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /kustomizeRenderer: expected off, kubectl, kustomize/);
    writeFileSync(join(root, '.sidecar-pods.yaml'), 'kustomizeRenderer: "off"\n');
    const off = lint(root, ['app']);
    assert.ok(!off.keys.some((k) => k.endsWith(':resources')), 'off renders nothing');
    assert.ok(!off.findings.some((f) => /renderer/.test(f.message)));
  });
});

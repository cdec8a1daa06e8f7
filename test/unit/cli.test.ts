import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readBounded } from '../../cli/src/files';
import { positionsOf } from '../../server/src/engine';
import { run } from '../../cli/src/main';
import { aliasBomb, deepBlock, deepCompactBlock, deepFlow, manyDocuments, podWithBlobs } from '../support/extremes';
import { FIXTURES, REPO } from '../support/lint';

const CLI_BUNDLE = join(REPO, 'dist', 'cli.js');

/** Whether others (neither owner nor group) may read (0o4) or run (0o1) `path`, and enter each folder above. */
function othersMay(want: 0o4 | 0o1, path: string): boolean {
  if ((statSync(path).mode & want) === 0) return false;
  for (let d = dirname(path); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

function cli(args: string[], stdin = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: () => stdin,
    cwd: FIXTURES,
  });
  return { code, out, err };
}

const PORT_CONFLICT = join(FIXTURES, 'rules', 'port-conflict', 'invalid', 'two-containers.yaml');
const VALID = join(FIXTURES, 'rules', 'missing-volume', 'valid', 'shared-emptydir.yaml');

describe('sidecar-pods lint', () => {
  it('prints JSON findings with 1-based positions and exits 1 on errors', () => {
    const { code, out } = cli(['lint', '--format', 'json', PORT_CONFLICT]);
    assert.equal(code, 1);
    // other rules may also speak about this file (the proxy is a classic sidecar); this is about the format
    const findings = JSON.parse(out) as Record<string, unknown>[];
    assert.deepEqual(
      findings.find((f) => f.rule === 'port-conflict'),
      {
        file: PORT_CONFLICT,
        line: 18,
        column: 26,
        endLine: 18,
        endColumn: 30,
        severity: 'error',
        rule: 'port-conflict',
        message:
          'port 8080/TCP is also declared by container "app"; containers of a pod share one network namespace, so only one of them can bind it',
        object: { kind: 'Pod', name: 'web' },
      },
    );
  });

  it('names the object of each finding (List items too) and standard input as <stdin>', () => {
    const deployment = (name: string, ns: string): string =>
      `  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: ${name}\n      namespace: ${ns}\n    spec:\n      selector: {matchLabels: {app: x}}\n      template:\n        metadata: {labels: {app: x}}\n        spec:\n          containers:\n            - name: a\n              image: b:1\n              resources: {limits: {memory: 1Mi}}\n              volumeMounts: [{name: gone, mountPath: /v}]\n`;
    const list = `apiVersion: v1\nkind: List\nitems:\n${deployment('web', 'prod')}${deployment('api', 'dev')}`;
    const json = cli(['lint', '--format', 'json', '-'], list);
    const findings = JSON.parse(json.out) as { file: string; rule: string; object?: unknown }[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.rule, f.object]),
      [
        ['<stdin>', 'missing-volume', { kind: 'Deployment', name: 'web', namespace: 'prod' }],
        ['<stdin>', 'missing-volume', { kind: 'Deployment', name: 'api', namespace: 'dev' }],
      ],
    );
    const text = cli(['lint', '-'], list);
    assert.match(text.out, /^<stdin>:18:37: error Deployment prod\/web: container "a" mounts volume "gone"/m);
    assert.match(text.out, /^<stdin>:33:37: error Deployment dev\/api: container "a" mounts volume "gone"/m);
    const sarif = JSON.parse(cli(['lint', '--format', 'sarif', '-'], list).out);
    assert.deepEqual(sarif.runs[0].results[1].logicalLocations, [
      { name: 'api', fullyQualifiedName: 'Deployment dev/api', kind: 'object' },
    ]);
  });

  it('exits 0 with a summary on a clean file', () => {
    const { code, out } = cli(['lint', VALID]);
    assert.equal(code, 0);
    assert.match(out, /^1 file checked: 0 errors, 0 warnings, 0 info\n$/);
  });

  it('walks folders recursively over *.yaml and *.yml, surviving symlink loops', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-cli-'));
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(
      join(dir, 'a', 'b', 'pod.yml'),
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: x\n      image: y:1\n      resources: {limits: {memory: 1Mi}}\n      volumeMounts: [{name: v, mountPath: /v}]\n',
    );
    writeFileSync(join(dir, 'a', 'notes.txt'), 'kind: Pod\n');
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'loop'));
    const { code, out } = cli(['lint', '--format', 'json', dir]);
    assert.equal(code, 1);
    const rules = (JSON.parse(out) as { rule: string; file: string }[]).map((f) => [f.rule, f.file.slice(dir.length)]);
    assert.deepEqual(rules, [['missing-volume', '/a/b/pod.yml']]);
  });

  it('a SidecarSet in another file given injects into the pods it selects, and the finding points at it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-cli-'));
    try {
      const [setText, deployment] = readFileSync(join(FIXTURES, 'custom-resources', 'sidecarset.yaml'), 'utf8')
        .replace('containerPort: 8080', 'containerPort: 2020')
        .split('---\n') as [string, string];
      writeFileSync(join(dir, 'deployment.yaml'), deployment);
      writeFileSync(join(dir, 'sidecarset.yaml'), setText);
      type Json = {
        rule: string;
        file: string;
        line: number;
        related?: { file: string; line: number; message: string }[];
      };
      const conflicts = (paths: string[]): Json[] =>
        (JSON.parse(cli(['lint', '--format', 'json', ...paths]).out) as Json[]).filter(
          (f) => f.rule === 'injected-port-conflict',
        );
      // alone, the Deployment says nothing of what Kruise adds to it
      assert.deepEqual(conflicts([join(dir, 'deployment.yaml')]), []);
      const found = conflicts([dir]).map((f) => ({ ...f, file: relative(dir, f.file) }));
      assert.deepEqual(
        found.map((f) => [f.file, f.line, f.related?.map((r) => [relative(dir, r.file), r.line, r.message])]),
        [
          [
            'deployment.yaml',
            19,
            [['sidecarset.yaml', 17, 'SidecarSet log-agent injects fluent-bit, which listens on 2020']],
          ],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes SARIF 2.1.0 with rules and relative locations', () => {
    const { out } = cli(['lint', '--format', 'sarif', PORT_CONFLICT]);
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'sidecar-pods');
    const result = run0.results.find((r: { ruleId: string }) => r.ruleId === 'port-conflict');
    assert.equal(result.ruleId, 'port-conflict');
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'port-conflict');
    assert.equal(result.level, 'error');
    assert.equal(
      result.locations[0].physicalLocation.artifactLocation.uri,
      'rules/port-conflict/invalid/two-containers.yaml',
    );
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: 18,
      startColumn: 26,
      endLine: 18,
      endColumn: 30,
    });
  });

  it('reads standard input for -', () => {
    const { code, out } = cli(
      ['lint', '--format', 'json', '-'],
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: b:1\n      resources: {limits: {memory: 1Mi}}\n    - name: a\n      image: b:1\n      resources: {limits: {memory: 1Mi}}\n',
    );
    assert.equal(code, 1);
    assert.equal(JSON.parse(out)[0].rule, 'duplicate-container-name');
  });

  it('exits 2 with a clear message on bad usage and unreadable paths, and still checks the rest', () => {
    assert.equal(cli([]).code, 2);
    const unknown = cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
    const badFormat = cli(['lint', '--format', 'xml', VALID]);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /--format must be text, json or sarif/);
    assert.match(cli(['lint', '--kubernetes-version', 'latest', VALID]).err, /--kubernetes-version expects/);
    assert.match(cli(['lint', '--bogus', VALID]).err, /Unknown option '--bogus'/);
    const missing = cli(['lint', '--format', 'json', '/nonexistent/x.yaml', PORT_CONFLICT]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /\/nonexistent\/x\.yaml: no such file or directory/);
    assert.equal(
      (JSON.parse(missing.out) as { rule: string }[]).filter((f) => f.rule === 'port-conflict').length,
      1,
      'the readable file is still checked',
    );
  });

  it('lists the rules', () => {
    const { code, out } = cli(['rules']);
    assert.equal(code, 0);
    assert.match(out, /\| \[`port-conflict`\]/);
    const json = JSON.parse(cli(['rules', '--format', 'json']).out) as { id: string; fixable: boolean }[];
    assert.ok(json.some((r) => r.id === 'missing-volume' && r.fixable));
  });
});

describe('sidecar-pods lint on hostile paths and input', () => {
  const DUPLICATE =
    'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: "b:1"}, {name: a, image: "b:1"}]\n';
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sp-cli-hostile-'));
    writeFileSync(join(dir, 'good.yaml'), DUPLICATE);
  });

  /** Files with a finding, relative to `dir`, in order. */
  const reported = (json: string): string[] => [
    ...new Set((JSON.parse(json) as { file: string }[]).map((f) => relative(dir, f.file))),
  ];

  /** Runs with the readable file last, so every case also shows the walk goes on past a problem. */
  function lintWith(path: string, ...more: string[]): { code: number; out: string; err: string; files: string[] } {
    const r = cli(['lint', '--format', 'json', path, ...more, join(dir, 'good.yaml')]);
    return { ...r, files: reported(r.out) };
  }

  it('says so of a folder given that holds no YAML file, without failing', () => {
    mkdirSync(join(dir, 'charts'));
    writeFileSync(join(dir, 'charts', 'README.md'), '# not YAML\n');
    const r = lintWith(join(dir, 'charts'));
    assert.equal(r.code, 1, 'the other file is checked: its error decides the exit status');
    assert.match(r.err, /charts: no \.yaml or \.yml file in this folder/);
    assert.deepEqual(r.files, ['good.yaml']);
    assert.doesNotMatch(cli(['lint', dir]).err, /no \.yaml or \.yml file/);
    // nor where it was walked already: named twice, after a folder inside it, through a symlink
    mkdirSync(join(dir, 'k8s', 'base'), { recursive: true });
    writeFileSync(join(dir, 'k8s', 'base', 'pod.yaml'), DUPLICATE);
    symlinkSync(join(dir, 'k8s'), join(dir, 'k8s-link'));
    const again = cli(['lint', join(dir, 'k8s', 'base'), join(dir, 'k8s'), join(dir, 'k8s'), join(dir, 'k8s-link')]);
    assert.doesNotMatch(again.err, /no \.yaml or \.yml file/);
    assert.equal(reported(cli(['lint', '--format', 'json', join(dir, 'k8s'), join(dir, 'k8s-link')]).out).length, 1);
  });

  it('names a broken symbolic link as such, and a symlink to itself', () => {
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
    symlinkSync(join(dir, 'self.yaml'), join(dir, 'self.yaml'));
    const r = lintWith(join(dir, 'dangling.yaml'), join(dir, 'self.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.err, /dangling\.yaml: broken symbolic link \(its target does not exist\)/);
    assert.match(r.err, /self\.yaml: too many levels of symbolic links/);
    assert.deepEqual(r.files, ['good.yaml']);
  });

  it('walks a directory named like a YAML file, and reports dangling links found in a walk', () => {
    mkdirSync(join(dir, 'x.yaml'));
    writeFileSync(join(dir, 'x.yaml', 'inner.yml'), DUPLICATE);
    symlinkSync(join(dir, 'gone'), join(dir, 'x.yaml', 'dangling.yaml'));
    const r = lintWith(join(dir, 'x.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.err, /x\.yaml\/dangling\.yaml: broken symbolic link/);
    assert.deepEqual(r.files, ['x.yaml/inner.yml', 'good.yaml']);
  });

  it('refuses a socket by name, and reads no more than a bounded amount of an endless device', () => {
    // a socket file, as a path named by mistake; a server is needed only to create it
    const socketPath = join(dir, 'sock.yaml');
    const server = createServer();
    return new Promise<void>((resolve, reject) => {
      server.listen(socketPath, () => {
        try {
          const r = lintWith(socketPath);
          assert.equal(r.code, 2);
          assert.match(r.err, /sock\.yaml: is a socket, not a file/);
          assert.deepEqual(r.files, ['good.yaml']);
          // /dev/zero never ends: readFileSync would fill memory; the bounded read stops
          assert.throws(() => readBounded('/dev/zero', 1024 * 1024), /larger than 1 MiB; not checked/);
          resolve();
        } catch (e) {
          reject(e as Error);
        } finally {
          server.close();
        }
      });
    });
  });

  it('reads a regular file whole, and refuses one over the limit by its size', () => {
    const file = join(dir, 'sized.yaml');
    const text = 'a: é\n'.repeat(600); // multi-byte characters: the size is in bytes
    writeFileSync(file, text);
    assert.equal(readBounded(file).toString('utf8'), text);
    assert.throws(() => readBounded(file, 1000), /larger than .* MiB; not checked/);
    // a file whose stat says nothing of its content (as in /proc) is read to its end all the same
    assert.ok(readBounded('/proc/self/status').toString('utf8').includes('Name:'));
  });

  it('reports a file or folder it may not read, and checks the others', function () {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'pod.yaml'), DUPLICATE);
    const secret = join(dir, 'secret.yaml');
    writeFileSync(secret, DUPLICATE);
    chmodSync(secret, 0o000);
    chmodSync(locked, 0o000);
    chmodSync(dir, 0o755); // mkdtemp makes it private to its owner: others may look in
    const args = ['lint', '--format', 'json', locked, secret, join(dir, 'good.yaml')];
    let r: { code: number; out: string; err: string };
    if (process.getuid?.() === 0) {
      // root reads through any permission: run the built CLI as nobody instead, from a copy of the
      // bundle beside the test files, since the checkout may sit where nobody may enter (a clone
      // under /root or in a mktemp -d folder is its owner's alone)
      if (!existsSync(CLI_BUNDLE)) {
        console.log(`      skipped: no ${CLI_BUNDLE} to run as nobody; build it with npm run build`);
        this.skip();
      }
      const bundle = join(dir, 'cli.js');
      copyFileSync(CLI_BUNDLE, bundle);
      chmodSync(bundle, 0o644);
      const closed = !othersMay(0o4, bundle) ? bundle : !othersMay(0o1, process.execPath) ? process.execPath : '';
      if (closed !== '') {
        console.log(`      skipped: user nobody (65534) cannot reach ${closed}, so the CLI cannot run as nobody here`);
        this.skip();
      }
      const p = spawnSync(process.execPath, [bundle, ...args], { uid: 65534, gid: 65534, encoding: 'utf8' });
      r = { code: p.status ?? -1, out: p.stdout, err: p.stderr };
    } else {
      r = cli(args);
    }
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /locked: permission denied/);
    assert.match(r.err, /secret\.yaml: permission denied/);
    assert.deepEqual(reported(r.out), ['good.yaml']);
  });

  it('skips binary files with a note, checks empty files and empty input as clean', () => {
    writeFileSync(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'notes.yaml'), '# just a comment\n\n\n');
    const r = cli(['lint', join(dir, 'image.yaml'), join(dir, 'empty.yaml'), join(dir, 'notes.yaml')]);
    assert.equal(r.code, 0);
    assert.match(r.err, /image\.yaml: skipped, not a text file/);
    assert.equal(r.out, '2 files checked: 0 errors, 0 warnings, 0 info\n');
    const stdin = cli(['lint', '-'], '');
    assert.deepEqual([stdin.code, stdin.out, stdin.err], [0, '1 file checked: 0 errors, 0 warnings, 0 info\n', '']);
  });

  it('checks a README, a JSON file and a shell script named on the command line without a finding', () => {
    writeFileSync(join(dir, 'README.md'), '# Title\n\nRun `kubectl apply -f pod.yaml`: it makes a Pod.\n');
    writeFileSync(join(dir, 'data.json'), '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}}');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nset -eu\nkubectl apply -f - <<EOF\nkind: Pod\nEOF\n');
    const r = cli(['lint', join(dir, 'README.md'), join(dir, 'data.json'), join(dir, 'run.sh')]);
    assert.deepEqual([r.code, r.out, r.err], [0, '3 files checked: 0 errors, 0 warnings, 0 info\n', '']);
  });
});

describe('sidecar-pods lint on attacks and extremes', function () {
  this.timeout(60_000);

  function lintStdin(text: string): {
    code: number;
    findings: { rule: string; line: number; message: string }[];
    err: string;
  } {
    const r = cli(['lint', '--format', 'json', '-'], text);
    return {
      code: r.code,
      findings: JSON.parse(r.out) as { rule: string; line: number; message: string }[],
      err: r.err,
    };
  }

  it('refuses an alias bomb quickly, saying why', () => {
    const started = Date.now();
    const r = lintStdin(aliasBomb());
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.code, 1);
    const refusal = r.findings.filter((f) => f.rule === 'schema');
    assert.deepEqual(
      refusal.map((f) => f.line),
      [1],
    );
    assert.match(refusal[0]!.message, /cannot be expanded into a value \(.*alias.*\); it is not validated/i);
  });

  it('reports 10,000 levels of nesting, flow and block, instead of overflowing the stack', () => {
    // 6,000 levels of block indentation are 18 MB, under the size checked; 10,000 would be 50 MB
    for (const text of [deepFlow(10_000), deepCompactBlock(10_000), deepBlock(6_000)]) {
      const r = lintStdin(text);
      assert.equal(r.code, 1);
      assert.ok(r.findings.length > 0);
      assert.ok(
        r.findings.every((f) => f.rule === 'yaml-syntax' && /nests too deeply/.test(f.message)),
        JSON.stringify(r.findings.slice(0, 3)),
      );
    }
  });

  it('checks a 5 MB file and a file of 20,000 documents', () => {
    const big = lintStdin(podWithBlobs(500, 10_000));
    assert.equal(big.findings.filter((f) => f.rule === 'port-conflict').length, 500);
    const many = manyDocuments(20_000);
    const r = lintStdin(many.text);
    assert.ok(r.findings.some((f) => f.rule === 'duplicate-container-name' && f.line === many.findingLine + 1));
    const [first, end] = many.podLines;
    assert.deepEqual(
      r.findings.filter((f) => f.line - 1 < first || f.line - 1 >= end),
      [],
      'nothing reported on the tiny documents',
    );
  });
});

describe('CLI positions', () => {
  it('gives the positions TextDocument gives, for any text and offset (property)', () => {
    // line ends of LF only (the text the CLI's own line index serves), and of any kind
    const lf = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '\n', '#'), maxLength: 60 });
    const any = fc.string({ unit: fc.constantFrom('a', '😀', '\n', '\r', '\r\n'), maxLength: 60 });
    const text = fc.oneof(lf, any);
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: -3, max: 70 }), { maxLength: 10 }), (t, offsets) => {
        const doc = TextDocument.create('file:///x', 'yaml', 0, t);
        const positionAt = positionsOf(t);
        for (const offset of offsets)
          assert.deepEqual(positionAt(offset), doc.positionAt(offset), `${offset} in ${JSON.stringify(t)}`);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('sidecar-pods lint on rendered Helm output', () => {
  const rendered = [
    '---',
    '# Source: web/templates/service.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  ports:',
    '    - port: 80',
    '---',
    '# Source: web/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27.0',
    '          volumeMounts:',
    '            - name: cache',
    '              mountPath: /cache',
    '',
  ].join('\n');

  function lintIn(cwd: string, format: string): string {
    let out = '';
    run(['lint', '--format', format, '-'], {
      stdout: (s) => (out += s),
      stderr: () => undefined,
      readStdin: () => rendered,
      cwd,
    });
    return out;
  }

  it('names the template of each finding in text and JSON', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sp-helm-'));
    try {
      assert.match(
        lintIn(cwd, 'text'),
        /^<stdin>:27:21: error Deployment web \(web\/templates\/deployment\.yaml\): container "web" mounts volume "cache"/m,
      );
      const json = JSON.parse(lintIn(cwd, 'json')) as { rule: string; template?: string; templateFile?: string }[];
      assert.ok(json.length > 0);
      for (const f of json) {
        assert.equal(f.template, 'web/templates/deployment.yaml', f.rule);
        assert.equal(f.templateFile, undefined, 'no such file in the workspace');
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('points SARIF at the template where the workspace holds it, with the rendered line beside it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sp-helm-'));
    try {
      mkdirSync(join(cwd, 'charts', 'web', 'templates'), { recursive: true });
      writeFileSync(join(cwd, 'charts', 'web', 'templates', 'deployment.yaml'), 'kind: Deployment\n{{ .Values.x }}\n');
      const sarif = JSON.parse(lintIn(cwd, 'sarif')) as {
        runs: { results: { ruleId: string; locations: Loc[]; relatedLocations?: Loc[] }[] }[];
      };
      type Loc = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
      const missing = sarif.runs[0]!.results.find((r) => r.ruleId === 'missing-volume')!;
      assert.equal(missing.locations[0]!.physicalLocation.artifactLocation.uri, 'charts/web/templates/deployment.yaml');
      assert.equal(missing.relatedLocations![0]!.physicalLocation.artifactLocation.uri, 'stdin');
      assert.equal(missing.relatedLocations![0]!.physicalLocation.region.startLine, 27);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

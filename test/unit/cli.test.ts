import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/src/main';
import { FIXTURES } from '../support/lint';

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
      },
    );
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

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/src/main';
import { RULES } from '../../server/src/rules';
import { applyConfig, ignoreMatcher, parseConfig } from '../../server/src/engine/config-file';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../shared/src/settings';
import { read, REPO } from '../support/lint';

const KNOWN = new Set(RULES.map((r) => r.meta.id));

describe('.sidecar-pods.yaml', () => {
  it('reads the version as written, rule levels and ignore globs', () => {
    const { config, problems } = parseConfig(
      'kubernetesVersion: 1.30\nrules:\n  missing-volume: warning\nignore:\n  - charts/**\n',
      KNOWN,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      kubernetesVersion: '1.30',
      rules: { 'missing-volume': 'warning' },
      ignore: ['charts/**'],
    });
  });

  it('reports what is wrong where it is, and keeps the rest', () => {
    const text =
      'kubernetesVersion: two\nrules:\n  missing-volume: loud\n  port-conflict: off\n  no-such-rule: error\nignore: x\ncolour: red\n';
    const { config, problems } = parseConfig(text, KNOWN);
    assert.deepEqual(config, { rules: { 'port-conflict': 'off' }, ignore: [] });
    assert.deepEqual(
      problems.map((p) => [text.slice(p.range.start, p.range.end), p.severity]),
      [
        ['two', 'error'],
        ['loud', 'error'],
        ['no-such-rule', 'warning'],
        ['x', 'error'],
        ['colour', 'warning'],
      ],
    );
    assert.match(parseConfig('rules: [\n', KNOWN).problems[0]!.message, /./);
    assert.deepEqual(parseConfig('', KNOWN).problems, []);
    assert.equal(parseConfig('- a\n', KNOWN).problems.length, 1);
  });

  it('overrides editor settings where it says something', () => {
    const editor = {
      kubernetesVersion: '1.29',
      rules: { 'port-conflict': 'warning' as const, schema: 'info' as const },
    };
    const merged = applyConfig(editor, { rules: { schema: 'off' }, ignore: [] });
    assert.deepEqual(merged, { kubernetesVersion: '1.29', rules: { 'port-conflict': 'warning', schema: 'off' } });
    assert.equal(
      applyConfig(DEFAULT_SETTINGS, { kubernetesVersion: '1.31', rules: {}, ignore: [] }).kubernetesVersion,
      '1.31',
    );
  });

  it('matches ignore globs against paths relative to its folder, file names at any depth', () => {
    const ignored = ignoreMatcher({ rules: {}, ignore: ['charts/**', '*.tpl.yaml'] });
    assert.equal(ignored('charts/web/deploy.yaml'), true);
    assert.equal(ignored('apps/a/pod.tpl.yaml'), true);
    assert.equal(ignored('apps/a/pod.yaml'), false);
    assert.equal(ignored('../charts/x.yaml'), false);
  });

  it('has a JSON Schema that lists every rule, contributed for the file name', () => {
    const schema = JSON.parse(read(join(REPO, 'schemas', 'sidecar-pods-config.schema.json'))) as {
      properties: { rules: { propertyNames: { enum: string[] } } };
    };
    assert.deepEqual([...schema.properties.rules.propertyNames.enum].sort(), [...KNOWN].sort(), 'run `npm run readme`');
    const pkg = JSON.parse(read(join(REPO, 'package.json'))) as {
      contributes: { yamlValidation?: { fileMatch: string[]; url: string }[] };
    };
    assert.ok(
      pkg.contributes.yamlValidation?.some(
        (v) => v.fileMatch.includes('.sidecar-pods.yaml') && v.url === './schemas/sidecar-pods-config.schema.json',
      ),
    );
  });
});

describe('sidecar-pods lint with a config file', () => {
  const POD =
    'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: x\n      image: y:1\n      resources: {requests: {memory: 64Mi}}\n      volumeMounts:\n        - name: v\n          mountPath: /v\n';

  function workspace(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sp-config-'));
    mkdirSync(join(dir, 'apps', 'web'), { recursive: true });
    mkdirSync(join(dir, 'charts'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'web', 'pod.yaml'), POD);
    writeFileSync(join(dir, 'charts', 'pod.yaml'), POD);
    return dir;
  }

  function cli(args: string[], cwd: string): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => POD, cwd });
    return { code, out, err };
  }

  const found = (out: string): string[] =>
    (JSON.parse(out) as { file: string; rule: string; severity: string }[]).map((f) => `${f.rule}:${f.severity}`);

  it('uses the nearest .sidecar-pods.yaml of each file, ignore globs relative to its folder', () => {
    const dir = workspace();
    writeFileSync(join(dir, '.sidecar-pods.yaml'), 'rules:\n  missing-volume: warning\nignore: [charts/**]\n');
    writeFileSync(join(dir, 'apps', 'web', '.sidecar-pods.yaml'), 'rules:\n  missing-volume: info\n');
    const r = cli(['lint', '--format', 'json', dir], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(found(r.out), ['missing-volume:info']);
    const stdin = cli(['lint', '--format', 'json', '-'], dir);
    assert.deepEqual(found(stdin.out), ['missing-volume:warning']);
  });

  it('--config names the file for every path; --kubernetes-version still has the last word', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'strict.yaml.txt'), 'kubernetesVersion: "1.20"\nrules:\n  missing-volume: off\n');
    const cron =
      'apiVersion: batch/v1\nkind: CronJob\nspec:\n  schedule: x\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: b:1\n              resources: {requests: {memory: 64Mi}}\n';
    writeFileSync(join(dir, 'apps', 'cron.yaml'), cron);
    const r = cli(
      ['lint', '--format', 'json', '--config', 'strict.yaml.txt', join(dir, 'apps'), join(dir, 'charts')],
      dir,
    );
    assert.deepEqual(found(r.out), ['api-version:error']);
    const newer = cli(
      ['lint', '--format', 'json', '--config', 'strict.yaml.txt', '--kubernetes-version', '1.30', 'apps'],
      dir,
    );
    assert.deepEqual(found(newer.out), []);
  });

  it('a bad config file is an error with its line, exit 2', () => {
    const dir = workspace();
    writeFileSync(join(dir, '.sidecar-pods.yaml'), 'rules:\n  missing-volume: loud\n');
    const r = cli(['lint', join(dir, 'apps')], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.sidecar-pods\.yaml:2: rules\.missing-volume: expected off, info, warning or error/);
    const missing = cli(['lint', '--config', 'nope.yaml', join(dir, 'apps')], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--config .*nope\.yaml: no such file or directory/);
  });
});

describe('kustomize renderer settings', () => {
  const known = new Set(RULES.map((r) => r.meta.id));

  it('a config file names off, kubectl or kustomize and a time limit, and no program', () => {
    const good = parseConfig('kustomizeRenderer: kustomize\nkustomizeTimeoutSeconds: 5\n', known);
    assert.deepEqual(good.problems, []);
    const settings = applyConfig(DEFAULT_SETTINGS, good.config);
    assert.equal(settings.kustomizeRenderer, 'kustomize');
    assert.equal(settings.kustomizeTimeoutSeconds, 5);
    const bad = parseConfig('kustomizeRenderer: /tmp/run-me.sh\nkustomizeTimeoutSeconds: 0\n', known);
    assert.deepEqual(
      bad.problems.map((p) => p.message.split(':')[0]),
      ['kustomizeRenderer', 'kustomizeTimeoutSeconds'],
    );
    assert.equal(applyConfig(DEFAULT_SETTINGS, bad.config).kustomizeRenderer, undefined);
  });

  it("the editor's settings take a command and a limit, and say what is wrong", () => {
    assert.deepEqual(normalizeSettings({ kustomizeRenderer: ' /opt/bin/kustomize ', kustomizeTimeoutSeconds: 12 }), {
      settings: { ...DEFAULT_SETTINGS, kustomizeRenderer: '/opt/bin/kustomize', kustomizeTimeoutSeconds: 12 },
      problems: [],
    });
    const { problems } = normalizeSettings({ kustomizeRenderer: 3, kustomizeTimeoutSeconds: 'soon' });
    assert.equal(problems.length, 2);
  });
});

// customResources in .sidecar-pods.yaml: a project's own kinds, read the same by the CLI and the
// editor, checked as a Deployment's pods are.
import * as assert from 'node:assert/strict';
import { platform } from '../../server/src/platform/node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { run } from '../../cli/src/main';
import { Engine } from '../../server/src/engine';
import { parseConfig } from '../../server/src/engine/config-file';
import { setConfiguredKinds } from '../../server/src/model/kinds';
import { ConfigStore } from '../../server/src/lsp/config-store';
import { SettingsStore } from '../../server/src/lsp/settings-store';
import { RULES } from '../../server/src/rules';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';

const KNOWN = new Set(RULES.map((r) => r.meta.id));

const WORKER = [
  'apiVersion: example.com/v1',
  'kind: Worker',
  'metadata:',
  '  name: crawler',
  'spec:',
  '  template:',
  '    metadata:',
  '      labels: {app: crawler}',
  '    spec:',
  '      containers:',
  '        - name: crawler',
  '          image: example/crawler:2.1',
  '          resources: {limits: {memory: 64Mi}}',
  '          ports: [{containerPort: 8080}]',
  '          volumeMounts: [{name: cache, mountPath: /cache}]',
  '        - name: proxy',
  '          image: example/proxy:1.0',
  '          resources: {limits: {memory: 64Mi}}',
  '          ports: [{containerPort: 8080}]',
  '  shards:',
  '    - template:',
  '        spec:',
  '          containers:',
  '            - {name: shard, image: "example/shard:1", resources: {limits: {memory: 1Mi}}, imagePullPolicy: Sometimes}',
  '',
].join('\n');

const CONFIG =
  'customResources:\n  - apiVersion: example.com/v1\n    kind: Worker\n    podSpecs: [spec.template.spec, "spec.shards[].template.spec"]\n';

/** A folder with the config file; the kinds it registers are dropped after each test. */
const made: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-crs-'));
  writeFileSync(join(dir, '.sidecar-pods.yaml'), CONFIG);
  made.push(join(dir, '.sidecar-pods.yaml'));
  return dir;
}

describe('customResources in .sidecar-pods.yaml', () => {
  afterEach(() => {
    for (const config of made.splice(0)) setConfiguredKinds(config, []);
  });

  it('reads an entry into a kind of the table: its apiVersion, kind and pod paths', () => {
    const { config, problems } = parseConfig(CONFIG, KNOWN);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      config.customResources?.map((k) => [k.apiVersion, k.kinds, k.sites]),
      [
        [
          'example.com/v1',
          ['Worker'],
          [
            { path: ['spec', 'template'], shape: 'template' },
            { path: ['spec', 'shards', '[]', 'template'], shape: 'template' },
          ],
        ],
      ],
    );
  });

  it('says what is wrong with an entry, drops it, and keeps the others', () => {
    const text = [
      'customResources:',
      '  - {apiVersion: apps/v1, kind: Worker, podSpecs: [spec.template.spec]}',
      '  - {apiVersion: example.com/v1, kind: worker, podSpecs: []}',
      '  - {apiVersion: example.com/v1, kind: Job2, podSpecs: ["spec..template"], replicas: 2}',
      '  - just-a-string',
      '  - {apiVersion: example.com/v1, kind: Batch, podSpecs: [spec.jobTemplate.spec.template.spec]}',
      '',
    ].join('\n');
    const { config, problems } = parseConfig(text, KNOWN);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.message]),
      [
        ['error', 'customResources[0].apiVersion: expected GROUP/VERSION of a custom API group, e.g. example.com/v1'],
        ['error', 'customResources[1].kind: expected a kind name such as Worker'],
        ['error', 'customResources[1].podSpecs: expected a list of paths to PodSpecs, e.g. [spec.template.spec]'],
        ['warning', 'customResources[2]: unknown key "replicas"; expected apiVersion, kind, podSpecs'],
        [
          'error',
          'customResources[2].podSpecs: "spec..template" is not a path such as spec.template.spec (keys joined by dots, [] after a list)',
        ],
        ['error', 'customResources[3]: expected a map with apiVersion, kind and podSpecs'],
      ],
    );
    assert.deepEqual(
      config.customResources?.map((k) => k.kinds[0]),
      ['Batch'],
    );
    assert.deepEqual(
      parseConfig('customResources: {kind: Worker}\n', KNOWN).problems[0]?.message.split(':')[0],
      'customResources',
    );
  });

  it('the CLI checks the configured kind: every pod rule, the schema, each path', () => {
    const dir = project();
    writeFileSync(join(dir, 'worker.yaml'), WORKER);
    let out = '';
    let err = '';
    const code = run(['lint', '--format', 'json', join(dir, 'worker.yaml')], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      readStdin: () => '',
      cwd: dir,
    });
    assert.equal(code, 1, err);
    const findings = (JSON.parse(out) as { rule: string; line: number }[]).map((f) => `${f.line}:${f.rule}`);
    assert.deepEqual(findings, ['15:missing-volume', '19:port-conflict', '24:schema']);
  });

  it('the editor reads the same entry: the same findings on the same file', async () => {
    const dir = project();
    const path = join(dir, 'worker.yaml');
    const connection = { console: { warn: () => undefined, error: () => undefined } } as unknown as Connection;
    const engine = new Engine({ config: { live: true } });
    const configs = new ConfigStore(engine, new SettingsStore(connection, () => false), platform);
    const governed = await configs.get(pathToFileURL(path).href);
    assert.equal(governed.ignored, false);
    const settings = governed.ignored ? undefined : governed.settings;
    const findings = engine.check(WORKER, settings!, pathToFileURL(path).href).map((f) => f.rule);
    assert.deepEqual(findings, ['missing-volume', 'port-conflict', 'schema']);
  });

  it('without the entry the kind stays silent', () => {
    assert.deepEqual(new Engine().check(WORKER, DEFAULT_SETTINGS), []);
  });
});

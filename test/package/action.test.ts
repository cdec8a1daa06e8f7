// The GitHub Action (action.yml): its composite steps, run locally by test/support/action-runner.ts
// on a seeded workspace, lint the given paths and write SARIF for code scanning.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompositeAction, parseOutputFile, type ActionResult } from '../support/action-runner';
import { REPO } from '../support/lint';
import { snapshotRepository } from '../support/snapshot';

interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string } };
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
  }[];
}

const EXAMPLES = join(REPO, 'examples');

describe('GitHub Action (action.yml, run locally)', function () {
  let workspace: string;

  before(function () {
    // the action's first step would run npm ci in its own folder, which is this checkout: the
    // tests use the bundles `npm run build` made instead of reinstalling node_modules under it
    assert.ok(existsSync(join(REPO, 'dist', 'start-cli.js')), 'build first: npm run build');
  });

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'sidecar-pods-action-'));
    mkdirSync(join(workspace, 'k8s'));
    mkdirSync(join(workspace, 'deploy with spaces'));
    copyFileSync(join(EXAMPLES, 'pod-with-mistakes.yaml'), join(workspace, 'k8s', 'bad.yaml'));
    copyFileSync(join(EXAMPLES, 'deployment-native-sidecar.yaml'), join(workspace, 'k8s', 'good.yaml'));
    copyFileSync(join(EXAMPLES, 'docker-compose.yml'), join(workspace, 'k8s', 'compose.yml'));
    copyFileSync(join(EXAMPLES, 'cronjob-old-api.yaml'), join(workspace, 'deploy with spaces', 'cron.yaml'));
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  function run(inputs: Record<string, string>): ActionResult {
    return runCompositeAction(REPO, inputs, workspace);
  }

  function sarifOf(result: ActionResult): Sarif {
    const file = result.outputs['sarif-file'];
    assert.ok(file, `no sarif-file output; steps: ${JSON.stringify(result.steps, null, 1)}`);
    return JSON.parse(readFileSync(file, 'utf8')) as Sarif;
  }

  function resultFiles(sarif: Sarif): Set<string> {
    return new Set(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
  }

  it('lints a folder, writes SARIF next to the workspace and fails on errors', () => {
    const result = run({ paths: 'k8s' });
    assert.equal(result.status, 1, 'errors fail the step by default');
    assert.equal(result.outputs['sarif-file'], join(workspace, 'sidecar-pods.sarif'));
    assert.equal(result.outputs['exit-code'], '1');
    const sarif = sarifOf(result);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.tool.driver.name, 'sidecar-pods');
    // only the broken pod has findings; the healthy Deployment and docker-compose file have none,
    // and URIs are relative to the workspace, as code scanning wants them
    assert.deepEqual([...resultFiles(sarif)], ['k8s/bad.yaml']);
    const rules = new Set(sarif.runs[0]!.results.map((r) => r.ruleId));
    for (const id of ['port-conflict', 'missing-volume', 'duplicate-container-name']) assert.ok(rules.has(id), id);
    // the findings are in the log too, as text
    const lint = result.steps.find((s) => s.name === 'Lint')!;
    assert.match(lint.stdout, /k8s\/bad\.yaml:\d+:\d+: error .*\[port-conflict\]/);
    assert.match(lint.stdout, /::error::sidecar-pods found errors/);
  });

  it("fail-on-error: 'false' passes and leaves the exit code in an output", () => {
    const result = run({ paths: 'k8s', 'fail-on-error': 'false' });
    assert.equal(result.status, 0);
    assert.equal(result.outputs['exit-code'], '1');
    assert.ok(sarifOf(result).runs[0]!.results.length > 0);
  });

  it('takes one path per line (spaces kept) and a SARIF file in a folder of its own', () => {
    const result = run({ paths: 'k8s/good.yaml\n  deploy with spaces  \n', 'sarif-file': 'reports/lint/out.sarif' });
    assert.equal(result.status, 1);
    assert.equal(result.outputs['sarif-file'], join(workspace, 'reports', 'lint', 'out.sarif'));
    const sarif = sarifOf(result);
    assert.deepEqual([...resultFiles(sarif)], ['deploy%20with%20spaces/cron.yaml']);
    assert.deepEqual(
      sarif.runs[0]!.results.map((r) => r.ruleId),
      ['api-version'],
    );
  });

  it('passes on healthy manifests with an empty SARIF run, and passes kubernetes-version on', () => {
    const healthy = run({ paths: 'k8s/good.yaml k8s/compose.yml' });
    assert.equal(healthy.status, 0);
    assert.equal(healthy.outputs['exit-code'], '0');
    assert.deepEqual(sarifOf(healthy).runs[0]!.results, []);
    // batch/v1beta1 CronJob was served until 1.25: targeting 1.24 it is no error
    const old = run({ paths: 'deploy with spaces\n', 'kubernetes-version': '1.24' });
    assert.equal(old.status, 0, JSON.stringify(old.steps.map((s) => s.stdout + s.stderr)));
  });

  it('fails with the usage status on a path that does not exist, whatever fail-on-error says', () => {
    const result = run({ paths: 'k8s missing', 'fail-on-error': 'false' });
    assert.equal(result.status, 2);
    assert.equal(result.outputs['exit-code'], '2');
    // the paths that exist are still checked
    assert.deepEqual([...resultFiles(sarifOf(result))], ['k8s/bad.yaml']);
  });

  it('refuses an empty paths input', () => {
    const result = run({ paths: '  ' });
    assert.equal(result.status, 2);
    assert.match(result.steps.at(-1)!.stdout, /names no file or folder/);
  });
});

describe('GitHub Action in a fresh checkout of itself (no dist/)', function () {
  // what the runner downloads for `uses:` is the repository at a ref: no dist/, no node_modules;
  // the first step installs the dev dependencies from the npm registry and builds
  this.timeout(900_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sidecar-pods-action-fresh-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds itself with npm ci, then lints', () => {
    const action = join(tmp, 'action');
    snapshotRepository(action);
    assert.ok(!existsSync(join(action, 'dist')));
    const workspace = join(tmp, 'workspace');
    mkdirSync(workspace);
    copyFileSync(join(EXAMPLES, 'pod-with-mistakes.yaml'), join(workspace, 'pod.yaml'));
    const result = runCompositeAction(action, { paths: 'pod.yaml' }, workspace);
    const build = result.steps[0]!;
    assert.equal(build.status, 0, build.stdout + build.stderr);
    assert.ok(existsSync(join(action, 'dist', 'start-cli.js')));
    assert.equal(result.status, 1);
    const sarif = JSON.parse(readFileSync(result.outputs['sarif-file']!, 'utf8')) as Sarif;
    assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'port-conflict'));
  });
});

describe('action runner: GITHUB_OUTPUT', () => {
  it('reads name=value lines and heredoc blocks', () => {
    assert.deepEqual(parseOutputFile('a=1\nb=x=y\nmulti<<EOF\nline 1\nline 2\nEOF\n'), {
      a: '1',
      b: 'x=y',
      multi: 'line 1\nline 2',
    });
    assert.throws(() => parseOutputFile('m<<EOF\nno end\n'), /no closing EOF/);
  });
});

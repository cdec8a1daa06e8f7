// The pre-commit hook (.pre-commit-hooks.yaml), through `pre-commit try-repo` as a user tries it:
// pre-commit clones the repository (what git tracks, no dist/ and no node_modules), installs it
// into a Node environment of its own from the npm registry, and runs the hook on the staged files.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../support/lint';
import { run, snapshotRepository } from '../support/snapshot';

describe('pre-commit hook (pre-commit try-repo)', function () {
  // pre-commit's first run installs the repository's dev dependencies and builds it
  this.timeout(900_000);
  let tmp: string;

  before(function () {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    if (version.error) {
      console.log(
        '      skipped: pre-commit is not installed (Debian: apt-get install pre-commit; or pip install pre-commit)',
      );
      this.skip();
    }
    tmp = mkdtempSync(join(tmpdir(), 'sidecar-pods-pre-commit-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lints the staged YAML files of a repository and fails on errors', () => {
    const clone = join(tmp, 'sidecar-pods');
    snapshotRepository(clone);
    const work = join(tmp, 'work');
    mkdirSync(work);
    assert.equal(run('git', ['init', '-q'], { cwd: work }).status, 0);
    const examples = join(REPO, 'examples');
    copyFileSync(join(examples, 'pod-with-mistakes.yaml'), join(work, 'bad.yaml'));
    copyFileSync(join(examples, 'deployment-native-sidecar.yaml'), join(work, 'good.yaml'));
    copyFileSync(join(examples, 'docker-compose.yml'), join(work, 'compose.yml'));
    writeFileSync(join(work, 'notes.txt'), 'not YAML\n');
    const staged = ['bad.yaml', 'good.yaml', 'compose.yml', 'notes.txt'];
    assert.equal(run('git', ['add', ...staged], { cwd: work }).status, 0);
    // written after staging: a file the commit would not hold is not the hook's business
    copyFileSync(join(examples, 'cronjob-old-api.yaml'), join(work, 'unstaged.yaml'));

    const r = run('pre-commit', ['try-repo', clone, 'sidecar-pods'], {
      cwd: work,
      env: { ...process.env, PRE_COMMIT_HOME: join(tmp, 'cache'), PRE_COMMIT_COLOR: 'never' },
    });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^sidecar-pods\.+Failed$/m);
    assert.match(r.out, /^- exit code: 1$/m);
    assert.match(r.out, /^bad\.yaml:\d+:\d+: error Pod web-with-mistakes: .*\[port-conflict\]$/m);
    // the three staged YAML files were checked (not notes.txt, not the unstaged one), with what
    // the CLI of this checkout finds in them: findings in the broken pod only
    const cli = run(
      process.execPath,
      [join(REPO, 'bin', 'sidecar-pods.js'), 'lint', 'bad.yaml', 'good.yaml', 'compose.yml'],
      {
        cwd: work,
      },
    );
    assert.equal(cli.status, 1, cli.out);
    const findings = (text: string): string[] =>
      text
        .split('\n')
        .filter((l) => /^\S+\.ya?ml:\d+:\d+: /.test(l))
        .sort();
    assert.deepEqual(findings(r.out), findings(cli.out));
    assert.ok(findings(r.out).every((l) => l.startsWith('bad.yaml:')));
    const summary = /^3 files checked: .*$/m.exec(cli.out);
    assert.ok(summary, cli.out);
    assert.ok(r.out.split('\n').includes(summary[0]), `${summary[0]} not in:\n${r.out}`);
  });
});

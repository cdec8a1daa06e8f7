// The pre-commit hook (.pre-commit-hooks.yaml), through `pre-commit try-repo` as a user tries it:
// pre-commit clones the repository (what git tracks, no dist/ and no node_modules), installs it
// into a Node environment of its own from the npm registry, and runs the hook on the staged files.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from '../support/lint';

function run(cmd: string, args: string[], options: SpawnSyncOptions): { status: number; out: string } {
  const p = spawnSync(cmd, args, { encoding: 'utf8', timeout: 900_000, ...options });
  if (p.error) throw p.error;
  return { status: p.status ?? 1, out: String(p.stdout) + String(p.stderr) };
}

/** Git's identity for the commits the test makes, whatever the machine's configuration. */
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

/**
 * A clean clone of the working tree as it is now, changes not yet committed included: the files git
 * tracks or would track (no ignored ones: dist/, out/, node_modules), committed in a new repository.
 */
function snapshotRepository(to: string): void {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO });
  assert.equal(listed.status, 0, listed.out);
  mkdirSync(to);
  for (const file of new Set(listed.out.split('\0').filter((f) => f !== ''))) {
    const from = join(REPO, file);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      continue; // deleted, not yet staged
    }
    // a worktree's node_modules is a symlink, which a folder-only ignore pattern does not match
    if (!stat.isFile()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-qm', 'snapshot'],
  ]) {
    const g = run('git', args, { cwd: to, env: GIT_ENV });
    assert.equal(g.status, 0, g.out);
  }
}

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

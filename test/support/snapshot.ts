// A clean clone of this checkout for the packaging tests (test/package): what a user who clones the
// repository gets, without dist/, out/ or node_modules.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO } from './lint';

export function run(cmd: string, args: string[], options: SpawnSyncOptions): { status: number; out: string } {
  const p = spawnSync(cmd, args, { encoding: 'utf8', timeout: 900_000, ...options });
  if (p.error) throw p.error;
  return { status: p.status ?? 1, out: String(p.stdout) + String(p.stderr) };
}

/** Git's identity for the commits the tests make, whatever the machine's configuration. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

/**
 * The working tree as it is now, changes not yet committed included, as a new repository at `to`:
 * the files git tracks or would track (no ignored ones: dist/, out/, node_modules), committed.
 */
export function snapshotRepository(to: string): void {
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

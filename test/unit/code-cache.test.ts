import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, loadBundle } from '../../server/src/engine/code-cache';
import { CACHE_DIR_ENV } from '../../shared/src/server-flags';
import { REPO } from '../support/lint';

describe('code cache of the bundles (server/src/engine/code-cache.ts)', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sp-cache-'));
    bundle = join(dir, 'bundle.js');
    // a CommonJS bundle as esbuild writes one: module.exports, require of a file beside it, __dirname
    writeFileSync(join(dir, 'beside.js'), 'module.exports = 41;\n');
    writeFileSync(
      bundle,
      "'use strict';\nconst beside = require('./beside.js');\n" +
        'module.exports = { answer: () => beside + 1, dir: __dirname, file: __filename, self: this === exports };\n',
    );
    cache = join(dir, 'cache');
  });

  const env = (): NodeJS.ProcessEnv => ({ [CACHE_DIR_ENV]: cache });
  /**
   * Loads the bundle in a new process, as the server and the CLI do (in one process V8 keeps what
   * it compiled, and would not even look at a cache the second time): how the cache was used and
   * what the bundle's answer() gives; the cache is saved if it was not used.
   */
  const loadInChild = (
    environment: NodeJS.ProcessEnv = env(),
    options: { siblings?: string[] } = {},
  ): { cache: string; answer: number } => {
    const script =
      `const { loadBundle } = require(${JSON.stringify(join(REPO, 'out', 'server', 'src', 'engine', 'code-cache.js'))});` +
      `const l = loadBundle(process.argv[1], ${JSON.stringify(options)}); console.log(JSON.stringify({ cache: l.cache, answer: l.exports.answer() }));`;
    const r = spawnSync(process.execPath, ['-e', script, bundle], {
      env: { ...process.env, ...environment },
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    return JSON.parse(r.stdout) as { cache: string; answer: number };
  };
  const exportsOf = (loaded: { exports: unknown }): { answer(): number; dir: string; file: string; self: boolean } =>
    loaded.exports as never;

  it('runs the bundle as require() would', () => {
    const loaded = loadBundle(bundle, { env: { [CACHE_DIR_ENV]: 'off' } });
    assert.equal(loaded.cache, 'off');
    assert.equal(exportsOf(loaded).answer(), 42);
    assert.equal(exportsOf(loaded).dir, dir);
    assert.equal(exportsOf(loaded).file, bundle);
    assert.equal(exportsOf(loaded).self, true);
  });

  it('writes a cache when the process ends, and uses it the next time', () => {
    assert.deepEqual(loadInChild(), { cache: 'missing', answer: 42 });
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.cache')).length, 1);
    assert.deepEqual(loadInChild(), { cache: 'used', answer: 42 });
  });

  it('loads the sibling bundles it is told of with a cache of their own, once', () => {
    writeFileSync(
      join(dir, 'beside.js'),
      'globalThis.besideLoads = (globalThis.besideLoads ?? 0) + 1;\nmodule.exports = 41;\n',
    );
    writeFileSync(
      bundle,
      "'use strict';\nmodule.exports = { answer: () => require('./beside.js') + require('./beside.js') - 40 + globalThis.besideLoads - 1 };\n",
    );
    const siblings = { siblings: ['./beside.js'] };
    assert.deepEqual(loadInChild(env(), siblings), { cache: 'missing', answer: 42 });
    const caches = readdirSync(cache).sort();
    assert.equal(caches.length, 2, caches.join(', '));
    assert.match(caches[0]!, /^beside-[0-9a-f]+\.cache$/);
    assert.match(caches[1]!, /^bundle-[0-9a-f]+\.cache$/);
    assert.deepEqual(loadInChild(env(), siblings), { cache: 'used', answer: 42 });
    // a require of it without the option is Node's, as before
    rmSync(cache, { recursive: true });
    assert.deepEqual(loadInChild(), { cache: 'missing', answer: 42 });
    assert.deepEqual(
      readdirSync(cache).map((f) => f.split('-')[0]),
      ['bundle'],
    );
  });

  it('compiles normally when V8 refuses the cache, and writes a good one', () => {
    loadInChild(); // writes the cache at exit
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name!), 'not a code cache', { mode: 0o600 });
    assert.deepEqual(loadInChild(), { cache: 'rejected', answer: 42 });
    assert.deepEqual(loadInChild(), { cache: 'used', answer: 42 });
  });

  it('keeps a cache per bundle content: an edited bundle does not get the old cache', () => {
    loadInChild();
    writeFileSync(bundle, 'module.exports = { answer: () => 7 };\n');
    assert.deepEqual(loadInChild(), { cache: 'missing', answer: 7 });
  });

  it('reads no cache from a folder or file others may write, and none when turned off', function () {
    if (process.platform === 'win32') this.skip();
    loadInChild();
    const [name] = readdirSync(cache);
    chmodSync(join(cache, name!), 0o666);
    assert.equal(loadInChild().cache, 'missing', 'a file others may write');
    chmodSync(cache, 0o777);
    assert.equal(loadInChild().cache, 'off', 'a folder others may write');
    assert.equal(loadInChild({ [CACHE_DIR_ENV]: 'off' }).cache, 'off');
  });

  it("deletes a month-old cache of the same bundle when it writes one, and no other bundle's", () => {
    mkdirSync(cache, { mode: 0o700 });
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    for (const name of ['bundle-0123abcd.cache', 'other-0123abcd.cache', 'bundle-fresh01.cache']) {
      writeFileSync(join(cache, name), 'x', { mode: 0o600 });
      if (!name.includes('fresh')) utimesSync(join(cache, name), old, old);
    }
    loadInChild();
    const left = readdirSync(cache).sort();
    assert.ok(!left.includes('bundle-0123abcd.cache'), left.join(', '));
    assert.ok(left.includes('other-0123abcd.cache') && left.includes('bundle-fresh01.cache'), left.join(', '));
    assert.equal(left.length, 3); // and the new one
  });

  it('runs without a cache where no folder can be made', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const loaded = loadBundle(bundle, { env: { [CACHE_DIR_ENV]: join(file, 'cache') } });
    assert.equal(loaded.cache, 'off');
    assert.equal(exportsOf(loaded).answer(), 42);
  });

  it('the CLI writes its cache when it exits, and gives the same output with it', () => {
    const cli = join(REPO, 'bin', 'sidecar-pods.js');
    const run = (): void => {
      const r = spawnSync(process.execPath, [cli, 'lint', join(REPO, 'examples', 'pod-with-mistakes.yaml')], {
        env: { ...process.env, [CACHE_DIR_ENV]: cache },
        encoding: 'utf8',
      });
      assert.match(r.stdout, /1 file checked/);
      assert.equal(r.stderr, '');
    };
    run();
    const written = readdirSync(cache);
    assert.ok(
      written.some((f) => /^cli-[0-9a-f]+\.cache$/.test(f)),
      written.join(', '),
    );
    run(); // and with it, the same output
  });

  it('puts the cache in the per-user cache folder unless told otherwise', () => {
    mkdirSync(join(dir, 'xdg'));
    if (process.platform === 'linux') {
      assert.equal(cacheDir({ XDG_CACHE_HOME: join(dir, 'xdg') }), join(dir, 'xdg', 'sidecar-pods'));
    }
    assert.equal(cacheDir({ [CACHE_DIR_ENV]: '/somewhere' }), '/somewhere');
    assert.equal(cacheDir({ [CACHE_DIR_ENV]: 'off' }), undefined);
  });
});

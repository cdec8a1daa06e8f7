// The npm package as a user gets it: `npm pack` of the built checkout, installed globally into a
// temporary prefix with no registry and an empty cache, then both of its commands run from a folder
// outside the repository. And the .vsix, which stays an artifact of its own.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp-client';
import { REPO } from '../support/lint';

interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface Manifest {
  version: string;
  private?: boolean;
  bin: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** The lifecycle scripts npm runs when it installs a package (npm docs, "scripts": npm install). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

const PORT_CLASH = `apiVersion: v1
kind: Pod
metadata:
  name: clash
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports: [{containerPort: 8080}]
      resources: {requests: {memory: 64Mi}}
    - name: api
      image: ghcr.io/example/api:1.0.0
      ports: [{containerPort: 8080}]
      resources: {requests: {memory: 64Mi}}
`;

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const p = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  if (p.error) throw p.error;
  return p;
}

/** The names in a zip's central directory (a .vsix is a zip): signature 0x02014b50, name at 46. */
function zipEntries(zip: Buffer): string[] {
  const names: string[] = [];
  for (let i = zip.indexOf('PK\x01\x02'); i >= 0; i = zip.indexOf('PK\x01\x02', i + 46)) {
    const nameLength = zip.readUInt16LE(i + 28);
    names.push(zip.toString('utf8', i + 46, i + 46 + nameLength));
  }
  return names;
}

describe('npm package (npm pack, npm install -g from the tarball)', function () {
  this.timeout(300_000);
  let tmp: string;
  let packed: PackResult;
  let prefix: string;
  /** A folder outside the repository, so nothing resolves from its node_modules. */
  let elsewhere: string;
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest).version;

  before(function () {
    assert.ok(existsSync(join(REPO, 'dist', 'start-cli.js')), 'build first: npm run build');
    tmp = mkdtempSync(join(tmpdir(), 'sidecar-pods-npm-'));
    const pack = npm(['pack', '--json', '--pack-destination', tmp], REPO);
    assert.equal(pack.status, 0, pack.stderr);
    packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;
    prefix = join(tmp, 'prefix');
    elsewhere = join(tmp, 'work');
    mkdirSync(prefix);
    mkdirSync(elsewhere);
    // --offline with an empty cache: any dependency still to fetch fails the install
    const install = npm(
      ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(tmp, packed.filename)],
      elsewhere,
      { ...process.env, npm_config_cache: join(tmp, 'empty-cache') },
    );
    assert.equal(install.status, 0, install.stderr);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('holds the bundles, bin, schemas, snippets, README, LICENSE and attributions, and no sources or tests', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/sidecar-pods.js',
      'bin/sidecar-pods-language-server.js',
      'dist/cli.js',
      'dist/start-cli.js',
      'dist/server.js',
      'dist/start-server.js',
      'schemas/kubernetes-pod-kinds.schema.json',
      'schemas/sidecar-pods-config.schema.json',
      'schemas/upstream/ATTRIBUTION.md',
      'snippets/sidecars.json',
    ]) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    const unwanted = files.filter((f) =>
      /\.ts$|\.vsix$|^(test|out|node_modules|bench|examples|scripts|\.e2e)\/|^[a-z]+\/src\/|^schemas\/upstream\/.*\.json$/.test(
        f,
      ),
    );
    assert.deepEqual(unwanted, []);
  });

  it('is publishable and needs nothing at install time: not private, no dependencies, no install scripts', () => {
    const manifest = JSON.parse(
      readFileSync(join(prefix, 'lib', 'node_modules', 'sidecar-pods', 'package.json'), 'utf8'),
    ) as Manifest;
    assert.notEqual(manifest.private, true);
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    // npm flags such scripts of a package installed from a file or git, and refuses them with
    // --strict-allow-scripts (npm docs, allow-scripts); the tarball could not build anyway
    assert.deepEqual(
      INSTALL_SCRIPTS.filter((s) => manifest.scripts?.[s] !== undefined),
      [],
    );
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['sidecar-pods', 'sidecar-pods-language-server']);
  });

  it('gives a working sidecar-pods', () => {
    const cli = join(prefix, 'bin', 'sidecar-pods');
    const env = { ...process.env, SIDECAR_PODS_CACHE_DIR: join(tmp, 'code-cache') };
    const v = spawnSync(cli, ['--version'], { cwd: elsewhere, env, encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    copyFileSync(join(REPO, 'examples', 'pod-with-mistakes.yaml'), join(elsewhere, 'bad.yaml'));
    copyFileSync(join(REPO, 'examples', 'deployment-native-sidecar.yaml'), join(elsewhere, 'good.yaml'));
    const bad = spawnSync(cli, ['lint', 'bad.yaml'], { cwd: elsewhere, env, encoding: 'utf8' });
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^bad\.yaml:\d+:\d+: error Pod web-with-mistakes: .*\[port-conflict\]$/m);
    const good = spawnSync(cli, ['lint', '--format', 'json', 'good.yaml'], { cwd: elsewhere, env, encoding: 'utf8' });
    assert.equal(good.status, 0, good.stderr);
    assert.deepEqual(JSON.parse(good.stdout), []);
  });

  it('gives a working sidecar-pods-language-server (stdio without the flag, too)', async () => {
    const server = join(prefix, 'bin', 'sidecar-pods-language-server');
    for (const args of [['--stdio'], []]) {
      const client = new LspClient(args, undefined, server);
      try {
        await client.initialize();
        const uri = pathToFileURL(join(elsewhere, 'clash.yaml')).href;
        await client.open(uri, PORT_CLASH);
        const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
        assert.deepEqual(
          diagnostics.map((d) => d.code),
          ['port-conflict'],
        );
        assert.equal(client.stderr, '');
      } finally {
        await client.shutdown();
      }
    }
  });
});

describe('VS Code extension package (.vsix)', function () {
  this.timeout(300_000);

  it('stays its own artifact: the extension bundles, under 2 MB', () => {
    assert.ok(existsSync(join(REPO, 'dist', 'client.js')), 'build first: npm run build');
    const tmp = mkdtempSync(join(tmpdir(), 'sidecar-pods-vsix-'));
    try {
      const vsix = join(tmp, 'sidecar-pods.vsix');
      const p = spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '-o', vsix], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 300_000,
      });
      assert.equal(p.status, 0, p.stdout + p.stderr);
      assert.ok(statSync(vsix).size < 2 * 1024 * 1024, `${statSync(vsix).size} bytes`);
      const entries = zipEntries(readFileSync(vsix));
      for (const f of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js']) {
        assert.ok(entries.includes(f), `${f} missing from ${entries.join(', ')}`);
      }
      // the CLI and npm's launchers are the npm package's; sources and tests are in neither
      const unwanted = entries.filter((e) =>
        /\.ts$|^extension\/(bin|test|out|node_modules)\/|dist\/(start-)?cli\.js$/.test(e),
      );
      assert.deepEqual(unwanted, []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

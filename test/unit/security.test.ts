// The security posture the README states, checked: the server and the CLI only read the text they
// are given; nothing in them runs code, and the one program they run is a kustomize renderer
// (workspace/render.ts): kubectl or kustomize from PATH, or the command the user's own setting
// names, never one a manifest or a workspace file chooses.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/lint';

const SOURCE_ROOTS = ['server/src', 'cli/src', 'shared/src'];
const CODE_CACHE = join(REPO, 'server', 'src', 'engine', 'code-cache.ts');
const RENDER = join(REPO, 'server', 'src', 'workspace', 'render.ts');
/** Text of render.ts that a bundle holds right after its require of child_process. */
const RENDER_MARKER = 'sidecar-pods-render-';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function bundle(name: string): string {
  const path = join(REPO, 'dist', name);
  assert.ok(existsSync(path), `${path} is missing: run npm run build first`);
  return readFileSync(path, 'utf8');
}

/** Dynamic code: eval, the Function constructor, the vm module, worker threads. */
const DYNAMIC_CODE =
  /\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(\s*["'`]|require\(["'](?:node:)?(?:vm|worker_threads)["']\)/g;
const CHILD_PROCESS = /require\(["'](?:node:)?child_process["']\)/g;

describe('security posture', () => {
  it('supports untrusted workspaces, where no workspace setting names a program or a path', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
      contributes: {
        configuration: { properties: Record<string, { type: string; enum?: string[]; scope?: string }> };
      };
    };
    // limited: the one setting that names a program is the user's, never the workspace's
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['sidecarPods.kustomizeRenderer']);
    for (const [key, prop] of Object.entries(pkg.contributes.configuration.properties)) {
      assert.doesNotMatch(key, /path|command|executable|program|binary|script|args/i, key);
      if (key === 'sidecarPods.kustomizeRenderer') {
        // machine scope: user or remote-machine settings only, which a workspace cannot set
        assert.equal(prop.scope, 'machine');
        continue;
      }
      assert.ok(prop.type !== 'string' || prop.enum || key === 'sidecarPods.kubernetesVersion', `${key}: free text`);
    }
  });

  it('a config file names no program: its kustomizeRenderer is off, kubectl or kustomize', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'sidecar-pods-config.schema.json'), 'utf8')) as {
      properties: Record<string, { enum?: string[] }>;
    };
    assert.deepEqual(schema.properties['kustomizeRenderer']?.enum, ['off', 'kubectl', 'kustomize']);
  });

  it('server, CLI and shared sources run no programs and no dynamic code, and require only fixed paths', () => {
    for (const file of SOURCE_ROOTS.flatMap((r) => sources(join(REPO, r)))) {
      const text = readFileSync(file, 'utf8').replace(/^\s*(?:\/\/|\*).*$/gm, ''); // comments may name them
      // the one use of node:vm compiles our own bundles with V8's code cache (see the test below)
      const vm = file === CODE_CACHE ? /\bnew Function|\beval\s*\(/ : /node:vm/;
      assert.doesNotMatch(text, vm, file);
      // the renderer of kustomize overlays is the one module that starts a process
      if (file !== RENDER) assert.doesNotMatch(text, /child_process/, file);
      assert.doesNotMatch(text, /\beval\s*\(|new Function|worker_threads/, file);
      for (const m of text.matchAll(/\brequire\s*\(([^)]*)\)/g)) {
        assert.match(m[1]!, /^'[^']+'$/, `${file}: require of a computed path`);
      }
      // the only child_process in the server bundle is behind vscode-languageserver's Files helpers
      assert.doesNotMatch(
        text,
        /\bFiles\b.*vscode-languageserver|resolveGlobal(?:Node|Yarn)Path|resolveModulePath/,
        file,
      );
    }
  });

  it('compiles nothing but our own bundles, named by fixed paths, with the code cache', () => {
    // the loader compiles the text of the file it is given, once, and nothing else
    const loader = readFileSync(CODE_CACHE, 'utf8');
    assert.equal(loader.match(/new Script\(/g)?.length, 1);
    assert.match(loader, /const source = readFileSync\(file, 'utf8'\);/);
    // and it is given only the bundle beside the entry point
    assert.match(
      readFileSync(join(REPO, 'server', 'src', 'start.ts'), 'utf8'),
      /loadBundle\(join\(__dirname, 'server\.js'\)/,
    );
    assert.match(
      readFileSync(join(REPO, 'cli', 'src', 'start.ts'), 'utf8'),
      /loadBundle\(join\(__dirname, 'cli\.js'\)(?:, \{ siblings: SIBLING_BUNDLES \})?\)/,
    );
    // and the bundles those require from beside them, by fixed names only
    assert.match(loader, /export const SIBLING_BUNDLES: readonly string\[\] = \['\.\/object-validators\.js'\];/);
    assert.match(loader, /if \(!siblings\.includes\(id\)\) return base\(id\);/);
    assert.match(loader, /loadBundle\(join\(dirname\(file\), id\), own\)/);
    for (const entry of ['start-server.js', 'start-cli.js']) {
      const text = bundle(entry);
      assert.deepEqual(text.match(CHILD_PROCESS), null, entry);
      assert.deepEqual(text.match(/\beval\s*\(|\bnew\s+Function\s*\(|worker_threads/g), null, entry);
    }
  });

  it("the CLI bundle's one child_process is the kustomize renderer's, and it holds no dynamic code", () => {
    const cli = bundle('cli.js');
    const uses = [...cli.matchAll(CHILD_PROCESS)];
    assert.equal(uses.length, 1);
    assert.ok(
      cli.slice(uses[0]!.index, uses[0]!.index + 4000).includes(RENDER_MARKER),
      'the require sits in render.ts',
    );
    assert.deepEqual(cli.match(DYNAMIC_CODE), null);
  });

  it("the server bundle's child_process: the kustomize renderer's and vscode-languageserver's unused module resolver", () => {
    const server = bundle('server.js');
    assert.deepEqual(server.match(DYNAMIC_CODE), null);
    const uses = [...server.matchAll(CHILD_PROCESS)];
    // vscode-languageserver/lib/node/files.js: Files.resolveGlobalNodePath runs `npm config get
    // prefix`, resolveGlobalYarnPath `yarn global dir`, resolveModulePath forks node. They run only
    // when called, and the sources above never reference them.
    assert.equal(uses.length, 2, 'two requires of child_process');
    const renderer = uses.filter((u) => server.slice(u.index, u.index + 4000).includes(RENDER_MARKER));
    assert.equal(renderer.length, 1, 'one sits in render.ts');
    const files = uses.find((u) => !renderer.includes(u))!;
    const around = server.slice(Math.max(0, files.index - 600), files.index + 2000);
    for (const marker of ['resolveGlobalNodePath', 'resolveGlobalYarnPath', 'resolveModulePath', 'uriToFilePath']) {
      assert.ok(around.includes(marker), `the require sits in vscode-languageserver's Files module (${marker})`);
    }
  });

  it('the web extension bundles load no module but vscode and hold no dynamic code', () => {
    // dist/browser/: what vscode.dev runs; esbuild.mjs fails the build on any node: import there
    const server = bundle('browser/server.js');
    assert.deepEqual(server.match(/\brequire\(/g), null, 'the worker is one self-contained script');
    assert.deepEqual(server.match(DYNAMIC_CODE), null);
    const client = bundle('browser/client.js');
    assert.deepEqual([...new Set(client.match(/\brequire\(["'][^"']*["']\)/g))], ['require("vscode")']);
    assert.deepEqual(client.match(DYNAMIC_CODE), null);
  });
});

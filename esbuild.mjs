// Bundles the entry points: the Node extension, server and CLI, and the web extension (dist/browser/). tsc only typechecks (tsc -b); esbuild emits.
//   node esbuild.mjs            production bundles into dist/
//   node esbuild.mjs --watch    rebuild on change
//   node esbuild.mjs --tests    also transpile every .ts file into out/ for mocha (no bundling)
import * as esbuild from 'esbuild';
import { readdirSync, statSync, cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const production = !watch;

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'inline',
  // identifiers are kept as written, so functions and classes keep their names (stack traces,
  // internal errors) without esbuild's keepNames, which wraps every closure in a call that sets
  // its name: a cost each time a function is created, on the hot paths too
  minifyWhitespace: production,
  minifySyntax: production,
  logLevel: 'warning',
  legalComments: 'linked',
  // yaml's ES module build (the same code as its CommonJS one, which Node's export condition picks):
  // bundled as ESM, its exports are plain bindings instead of getters called on every use
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

/**
 * The validators of the built-in kinds that hold no pod (a Service, a ConfigMap) stay a file of
 * their own beside the bundles, loaded the first time such an object is validated: they would
 * nearly double the server and CLI bundles, which every start loads, for files of pods too.
 */
const objectValidatorsApart = {
  name: 'object-validators-apart',
  setup(build) {
    build.onResolve({ filter: /generated\/object-validators\.js$/ }, () => ({
      path: './object-validators.js',
      external: true,
    }));
  },
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist', plugins: [objectValidatorsApart] },
  { ...common, entryPoints: { cli: 'cli/src/main.ts' }, outdir: 'dist', plugins: [objectValidatorsApart] },
  {
    ...common,
    entryPoints: { 'object-validators': 'server/src/schema/generated/object-validators.js' },
    outdir: 'dist',
  },
  // small entry points that load the two bundles above with V8's code cache
  {
    ...common,
    entryPoints: { 'start-server': 'server/src/start.ts', 'start-cli': 'cli/src/start.ts' },
    outdir: 'dist',
  },
  // the diagram's script inside the webview: a browser bundle, loaded from dist/webview only
  {
    ...common,
    entryPoints: { diagram: 'webview/src/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/**
 * The browser builds (vscode.dev, github.dev): the server's platform module is the browser one, and
 * node:path and node:fs get the stand-ins under server/src/platform/; any other Node module fails
 * the build, so none can slip into the worker unseen.
 */
const browserPlatform = {
  name: 'browser-platform',
  setup(build) {
    const platformDir = join(import.meta.dirname, 'server/src/platform');
    build.onResolve({ filter: /\/platform\/current$/ }, () => ({ path: join(platformDir, 'browser.ts') }));
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: join(platformDir, 'posix-path.ts') }));
    build.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: join(platformDir, 'no-fs.ts') }));
    build.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} is a Node module: the browser bundle cannot use it (from ${args.importer})` }],
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const browser = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist/browser',
  plugins: [browserPlatform],
};

builds.push(
  // the language server in a web worker: a classic worker script, so an IIFE
  { ...browser, entryPoints: { server: 'server/src/server.ts' }, format: 'iife' },
  // the extension in the web worker extension host, which loads CommonJS with its own require
  { ...browser, entryPoints: { client: 'client/src/browser.ts' }, format: 'cjs', external: ['vscode'] },
);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

if (tests) {
  const roots = [
    'shared/src',
    'server/src',
    'client/src',
    'cli/src',
    'test/unit',
    'test/lsp',
    'test/e2e',
    'test/corpus',
    'test/package',
    'test/support',
    'bench/src',
    'snippets',
    'webview/src',
  ];
  // out/ is rebuilt whole: a test whose source is gone must not linger (mocha and the e2e suite
  // find tests by file name), nor a module that moved, which a test could still load by its old path
  rmSync('out', { recursive: true, force: true });
  builds.push({
    entryPoints: roots.filter((r) => existsSync(r)).flatMap((r) => walk(r)),
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
if (tests && existsSync('schemas')) cpSync('schemas', 'out/schemas', { recursive: true });

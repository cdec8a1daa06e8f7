#!/usr/bin/env node
// Writes snippets/sidecars.json (VS Code's contributes.snippets) from the typed catalogue in
// snippets/catalogue.ts, which the language server's completion imports too.
//
//   node snippets/generate.mjs           rewrite the JSON
//   node snippets/generate.mjs --check   fail when the JSON is not what the catalogue renders
//
// The catalogue is TypeScript: esbuild (already the build's bundler) turns it into CommonJS in
// memory, so no compiled copy is left behind.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import * as prettier from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'sidecars.json');

const built = await esbuild.build({
  entryPoints: [join(here, 'catalogue.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(
  module,
  module.exports,
  createRequire(import.meta.url),
);
// formatted as `prettier --check .` expects the committed file to be
const text = await prettier.format(JSON.stringify(module.exports.vsCodeSnippets()), {
  ...(await prettier.resolveConfig(OUT)),
  filepath: OUT,
});

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== text) {
    console.error('snippets/sidecars.json is stale: run `node snippets/generate.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
}

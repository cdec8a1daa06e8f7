// Regenerates the README's rule table from the rule metadata (via the built CLI: `sidecar-pods rules`).
// A unit test fails when the README is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const table = execFileSync(process.execPath, ['dist/cli.js', 'rules'], { encoding: 'utf8' }).trimEnd();
const readme = readFileSync('README.md', 'utf8');
const block = /<!-- rules:start -->[\s\S]*?<!-- rules:end -->/;
if (!block.test(readme)) throw new Error('README.md has no <!-- rules:start --> ... <!-- rules:end --> block');
const next = readme.replace(block, () => `<!-- rules:start -->\n${table}\n<!-- rules:end -->`);
writeFileSync('README.md', next);

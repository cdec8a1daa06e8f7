// Regenerates the README's rule table and the config file schema's list of rule ids from the rule
// metadata (via the built CLI: `sidecar-pods rules`). Unit tests fail when either is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const table = execFileSync(process.execPath, ['dist/cli.js', 'rules'], { encoding: 'utf8' }).trimEnd();
const readme = readFileSync('README.md', 'utf8');
const block = /<!-- rules:start -->[\s\S]*?<!-- rules:end -->/;
if (!block.test(readme)) throw new Error('README.md has no <!-- rules:start --> ... <!-- rules:end --> block');
const next = readme.replace(block, () => `<!-- rules:start -->\n${table}\n<!-- rules:end -->`);
writeFileSync('README.md', next);

const CONFIG_SCHEMA = 'schemas/sidecar-pods-config.schema.json';
const rules = JSON.parse(
  execFileSync(process.execPath, ['dist/cli.js', 'rules', '--format', 'json'], { encoding: 'utf8' }),
);
const schema = JSON.parse(readFileSync(CONFIG_SCHEMA, 'utf8'));
schema.properties.rules.propertyNames.enum = rules.map((r) => r.id);
writeFileSync(CONFIG_SCHEMA, JSON.stringify(schema, null, 2) + '\n');

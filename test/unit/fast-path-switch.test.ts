// SIDECAR_PODS_NO_FAST_PATH (server/src/model/parse.ts), the triage switch that sends every document
// to `yaml` instead of the block-YAML fast path: with it set, no tree is the fast path's and the
// findings and values are the same. The switch is read when the module loads, so each side runs in
// a Node process of its own.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NO_FAST_PATH_ENV } from '../../server/src/model/parse';
import { generateManifest } from '../support/manifests';
import { FIXTURES, listYaml, read } from '../support/lint';

interface Observed {
  /** Per text: its documents' trees, which parser built each, and the file's findings. */
  texts: {
    documents: { fast: boolean; value: unknown; syntaxErrors: unknown }[];
    findings: unknown[];
  }[];
}

// runs in the child, on the compiled modules next to this test's (out/...)
const CHILD = `
const { parseDocumentModel, parsedByFastPath } = require(${JSON.stringify(require.resolve('../../server/src/model/parse'))});
const { splitDocuments } = require(${JSON.stringify(require.resolve('../../server/src/model/split'))});
const { lintText, fixtureSettings } = require(${JSON.stringify(require.resolve('../support/lint'))});
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const observed = texts.map((text) => ({
  documents: splitDocuments(text).map((chunk) => {
    const model = parseDocumentModel(chunk.text);
    return { fast: parsedByFastPath(model.yaml), value: model.value(), syntaxErrors: model.syntaxErrors };
  }),
  findings: lintText(text, fixtureSettings(text)).map(({ rule, severity, message, range, line }) => ({ rule, severity, message, range, line })),
}));
process.stdout.write(JSON.stringify({ texts: observed }));
`;

function observe(texts: string[], env: Record<string, string>): Observed {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!(NO_FAST_PATH_ENV in env)) delete childEnv[NO_FAST_PATH_ENV];
  const r = spawnSync(process.execPath, ['-e', CHILD], {
    input: JSON.stringify(texts),
    env: childEnv,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Observed;
}

const fastTrees = (o: Observed): number => o.texts.flatMap((t) => t.documents).filter((d) => d.fast).length;
const withoutParser = (o: Observed): unknown =>
  o.texts.map((t) => ({ ...t, documents: t.documents.map(({ value, syntaxErrors }) => ({ value, syntaxErrors })) }));

describe('the fast-path switch (SIDECAR_PODS_NO_FAST_PATH)', function () {
  this.timeout(60_000);
  // every rule fixture, and generated manifests of the shapes the bench opens
  const texts = [...ruleFixtures(), generateManifest(1000).text];
  let normal: Observed;
  before(() => {
    normal = observe(texts, {});
  });

  it('takes the fast path for most documents without it, and finds what the fixtures show', () => {
    const documents = normal.texts.flatMap((t) => t.documents).length;
    assert.ok(fastTrees(normal) > documents / 2, `${fastTrees(normal)} of ${documents} documents took the fast path`);
    assert.ok(normal.texts.filter((t) => t.findings.length > 0).length > 20, 'the invalid fixtures have findings');
  });

  it(`sends every document to yaml with ${NO_FAST_PATH_ENV}=1, with the same values and findings`, () => {
    const off = observe(texts, { [NO_FAST_PATH_ENV]: '1' });
    assert.equal(fastTrees(off), 0);
    assert.deepEqual(withoutParser(off), withoutParser(normal));
  });

  it(`keeps the fast path with ${NO_FAST_PATH_ENV}=0`, () => {
    assert.equal(fastTrees(observe(texts, { [NO_FAST_PATH_ENV]: '0' })), fastTrees(normal));
  });
});

function ruleFixtures(): string[] {
  const root = join(FIXTURES, 'rules');
  return readdirSync(root).flatMap((rule) =>
    ['valid', 'invalid'].flatMap((kind) => listYaml(join(root, rule, kind)).map(read)),
  );
}

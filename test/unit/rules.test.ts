import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ruleTable } from '../../cli/src/rule-table';
import type { Settings } from '../../shared/src/settings';
import { RULES } from '../../server/src/rules';
import {
  expectedLines,
  fixtureSettings,
  FIXTURES,
  lintSet,
  lintText,
  listSets,
  listYaml,
  read,
  REPO,
} from '../support/lint';

const RULES_DIR = join(REPO, 'server', 'src', 'rules');
const NOT_RULES = new Set(['index.ts', 'types.ts']);

describe('rule registry', () => {
  it('registers every rule file, with ids equal to file names', () => {
    const files = readdirSync(RULES_DIR)
      .filter((n) => n.endsWith('.ts') && !NOT_RULES.has(n))
      .map((n) => basename(n, '.ts'))
      .sort();
    assert.deepEqual(RULES.map((r) => r.meta.id).sort(), files);
  });

  it('has unique ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const rule of RULES) {
    it(`${rule.meta.id} has valid and invalid fixtures and complete metadata`, () => {
      assert.ok(listSets(join(FIXTURES, 'rules', rule.meta.id, 'valid')).length > 0, 'no valid fixture');
      assert.ok(listSets(join(FIXTURES, 'rules', rule.meta.id, 'invalid')).length > 0, 'no invalid fixture');
      assert.match(rule.meta.docs, /^https:\/\//);
      assert.ok(rule.meta.description.length > 10);
    });
  }

  it('README rule table is generated from the rule metadata', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    assert.ok(readme.includes(ruleTable()), 'README rule table is stale: run `npm run readme`');
  });
});

/** Posture rules say what may be deliberate; other rules' fixtures need not dodge them. */
const POSTURE = new Set(RULES.filter((r) => r.meta.posture).map((r) => r.meta.id));

describe('rules over fixtures', () => {
  for (const rule of RULES) {
    const id = rule.meta.id;
    // a rule that is off by default is switched on to be checked
    const settings = rule.meta.defaultSeverity === 'off' ? { rules: { [id]: 'warning' as const } } : {};
    if (rule.scope === 'set') {
      describeSetRule(id, settings);
      continue;
    }
    describe(id, () => {
      for (const file of listYaml(join(FIXTURES, 'rules', id, 'invalid'))) {
        it(`reports exactly the annotated lines of invalid/${basename(file)}`, () => {
          const text = read(file);
          const expected = expectedLines(text, id);
          assert.ok(expected.length > 0, 'fixture has no `# <- rule` annotation');
          const got = lintText(text, { ...settings, ...fixtureSettings(text, file) })
            .filter((f) => f.rule === id)
            .map((f) => f.line);
          assert.deepEqual(got, expected);
        });
      }
      for (const file of listYaml(join(FIXTURES, 'rules', id, 'valid'))) {
        it(`reports nothing on valid/${basename(file)}`, () => {
          const text = read(file);
          const findings = lintText(text, { ...settings, ...fixtureSettings(text, file) }).filter(
            (f) => f.rule === id || (f.severity !== 'info' && !POSTURE.has(f.rule)),
          );
          assert.deepEqual(
            findings.map((f) => `${f.line}: ${f.rule}: ${f.message}`),
            [],
          );
        });
      }
    });
  }
});

/**
 * A set rule's fixtures: each YAML file of valid/ and invalid/ is a set of one file, and each
 * folder a set of its files; the annotated lines of every file of an invalid set are reported.
 */
function describeSetRule(id: string, settings: Partial<Settings>): void {
  describe(id, () => {
    for (const set of listSets(join(FIXTURES, 'rules', id, 'invalid'))) {
      it(`reports exactly the annotated lines of invalid/${set.label}`, () => {
        const texts = set.files.map((f) => ({ name: f.name, text: read(f.path) }));
        const found = lintSet(texts, { ...settings, ...fixtureSettings(texts[0]!.text) });
        let annotated = 0;
        for (const { name, text } of texts) {
          const expected = expectedLines(text, id);
          annotated += expected.length;
          const got = found
            .get(name)!
            .filter((f) => f.rule === id)
            .map((f) => f.line);
          assert.deepEqual(got, expected, name);
        }
        assert.ok(annotated > 0, 'fixture has no `# <- rule` annotation');
      });
    }
    for (const set of listSets(join(FIXTURES, 'rules', id, 'valid'))) {
      it(`reports nothing on valid/${set.label}`, () => {
        const texts = set.files.map((f) => ({ name: f.name, text: read(f.path) }));
        const found = lintSet(texts, { ...settings, ...fixtureSettings(texts[0]!.text) });
        const alarms = [...found].flatMap(([name, fs]) =>
          fs
            .filter((f) => f.rule === id || (f.severity !== 'info' && !POSTURE.has(f.rule)))
            .map((f) => `${name}:${f.line}: ${f.rule}: ${f.message}`),
        );
        assert.deepEqual(alarms, []);
      });
    }
  });
}

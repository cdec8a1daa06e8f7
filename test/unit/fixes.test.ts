// Every quick fix of every invalid rule fixture, whatever rules exist: each must leave YAML that
// parses, change nothing outside the lines it edits (comments and key order included) and make its
// finding go away. The "Disable RULE for this line" edit of every finding is held to the same bar.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { applyEdits } from '../../server/src/fixes/edits';
import { parseDocumentModel } from '../../server/src/model/parse';
import { splitDocuments } from '../../server/src/model/split';
import { RULES_BY_ID } from '../../server/src/rules';
import type { Finding, Fix, TextEditSpec } from '../../server/src/engine/types';
import { disableLineEdit } from '../../server/src/services/disable-comment';
import { comments } from '../../server/src/engine/suppression';
import { FIXTURES, fixtureSettings, lintSet, lintText, listSets, listYaml, read } from '../support/lint';

const RULE_FIXTURES = join(FIXTURES, 'rules');

function syntaxErrors(text: string): number {
  return splitDocuments(text).reduce((n, c) => n + parseDocumentModel(c.text).yaml.errors.length, 0);
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length - 1;
const inside = (edits: readonly TextEditSpec[], offset: number): boolean =>
  edits.some((e) => e.range.start <= offset && offset < Math.max(e.range.end, e.range.start + 1));

/** Keys in document order, with where each key starts. */
function keys(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const walk = (node: unknown, offset: number): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key) && pair.key.range)
          out.push({ text: String(pair.key.value), start: offset + pair.key.range[0] });
        walk(pair.value, offset);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item as Node, offset);
    }
  };
  for (const chunk of splitDocuments(text)) walk(parseDocumentModel(chunk.text).yaml.contents, chunk.offset);
  return out;
}

function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && small[i] === x) i++;
  return i === small.length;
}

function count(findings: readonly Finding[], f: Finding): number {
  return findings.filter((x) => x.rule === f.rule && x.message === f.message).length;
}

function checkFix(
  text: string,
  finding: Finding,
  fix: Fix,
  findingsBefore: readonly Finding[],
  settings: ReturnType<typeof fixtureSettings> = {},
): void {
  const label = `${finding.rule} "${finding.message}": fix "${fix.title}"`;
  assert.ok(fix.edits.length > 0, `${label} has no edits`);
  const after = applyEdits(text, fix.edits);

  // parses: no YAML error that was not there before
  const before = syntaxErrors(text);
  assert.ok(syntaxErrors(after) <= before, `${label} breaks the YAML:\n${after}`);

  // lines outside the edited ones are unchanged, in place
  const oldLines = text.split('\n');
  const newLines = after.split('\n');
  const first = Math.min(...fix.edits.map((e) => lineOf(text, e.range.start)));
  const last = Math.max(...fix.edits.map((e) => lineOf(text, e.range.end)));
  const tail = oldLines.length - 1 - last;
  assert.deepEqual(newLines.slice(0, first), oldLines.slice(0, first), `${label} changed lines above its edit`);
  assert.deepEqual(
    newLines.slice(newLines.length - tail),
    oldLines.slice(oldLines.length - tail),
    `${label} changed lines below its edit`,
  );

  // comments outside the edits survive, and keys keep their order
  const survives = (what: string, pick: (t: string) => { text: string; start: number }[]): void => {
    const kept = pick(text)
      .filter((x) => !inside(fix.edits, x.start))
      .map((x) => x.text);
    const now = pick(after).map((x) => x.text);
    assert.ok(isSubsequence(kept, now), `${label} lost or reordered ${what}:\n${after}`);
  };
  survives('comments', comments);
  survives('keys', keys);

  // the finding it addresses is gone
  assert.ok(
    count(lintText(after, settings), finding) < count(findingsBefore, finding),
    `${label} leaves its finding:\n${after}`,
  );
}

const invalidFixtures = (): { rule: string; file: string }[] =>
  readdirSync(RULE_FIXTURES)
    .sort()
    .flatMap((rule) => listYaml(join(RULE_FIXTURES, rule, 'invalid')).map((file) => ({ rule, file })));

describe('quick fixes over every invalid fixture', () => {
  for (const { rule, file } of invalidFixtures()) {
    {
      it(`${rule}/invalid/${basename(file)}: every fix parses, keeps the rest and clears its finding`, () => {
        const text = read(file);
        const settings = fixtureSettings(text, file);
        const findings = lintText(text, settings);
        for (const finding of findings) {
          const fixes = finding.fixes?.() ?? [];
          for (const fix of fixes) checkFix(text, finding, fix, findings, settings);
          const disable = disableLineEdit(text, finding.rule, finding.range.start);
          if (disable) {
            const title = `Disable ${finding.rule} for this line`;
            checkFix(text, finding, { title, edits: [disable], safe: false }, findings, settings);
          } else {
            assert.equal(
              finding.rule,
              'yaml-syntax',
              `no disable comment for ${finding.rule} at ${finding.range.start}`,
            );
          }
        }
      });
    }
  }

  it('exercises a fix of every rule that says it is fixable', () => {
    const exercised = new Set<string>();
    for (const { file } of invalidFixtures()) {
      for (const f of lintText(read(file), fixtureSettings(read(file), file)))
        if ((f.fixes?.() ?? []).length > 0) exercised.add(f.rule);
    }
    // set rules speak over a set: each file or folder of their invalid fixtures
    for (const rule of RULES_BY_ID.values()) {
      if (rule.scope !== 'set') continue;
      for (const set of listSets(join(RULE_FIXTURES, rule.meta.id, 'invalid'))) {
        const found = lintSet(set.files.map((f) => ({ name: f.name, text: read(f.path) })));
        for (const fs of found.values())
          for (const f of fs) if (f.rule === rule.meta.id && (f.fixes?.() ?? []).length > 0) exercised.add(f.rule);
      }
    }
    const fixable = [...RULES_BY_ID.values()].filter((r) => r.meta.fixable).map((r) => r.meta.id);
    assert.ok(fixable.length > 0);
    assert.deepEqual(
      fixable.filter((id) => !exercised.has(id)),
      [],
      'fixable rules whose invalid fixtures offer no fix',
    );
  });
});

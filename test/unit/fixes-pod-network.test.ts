// Quick fixes of the native sidecar and pod networking rules, applied to their invalid fixtures:
// the result parses, exactly the expected lines change, the finding is gone and none appears.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Scalar } from 'yaml';
import { applyEdits } from '../../server/src/fixes/edits';
import { scalarText } from '../../server/src/fixes/scalar-text';
import { ModelCache } from '../../server/src/model/file-model';
import { fixtureSettings, FIXTURES, lintText, podText, read, type LineFinding } from '../support/lint';

interface FixCase {
  rule: string;
  /** Under test/fixtures/rules/<rule>/invalid. */
  fixture: string;
  /** Line of the finding. */
  line: number;
  title: RegExp;
  safe: boolean;
  /** 1-based line -> its new text, or null when the line goes. */
  lines: Record<number, string | null>;
}

function findingAt(text: string, rule: string, line: number): LineFinding {
  const found = lintText(text, fixtureSettings(text)).filter((f) => f.rule === rule && f.line === line);
  assert.equal(found.length, 1, `one ${rule} finding on line ${line}`);
  return found[0]!;
}

function expectedText(text: string, lines: FixCase['lines']): string {
  return text
    .split('\n')
    .flatMap((l, i) => {
      const change = lines[i + 1];
      return change === undefined ? [l] : change === null ? [] : [change];
    })
    .join('\n');
}

const problems = (text: string): string[] =>
  lintText(text, fixtureSettings(text)).map((f) => `${f.rule}: ${f.message}`);

const CASES: FixCase[] = [
  {
    rule: 'probe-shape',
    fixture: 'success-threshold.yaml',
    line: 19,
    title: /successThreshold: 1/,
    safe: true,
    lines: { 19: '            successThreshold: 1 # <- probe-shape' },
  },
  {
    rule: 'probe-shape',
    fixture: 'success-threshold.yaml',
    line: 27,
    title: /successThreshold: 1/,
    safe: true,
    lines: { 27: '            successThreshold: 1 # <- probe-shape' },
  },
  {
    rule: 'init-restart-policy-value',
    fixture: 'not-always.yaml',
    line: 18,
    title: /Always/,
    safe: false,
    lines: { 18: '          restartPolicy: Always # <- init-restart-policy-value' },
  },
  {
    rule: 'init-restart-policy-value',
    fixture: 'not-always.yaml',
    line: 15,
    title: /Remove restartPolicy/,
    safe: false,
    lines: { 15: null },
  },
  {
    rule: 'port-name',
    fixture: 'names.yaml',
    line: 10,
    title: /Rename port "HTTP" to "http"/,
    safe: false,
    lines: {
      10: '        - name: http # <- port-name',
      25: '          port: http',
      30: '            port: "http"',
    },
  },
  {
    rule: 'probe-port',
    fixture: 'names.yaml',
    line: 24,
    title: /Use port 8080 \(a number/,
    safe: true,
    lines: { 24: '              port: 8080 # <- probe-port' },
  },
  {
    rule: 'probe-port',
    fixture: 'names.yaml',
    line: 28,
    title: /Use port "http"/,
    safe: true,
    lines: { 28: '              port: http # <- probe-port' },
  },
  {
    rule: 'probe-port',
    fixture: 'names.yaml',
    line: 21,
    title: /Use port "http" of container "app"/,
    safe: false,
    lines: { 21: '              port: http # <- probe-port' },
  },
  {
    rule: 'probe-port',
    fixture: 'names.yaml',
    line: 37,
    title: /Use port "admin" of container "proxy"/,
    safe: false,
    lines: { 37: '              port: admin # <- probe-port' },
  },
  {
    rule: 'probe-port',
    fixture: 'other-container.yaml',
    line: 15,
    title: /Use port 9901 of container "proxy"/,
    safe: false,
    lines: { 15: '          port: 9901 # <- probe-port' },
  },
  {
    rule: 'probe-port',
    fixture: 'other-container.yaml',
    line: 23,
    title: /Use port 8080 of container "app"/,
    safe: false,
    lines: { 23: '          port: 8080 # <- probe-port' },
  },
];

describe('quick fixes: native sidecars and pod networking', () => {
  for (const c of CASES) {
    it(`${c.rule}: ${c.title.source} on line ${c.line} of ${c.fixture}`, () => {
      const text = read(join(FIXTURES, 'rules', c.rule, 'invalid', c.fixture));
      const finding = findingAt(text, c.rule, c.line);
      const fixes = finding.fixes?.() ?? [];
      const fix = fixes.find((f) => c.title.test(f.title));
      assert.ok(fix, `no fix like ${c.title} among ${JSON.stringify(fixes.map((f) => f.title))}`);
      assert.equal(fix.safe, c.safe, 'safe');
      const out = applyEdits(text, fix.edits);
      assert.deepEqual(
        new ModelCache().parseFile(out).documents.flatMap((d) => d.model.syntaxErrors),
        [],
        'the result parses',
      );
      assert.equal(out, expectedText(text, c.lines));
      const before = problems(text);
      const after = problems(out);
      assert.ok(!after.includes(`${c.rule}: ${finding.message}`), 'the finding is gone');
      assert.deepEqual(
        after.filter((p) => !before.includes(p)),
        [],
        'no new finding',
      );
    });
  }

  // What source.fixAll does: every safe fix of a file at once.
  for (const [rule, fixture] of [
    ['probe-shape', 'success-threshold.yaml'],
    ['probe-port', 'names.yaml'],
  ] as const) {
    it(`all safe fixes of ${rule}/invalid/${fixture} apply together`, () => {
      const text = read(join(FIXTURES, 'rules', rule, 'invalid', fixture));
      const fixed = lintText(text, fixtureSettings(text)).flatMap((f) =>
        (f.fixes?.() ?? []).filter((x) => x.safe).map((x) => ({ finding: f, edits: x.edits })),
      );
      assert.ok(fixed.length >= 2, 'several safe fixes');
      const out = applyEdits(
        text,
        fixed.flatMap((f) => f.edits),
      );
      assert.deepEqual(
        new ModelCache().parseFile(out).documents.flatMap((d) => d.model.syntaxErrors),
        [],
      );
      const after = problems(out);
      for (const { finding } of fixed)
        assert.ok(!after.includes(`${finding.rule}: ${finding.message}`), finding.message);
    });
  }

  it('port-name offers no rename when lower case is still invalid or already taken', () => {
    const text = read(join(FIXTURES, 'rules', 'port-name', 'invalid', 'names.yaml'));
    for (const line of [12, 14, 16, 18, 20, 38]) {
      assert.deepEqual(findingAt(text, 'port-name', line).fixes?.() ?? [], [], `line ${line}`);
    }
  });

  it('probe-port offers nothing when the container has no single port that fits', () => {
    const text = podText(`spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 8080
        - containerPort: 8081
      readinessProbe:
        httpGet:
          port: health
`);
    assert.deepEqual(findingAt(text, 'probe-port', 14).fixes?.(), []);
  });
});

describe('scalarText', () => {
  const scalar = (type: Scalar.Type | undefined): Scalar => {
    const s = new Scalar('x');
    if (type) s.type = type;
    return s;
  };
  it('keeps the quotes of the original', () => {
    assert.equal(scalarText(scalar(Scalar.QUOTE_DOUBLE), 'http'), '"http"');
    assert.equal(scalarText(scalar(Scalar.QUOTE_SINGLE), "it's"), "'it''s'");
  });
  it('writes plain only what plain YAML reads back as the same string', () => {
    assert.equal(scalarText(scalar(Scalar.PLAIN), 'http'), 'http');
    assert.equal(scalarText(scalar(Scalar.PLAIN), '1e3'), '"1e3"');
    assert.equal(scalarText(scalar(Scalar.PLAIN), 'null'), '"null"');
    assert.equal(scalarText(scalar(undefined), 'true'), '"true"');
  });
});

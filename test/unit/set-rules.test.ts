// The set scope of the engine's vocabulary: a rule that reads several files at once (what the
// Service rules are made of) gets every member with its settings, and its findings come back per
// member at that member's level, obeying that member's suppression comments and naming the object.
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/src/settings';
import { Engine, type SetRule } from '../../server/src/engine';

/** Reports, on every pod document's `name:` line, how many members the set holds. */
const counting: SetRule = {
  meta: {
    id: 'set-probe',
    description: 'test rule',
    defaultSeverity: 'warning',
    fixable: false,
    docs: 'https://example.invalid/set-probe',
  },
  scope: 'set',
  check(members, ctx) {
    for (const m of members) {
      for (const doc of m.file.documents) {
        const at = m.file.text.indexOf('name:', doc.offset);
        if (at < 0 || !doc.model.isPodDocument) continue;
        ctx.report(m.key, { range: { start: at, end: at + 5 }, message: `one of ${members.length}` });
      }
    }
  },
};

const pod = (name: string, comment = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n${comment}  name: ${name}\n  namespace: prod\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n`;

const off: Settings = { ...DEFAULT_SETTINGS, rules: { 'set-probe': 'off' } };
const asError: Settings = { ...DEFAULT_SETTINGS, rules: { 'set-probe': 'error' } };

describe('set rules (engine scope "set")', () => {
  it('sees every member and reports on each at its own level', () => {
    const engine = new Engine({ rules: [counting] });
    const found = engine.checkSet([
      { key: 'a.yaml', text: pod('a'), settings: DEFAULT_SETTINGS },
      { key: 'b.yaml', text: pod('b'), settings: asError },
      { key: 'c.yaml', text: pod('c'), settings: off },
    ]);
    assert.deepEqual([...found.keys()].sort(), ['a.yaml', 'b.yaml']);
    const a = found.get('a.yaml')!;
    assert.equal(a.length, 1);
    assert.equal(a[0].message, 'one of 3');
    assert.equal(a[0].rule, 'set-probe');
    assert.equal(a[0].severity, 'warning');
    assert.deepEqual(a[0].object, { kind: 'Pod', name: 'a', namespace: 'prod' });
    assert.equal(found.get('b.yaml')![0].severity, 'error');
  });

  it('obeys the suppression comments of the member a finding lands in', () => {
    const engine = new Engine({ rules: [counting] });
    const found = engine.checkSet([
      { key: 'a.yaml', text: pod('a', '  # sidecar-pods-disable-next-line set-probe\n'), settings: DEFAULT_SETTINGS },
      { key: 'b.yaml', text: pod('b'), settings: DEFAULT_SETTINGS },
    ]);
    assert.deepEqual([...found.keys()], ['b.yaml']);
  });

  it('is asked for only where some settings turn a set rule on, and never runs on single files', () => {
    const engine = new Engine({ rules: [counting] });
    assert.equal(engine.hasSetRules([off]), false);
    assert.equal(engine.hasSetRules([off, DEFAULT_SETTINGS]), true);
    assert.deepEqual(engine.check(pod('a'), DEFAULT_SETTINGS), []);
  });

  it('survives a set rule that throws, and logs it', () => {
    const logged: string[] = [];
    const broken: SetRule = {
      ...counting,
      check: () => {
        throw new Error('boom');
      },
    };
    const engine = new Engine({ rules: [broken], log: (m) => logged.push(m) });
    assert.deepEqual([...engine.checkSet([{ key: 'a', text: pod('a'), settings: DEFAULT_SETTINGS }])], []);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /set-probe/);
  });
});

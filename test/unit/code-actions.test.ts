import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { ModelCache } from '../../server/src/model/file-model';
import type { Finding, Fix } from '../../server/src/engine/types';
import { codeActions, FIX_ALL_KIND } from '../../server/src/services/code-actions';
import { toDiagnostics } from '../../server/src/services/diagnostics';
import { Linter } from '../../server/src/engine/linter';
import { lintText } from '../support/lint';

const POD = `apiVersion: v2
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      resources: {requests: {memory: 64Mi}}
      env:
        - name: N
          value: 4
      volumeMounts:
        - name: data
          mountPath: /data
`;

function setup(text: string, version = 1): { doc: TextDocument; findings: Finding[]; diagnostics: Diagnostic[] } {
  const doc = TextDocument.create('file:///pod.yaml', 'yaml', version, text);
  const findings = new Linter().lint(new ModelCache().parseFile(text), DEFAULT_SETTINGS, { withFixes: true });
  return { doc, findings, diagnostics: toDiagnostics(findings, doc) };
}

function edits(action: CodeAction): TextEdit[] {
  const change = action.edit?.documentChanges?.[0];
  assert.ok(change && 'edits' in change, 'a versioned text document edit');
  return change.edits as TextEdit[];
}

function apply(doc: TextDocument, action: CodeAction): string {
  return TextDocument.applyEdits(doc, edits(action));
}

describe('code actions', () => {
  it('offers the fixes of the finding behind each diagnostic, then a disable comment', () => {
    const { doc, findings, diagnostics } = setup(POD);
    const mount = diagnostics.find((d) => d.code === 'missing-volume')!;
    const actions = codeActions({ document: doc, findings, diagnostics: [mount], documentChanges: true });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Add an emptyDir volume "data"', 'quickfix', true],
        ['Disable missing-volume for this line', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0]!.diagnostics, [mount]);
    const fixed = apply(doc, actions[0]!);
    assert.match(fixed, /\n {2}volumes:\n {4}- name: data\n {6}emptyDir: \{\}\n$/);
    assert.deepEqual(
      lintText(fixed).filter((f) => f.rule === 'missing-volume'),
      [],
    );
    const disabled = apply(doc, actions[1]!);
    assert.match(disabled, /\n {8}# sidecar-pods-disable-next-line missing-volume\n {8}- name: data\n/);
    assert.deepEqual(
      lintText(disabled).filter((f) => f.rule === 'missing-volume'),
      [],
    );
  });

  it('gives nothing for diagnostics of an older version of the document', () => {
    const { findings, diagnostics } = setup(POD, 1);
    const doc = TextDocument.create('file:///pod.yaml', 'yaml', 2, POD);
    assert.deepEqual(codeActions({ document: doc, findings, diagnostics, documentChanges: true }), []);
    // the same diagnostics, republished for version 2, get their fixes
    const fresh = toDiagnostics(findings, doc);
    assert.ok(codeActions({ document: doc, findings, diagnostics: fresh, documentChanges: true }).length > 0);
  });

  it('ignores diagnostics of other sources and diagnostics whose finding is gone', () => {
    const { doc, findings, diagnostics } = setup(POD);
    const foreign = { ...diagnostics[0]!, source: 'yaml' };
    const moved = { ...diagnostics[0]!, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    assert.deepEqual(
      codeActions({ document: doc, findings, diagnostics: [foreign, moved], documentChanges: true }),
      [],
    );
  });

  it('fixes all safe problems of the file at once when asked for source.fixAll', () => {
    const { doc, findings, diagnostics } = setup(POD);
    const only = ['source.fixAll'];
    const actions = codeActions({ document: doc, findings, diagnostics, only, documentChanges: false });
    assert.deepEqual(
      actions.map((a) => a.kind),
      [FIX_ALL_KIND],
    );
    const textEdits = actions[0]!.edit!.changes!['file:///pod.yaml']!;
    const fixed = TextDocument.applyEdits(doc, textEdits);
    // the wrong apiVersion and the number are safe; an emptyDir for "data" is a guess, left alone
    assert.match(fixed, /^apiVersion: v1\n/);
    assert.match(fixed, /value: "4"\n/);
    assert.deepEqual(
      lintText(fixed).map((f) => f.rule),
      ['missing-volume'],
    );
    // quick fixes are not source actions
    assert.deepEqual(
      codeActions({ document: doc, findings, diagnostics: [], only: [FIX_ALL_KIND], documentChanges: true }).length,
      1,
    );
    assert.ok(
      codeActions({ document: doc, findings, diagnostics, only: ['quickfix'], documentChanges: true }).every(
        (a) => a.kind === 'quickfix',
      ),
    );
  });

  it('leaves a fix that conflicts with one already taken for the next round', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n';
    const doc = TextDocument.create('file:///c.yaml', 'yaml', 1, text);
    const insert = (newText: string): Fix => ({
      title: newText,
      edits: [{ range: { start: text.length, end: text.length }, newText }],
      safe: true,
    });
    const finding = (fix: Fix): Finding => ({
      rule: 'x',
      severity: 'error',
      message: fix.title,
      range: { start: 0, end: 1 },
      fixes: () => [fix],
    });
    const findings = [finding(insert('  a: 1\n')), finding(insert('  b: 2\n'))];
    const [action] = codeActions({
      document: doc,
      findings,
      diagnostics: [],
      only: [FIX_ALL_KIND],
      documentChanges: true,
    });
    assert.equal(apply(doc, action!), `${text}  a: 1\n`);
  });

  it('drops a fix that would break the YAML', () => {
    const text = 'apiVersion: v1\nkind: Pod\n';
    const doc = TextDocument.create('file:///b.yaml', 'yaml', 1, text);
    const bad: Finding = {
      rule: 'x',
      severity: 'error',
      message: 'm',
      range: { start: 0, end: 1 },
      fixes: () => [{ title: 'break', edits: [{ range: { start: 0, end: 0 }, newText: '[' }], safe: true }],
    };
    assert.deepEqual(
      codeActions({ document: doc, findings: [bad], diagnostics: [], only: [FIX_ALL_KIND], documentChanges: true }),
      [],
    );
  });

  it('skips a malformed fix instead of failing the request', () => {
    const { doc, findings, diagnostics } = setup(POD);
    const broken: Finding = {
      ...findings[0]!,
      fixes: () => [
        {
          title: 'overlapping',
          edits: [
            { range: { start: 0, end: 5 }, newText: 'a' },
            { range: { start: 3, end: 8 }, newText: 'b' },
          ],
          safe: true,
        },
        { title: 'past the end', edits: [{ range: { start: 1e6, end: 1e6 + 1 }, newText: 'x' }], safe: true },
      ],
    };
    const actions = codeActions({ document: doc, findings: [broken], diagnostics, documentChanges: true });
    assert.deepEqual(
      actions.map((a) => a.title),
      [`Disable ${broken.rule} for this line`],
    );
    assert.deepEqual(
      codeActions({ document: doc, findings: [broken], diagnostics, only: [FIX_ALL_KIND], documentChanges: true }),
      [],
    );
  });

  it('adds a rule to a disable comment already above the line', () => {
    const text = POD.replace(
      '          value: 4',
      '          # sidecar-pods-disable-next-line api-version -- why\n          value: 4',
    );
    const { doc, findings, diagnostics } = setup(text);
    const quoted = diagnostics.find((d) => d.code === 'schema')!;
    const disable = codeActions({ document: doc, findings, diagnostics: [quoted], documentChanges: true }).find((a) =>
      a.title.startsWith('Disable'),
    )!;
    const out = apply(doc, disable);
    assert.match(out, /\n {10}# sidecar-pods-disable-next-line api-version, schema -- why\n {10}value: 4\n/);
    assert.deepEqual(
      lintText(out).filter((f) => f.rule === 'schema'),
      [],
    );
  });
});

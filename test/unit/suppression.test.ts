import * as assert from 'node:assert/strict';
import { lintText } from '../support/lint';

const pod = (body: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      resources: {requests: {memory: 64Mi}}\n${body}`;
const MOUNTS = `      volumeMounts:\n        - name: a\n          mountPath: /a\n        - name: b\n          mountPath: /b\n`;
const rules = (text: string): string[] => lintText(text).map((f) => `${f.line}:${f.rule}`);

describe('suppression comments', () => {
  it('disable-next-line silences the listed rules on the next line only', () => {
    const text = pod(
      MOUNTS.replace('        - name: a', '        # sidecar-pods-disable-next-line missing-volume\n        - name: a'),
    );
    assert.deepEqual(rules(text), ['14:missing-volume']);
    const other = pod(
      MOUNTS.replace(
        '        - name: a',
        '        # sidecar-pods-disable-next-line port-conflict, schema\n        - name: a',
      ),
    );
    assert.deepEqual(rules(other), ['12:missing-volume', '14:missing-volume']);
  });

  it('disable without a rule list silences every rule; a reason after -- is ignored', () => {
    const text = pod(
      MOUNTS.replace(
        '        - name: b',
        '        # sidecar-pods-disable-next-line -- mounted by the operator\n        - name: b',
      ),
    );
    assert.deepEqual(rules(text), ['11:missing-volume']);
    const reasoned = pod(
      `      # sidecar-pods-disable missing-volume -- volumes come from a mutating webhook\n${MOUNTS}`,
    );
    assert.deepEqual(rules(reasoned), []);
  });

  it('disable holds for its whole document and no other', () => {
    const text = `${pod(MOUNTS)}# sidecar-pods-disable missing-volume\n---\n${pod(MOUNTS)}`;
    assert.deepEqual(rules(text), ['27:missing-volume', '29:missing-volume']);
  });

  it('a trailing comment or a # inside a string or block scalar is no directive', () => {
    const trailing = pod(MOUNTS.replace('        - name: a', '        - name: a # sidecar-pods-disable-next-line'));
    assert.equal(rules(trailing).length, 2);
    const scalar = pod(
      `      args:\n        - |\n          # sidecar-pods-disable\n        - "# sidecar-pods-disable"\n${MOUNTS}`,
    );
    assert.equal(rules(scalar).length, 2);
  });

  it('never silences yaml-syntax: a document that does not parse is broken whatever it says', () => {
    const text = `# sidecar-pods-disable\n${pod('      args: [a, b\n')}`;
    assert.deepEqual(
      lintText(text).map((f) => f.rule),
      ['yaml-syntax'],
    );
  });

  it('silences a file-level finding by the comments of the document it lands in', () => {
    const helm = `# sidecar-pods-disable templated\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n`;
    assert.deepEqual(rules(helm), []);
  });
});

// The fixes of the built-in rules, output compared with what a person would write.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/fixes/edits';
import type { Fix } from '../../server/src/engine/types';
import { FIXTURES, lintText, read } from '../support/lint';

function fixesOf(text: string, rule: string): Fix[] {
  return lintText(text)
    .filter((f) => f.rule === rule)
    .flatMap((f) => f.fixes?.() ?? []);
}

function fixed(text: string, rule: string, index = 0): string {
  const fix = fixesOf(text, rule)[index];
  assert.ok(fix, `a ${rule} fix`);
  return applyEdits(text, fix.edits);
}

describe('rule fixes', () => {
  it('missing-volume creates volumes in nested pod templates, in the style of each document', () => {
    const text = read(join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'nested-templates.yaml'));
    assert.ok(
      fixed(text, 'missing-volume', 0).includes(
        '      # no volumes yet\n      terminationGracePeriodSeconds: 10\n      volumes:\n        - name: cache\n          emptyDir: {}\n---\n',
      ),
    );
    // the CronJob's document writes its sequences flush with their key
    assert.ok(
      fixed(text, 'missing-volume', 1).endsWith(
        '              mountPath: /out\n          volumes:\n          - name: scratch\n            emptyDir: {}\n',
      ),
    );
  });

  it('missing-volume appends to an existing list and declines flow style and block devices', () => {
    const text = read(join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'mount.yaml'));
    assert.equal(fixesOf(text, 'missing-volume').length, 1, 'the block device gets no emptyDir');
    assert.ok(
      fixed(text, 'missing-volume').endsWith('        name: app-config\n    - name: logs\n      emptyDir: {}\n'),
    );
    const flowList =
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: b:1\n      volumeMounts: [{name: v, mountPath: /v}]\n  volumes: []\n';
    assert.deepEqual(fixesOf(flowList, 'missing-volume'), []);
    const flowSpec =
      'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: "b:1", volumeMounts: [{name: v, mountPath: /v}]}]}\n';
    assert.deepEqual(fixesOf(flowSpec, 'missing-volume'), []);
  });

  it('api-version replaces a wrong version and adds a missing one as the first line', () => {
    const text = 'kind: Job # <- the kind\nmetadata:\n  name: j\n';
    assert.equal(fixed(text, 'api-version'), `apiVersion: batch/v1\n${text}`);
    const crlf = 'apiVersion: "extensions/v1beta1"\r\nkind: Deployment\r\n';
    const [fix] = fixesOf(crlf, 'api-version');
    assert.equal(fix!.safe, false, 'leaving a beta changes meaning: not for fix-all');
    assert.equal(applyEdits(crlf, fix!.edits), 'apiVersion: apps/v1\r\nkind: Deployment\r\n');
    // a List item's first key shares the `- ` line: nothing sensible to insert before it
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    spec:\n      containers: []\n';
    assert.deepEqual(fixesOf(list, 'api-version'), []);
  });

  it('schema renames near-miss keys unless the right key is already there, and quotes as written', () => {
    const text = read(join(FIXTURES, 'rules', 'schema', 'invalid', 'types.yaml'));
    const titles = fixesOf(text, 'schema').map((f) => f.title);
    assert.ok(!titles.some((t) => t.startsWith('Rename')), `"ports" exists already: ${titles.join(', ')}`);
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    v: 1.10\nspec:\n  containers:\n    - name: a\n      image: b:1\n';
    assert.ok(fixed(pod, 'schema').includes('    v: "1.10"\n'));
    assert.equal(fixesOf(pod, 'schema')[0]!.safe, true);
  });
});

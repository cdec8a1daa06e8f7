import * as assert from 'node:assert/strict';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  appendSeqItem,
  applyEdits,
  indentsSequences,
  indentUnit,
  insertPair,
  removePair,
  removeSeqItem,
  setScalar,
} from '../../server/src/fixes/edits';
import type { TextEditSpec } from '../../server/src/engine/types';

function at(text: string, ...path: (string | number)[]): YAMLMap & YAMLSeq {
  return parseDocument(text).getIn(path, true) as YAMLMap & YAMLSeq;
}

function apply(text: string, edit: TextEditSpec | undefined): string {
  assert.ok(edit, 'an edit');
  const out = applyEdits(text, [edit]);
  assert.deepEqual(parseDocument(out).errors, [], `parses:\n${out}`);
  return out;
}

const POD = `spec:
  # the app
  containers:
    - name: app # main
      image: nginx:1.27
      securityContext:
        privileged: true
  restartPolicy: Always
`;

describe('YAML edit primitives', () => {
  it('infers indentation unit and sequence style', () => {
    assert.equal(indentUnit(POD), 2);
    assert.equal(indentUnit('a:\n    b: 1\n'), 4);
    // an item of a big List, parsed on its own: every line is indented, the step is still 2
    assert.equal(indentUnit('  - a: 1\n    b:\n      c: 1\n'), 2);
    assert.equal(indentsSequences(POD), true);
    assert.equal(indentsSequences('a:\n- x\n'), false);
  });

  it('inserts a pair at the end of a block map, after nested values and trailing comments on the line', () => {
    const out = apply(
      POD,
      insertPair(POD, at(POD, 'spec', 'containers', 0), 'resources', { map: 'requests:\n  memory: 64Mi' }),
    );
    assert.equal(
      out,
      POD.replace(
        '        privileged: true\n',
        '        privileged: true\n      resources:\n        requests:\n          memory: 64Mi\n',
      ),
    );
  });

  it('inserts a block sequence in the style of the document, with CRLF kept', () => {
    const flush = 'spec:\n  containers:\n  - name: a\n    image: b\n';
    const out = apply(flush, insertPair(flush, at(flush, 'spec'), 'volumes', { seq: '- name: v\n  emptyDir: {}' }));
    assert.equal(out, flush + '  volumes:\n  - name: v\n    emptyDir: {}\n');
    const crlf = POD.replace(/\n/g, '\r\n');
    const out2 = apply(crlf, insertPair(crlf, at(crlf, 'spec'), 'volumes', { seq: '- name: v\n  emptyDir: {}' }));
    assert.equal(out2, crlf + '  volumes:\r\n    - name: v\r\n      emptyDir: {}\r\n');
  });

  it('adds a line break first when the text does not end with one', () => {
    const t = 'a:\n  b: 1';
    assert.equal(apply(t, insertPair(t, at(t, 'a'), 'c', { inline: '2' })), 'a:\n  b: 1\n  c: 2');
  });

  it('sets a scalar: replaces, fills an empty value, or inserts', () => {
    const t = 'a:\n  b: 1 # keep\n  c: # empty\n';
    assert.equal(apply(t, setScalar(t, at(t, 'a'), 'b', '2')), 'a:\n  b: 2 # keep\n  c: # empty\n');
    assert.equal(apply(t, setScalar(t, at(t, 'a'), 'c', 'x')), 'a:\n  b: 1 # keep\n  c: x # empty\n');
    assert.equal(apply(t, setScalar(t, at(t, 'a'), 'd', 'y')), t + '  d: y\n');
  });

  it('removes a pair with its own comment lines, or lifts the next pair onto the dash line', () => {
    const t = 'a:\n  # about b\n  b: 1\n  c:\n    d: 2\n';
    assert.equal(apply(t, removePair(t, at(t, 'a'), 'b')), 'a:\n  c:\n    d: 2\n');
    assert.equal(apply(t, removePair(t, at(t, 'a'), 'c')), 'a:\n  # about b\n  b: 1\n');
    const out = apply(POD, removePair(POD, at(POD, 'spec', 'containers', 0), 'name'));
    assert.equal(out, POD.replace('- name: app # main\n      image', '- image'));
    const lone = 'l:\n  - x: 1\n';
    assert.equal(removePair(lone, at(lone, 'l', 0), 'x'), undefined, 'an only pair of an item: remove the item');
  });

  it('removes and appends sequence items', () => {
    const t = 'v:\n  - name: a\n    emptyDir: {}\n  # about b\n  - name: b\n  - name: c\n';
    assert.equal(apply(t, removeSeqItem(t, at(t, 'v'), 1)), 'v:\n  - name: a\n    emptyDir: {}\n  - name: c\n');
    assert.equal(
      apply(t, removeSeqItem(t, at(t, 'v'), 2)),
      'v:\n  - name: a\n    emptyDir: {}\n  # about b\n  - name: b\n',
    );
    assert.equal(
      apply(t, appendSeqItem(t, at(t, 'v'), 'name: d\nemptyDir: {}')),
      t + '  - name: d\n    emptyDir: {}\n',
    );
  });

  it('declines flow collections', () => {
    const t = 'a: {b: 1}\nl: [1, 2]\n';
    assert.equal(insertPair(t, at(t, 'a'), 'c', { inline: '2' }), undefined);
    assert.equal(setScalar(t, at(t, 'a'), 'b', '2'), undefined);
    assert.equal(removePair(t, at(t, 'a'), 'b'), undefined);
    assert.equal(removeSeqItem(t, at(t, 'l'), 0), undefined);
    assert.equal(appendSeqItem(t, at(t, 'l'), '3'), undefined);
  });

  it('refuses overlapping edits', () => {
    assert.throws(() =>
      applyEdits('abc', [
        { range: { start: 0, end: 2 }, newText: 'x' },
        { range: { start: 1, end: 3 }, newText: 'y' },
      ]),
    );
  });
});

import * as assert from 'node:assert/strict';
import { cursorContext, type CursorContext } from '../../server/src/services/completion-context';

/** The context at the `|` marker (or another one, where the text has a `|` of its own). */
function at(textWithCursor: string, marker = '|'): CursorContext | undefined {
  const offset = textWithCursor.indexOf(marker);
  return cursorContext(textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset);
}

const POD = 'apiVersion: v1\nkind: Pod\nspec:\n';

describe('completion context from text and indentation', () => {
  it('finds the map of a half-typed key with the keys around it', () => {
    const ctx = at(`${POD}  containers:\n    - name: a\n      ima|\n      ports: []\n  volumes: []\n`)!;
    assert.deepEqual(ctx.path, ['spec', 'containers', 0]);
    assert.equal(ctx.kind, 'key');
    assert.equal(ctx.prefix, 'ima');
    assert.deepEqual([...ctx.siblings].sort(), ['name', 'ports']);
  });

  it('counts the items above a new one, in block and compact lists', () => {
    for (const text of [
      `${POD}  containers:\n    - name: a\n    - name: b\n      image: x\n    - |`,
      `${POD}  containers:\n  - name: a\n  - name: b\n    image: x\n  - |`,
    ]) {
      const ctx = at(text)!;
      assert.deepEqual(ctx.path, ['spec', 'containers', 2], text);
      assert.equal(ctx.dashColumn, text.includes('\n  - |') ? 2 : 4);
    }
  });

  it('tells an item position from a key position by the dashes at the same column', () => {
    assert.equal(at(`${POD}  containers:\n    - name: a\n    |`)!.kind, 'item');
    assert.equal(at(`${POD}  containers:\n    - name: a\n      |`)!.kind, 'key');
    // a compact list's key is a sibling at the same column: a new key of the spec
    const compact = at(`${POD}  containers:\n  - name: a\n  |`)!;
    assert.deepEqual([compact.kind, compact.path], ['key', ['spec']]);
  });

  it('reads values, through nested items, and keys after anchors', () => {
    const ctx = at(`${POD}  containers:\n    - name: a\n      volumeMounts:\n        - name: |`)!;
    assert.deepEqual([ctx.kind, ctx.key, ctx.path], ['value', 'name', ['spec', 'containers', 0, 'volumeMounts', 0]]);
    const anchored = at(`${POD}  template: &t\n    ke|`)!;
    assert.deepEqual(anchored.path, ['spec', 'template']);
  });

  it('skips comment lines and CRLF line ends', () => {
    const ctx = at(
      `apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  # note\r\n  containers:\r\n    # first\r\n    - name: a\r\n      |`,
    )!;
    assert.deepEqual(ctx.path, ['spec', 'containers', 0]);
    assert.deepEqual([...ctx.siblings], ['name']);
  });

  it('gives up where nothing can be completed', () => {
    assert.equal(at(`${POD}  containers:\n    - name: a # x|`), undefined);
    assert.equal(at(`${POD}  containers:\n    - args: |\n        echo @`, '@'), undefined);
    assert.equal(at(`${POD}  name: text\n    more|`), undefined);
  });

  it('finds the keys beside the cursor above a long list', () => {
    const env = Array.from({ length: 20_000 }, (_, i) => `        - name: V${i}\n          value: x`).join('\n');
    const text = `${POD}  containers:\n    - name: a\n      |\n      env:\n${env}\n`;
    const ctx = at(text)!;
    assert.deepEqual([...ctx.siblings].sort(), ['env', 'name']);
  });
});

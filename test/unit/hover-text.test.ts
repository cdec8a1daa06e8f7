import * as assert from 'node:assert/strict';
import { cell, code, plain, table } from '../../server/src/services/hover-text';

describe('hover text', () => {
  it('keeps user text inside one code span, on one line, bounded', () => {
    assert.equal(code('a`b'), "`a'b`");
    assert.equal(code('a\nb'), '`a b`');
    assert.equal(code('x'.repeat(200)).length, 82);
  });

  it('escapes pipes in table cells so a name cannot split a row', () => {
    assert.equal(cell('a|b'), '`a\\|b`');
    assert.equal(table(['h'], [[cell('a|b')]]).split('\n')[2], '| `a\\|b` |');
  });

  it('escapes Markdown in plain text', () => {
    assert.equal(plain('[x](http://e) *y* _z_'), '\\[x\\]\\(http://e\\) \\*y\\* \\_z\\_');
  });
});

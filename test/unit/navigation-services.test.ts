import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ModelCache } from '../../server/src/model/file-model';
import { hover } from '../../server/src/services/hover';
import { definition, prepareRename, references, rename, validVolumeName } from '../../server/src/services/navigation';
import { documentSymbols } from '../../server/src/services/symbols';
import { FIXTURES, read } from '../support/lint';

/** Every hover and navigation service at every offset of `text`: none may throw. */
function everyOffset(text: string): number {
  const doc = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
  const file = new ModelCache().parseFile(text, doc.uri);
  documentSymbols(file, doc);
  let answered = 0;
  for (let offset = 0; offset <= text.length; offset++) {
    const position = doc.positionAt(offset);
    if (hover(file, doc, position)) answered++;
    definition(file, doc, position);
    references(file, doc, position, true);
    if (prepareRename(file, doc, position).ok) rename(file, doc, position, 'renamed');
  }
  return answered;
}

describe('hover and navigation services', () => {
  const dirs = ['hover', 'navigation'].map((d) => join(FIXTURES, d));
  const fixtures = dirs.flatMap((d) => readdirSync(d).map((n) => join(d, n)));

  it('never throw, at any offset of any fixture', () => {
    for (const file of fixtures) {
      const text = read(file).replace('|', '');
      const answered = everyOffset(text);
      if (!file.endsWith('not-kubernetes.yaml')) assert.ok(answered > 0, file);
      else assert.equal(answered, 0);
    }
  });

  it('never throw on any prefix of a manifest being typed', () => {
    const text = read(join(FIXTURES, 'hover', 'init-containers.yaml')).replace('|', '');
    // cut at every 13th character: keys, values and indentation half typed
    for (let end = 0; end <= text.length; end += 13) everyOffset(text.slice(0, end));
  });

  it('validates volume names as DNS labels', () => {
    assert.equal(validVolumeName('app-logs'), undefined);
    assert.equal(validVolumeName('a'), undefined);
    for (const bad of ['', 'Logs', 'app_logs', '-logs', 'logs-', 'a.b', 'x'.repeat(64)]) {
      assert.match(validVolumeName(bad) ?? '', /is not a valid volume name/, bad);
    }
  });
});

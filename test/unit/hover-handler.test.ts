import * as assert from 'node:assert/strict';
import type { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HoverHandler } from '../../server/src/lsp/hover-handler';
import { Engine } from '../../server/src/engine';
import { cursorFixture } from '../support/cursor';

describe('hover handler', () => {
  it('uses the models the diagnostics parsed: no second parse, and an edit elsewhere is parsed only when read', () => {
    const f = cursorFixture('navigation', 'references-volume.yaml');
    let doc = TextDocument.create(f.uri, 'yaml', 1, f.text);
    const documents = { get: (uri: string) => (uri === f.uri ? doc : undefined) } as TextDocuments<TextDocument>;
    const engine = new Engine();
    const models = engine.models;
    const handler = new HoverHandler(documents, engine);
    // what the diagnostics' check does on open: read every document
    for (const d of models.parseFile(doc.getText(), f.uri).documents) void d.model.pods;
    const parsed = models.parseCount;
    assert.equal(parsed, 2);

    const params = { textDocument: { uri: f.uri }, position: f.position };
    assert.match(JSON.stringify(handler.hover(params)), /Volume `logs`/);
    assert.equal(models.parseCount, parsed, 'a hover on an unchanged file parses nothing');

    // an edit in the second document, then a hover in the first before the diagnostics run: the
    // edited document is parsed when something reads it, not for a hover elsewhere
    doc = TextDocument.update(doc, [{ text: `${f.text}# edited\n` }], 2);
    assert.match(JSON.stringify(handler.hover(params)), /Volume `logs`/);
    assert.equal(models.parseCount, parsed);
    for (const d of models.parseFile(doc.getText(), doc.uri).documents) void d.model.pods;
    assert.equal(models.parseCount, parsed + 1, 'reading the file later parses the edited document once');
  });

  it('answers nothing for documents that are not YAML', () => {
    const f = cursorFixture('hover', 'volume-shared-emptydir.yaml');
    const doc = TextDocument.create('file:///notes.md', 'markdown', 1, f.text);
    const handler = new HoverHandler({ get: () => doc } as unknown as TextDocuments<TextDocument>, new Engine());
    assert.equal(handler.hover({ textDocument: { uri: doc.uri }, position: f.position }), null);
  });
});

import * as assert from 'node:assert/strict';
import type { ServerStats } from '../../shared/src/protocol';
import { STATS_METHOD } from '../../shared/src/protocol';
import { LspClient } from '../support/lsp-client';
import { generateManifest } from '../support/manifests';

// Structural proof of incrementality over the real server (no timing): after an edit inside one
// document of a 200-document file, only that document is parsed and checked again.
describe('incremental validation over stdio', function () {
  this.timeout(30_000);
  let client: LspClient;

  before(async () => {
    client = new LspClient();
    await client.initialize();
  });

  after(async () => {
    await client.shutdown();
  });

  const stats = (): Promise<ServerStats> => client.connection.sendRequest<ServerStats>(STATS_METHOD);

  it('re-parses and re-checks only the edited document of a 200-document file', async () => {
    let { text, documents } = generateManifest(1);
    while (documents < 200) ({ text, documents } = generateManifest(text.split('\n').length * 2));
    const docs = text.split(/^---\n/m);
    text = docs.slice(0, 200).join('---\n');
    const uri = 'file:///tmp/two-hundred.yaml';
    const before = await stats();
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, undefined, 1);
    assert.ok(
      first.some((d) => d.code === 'port-conflict'),
      'the generated clashes are found',
    );
    const opened = await stats();
    assert.equal(opened.parseCount - before.parseCount, 200);
    assert.equal(opened.checkCount - before.checkCount, 200);

    // type into the name of the 101st workload
    const target = text.indexOf('name: ', docs.slice(0, 100).join('---\n').length + 4) + 'name: '.length;
    const line = text.slice(0, target).split('\n').length - 1;
    const character = target - text.lastIndexOf('\n', target - 1) - 1;
    for (let version = 2; version <= 4; version++) {
      await client.change(uri, version, [
        { range: { start: { line, character }, end: { line, character } }, text: 'x' },
      ]);
      await client.waitForDiagnostics(uri, undefined, version);
    }
    const edited = await stats();
    assert.equal(edited.parseCount - opened.parseCount, 3, 'one document parsed per keystroke');
    assert.equal(edited.checkCount - opened.checkCount, 3, 'one document checked per keystroke');
    assert.ok(edited.diagnosticsLatencies.length >= 4, 'the server timed each publication');
    // closed: the next file's documents that are written the same are parsed for it again
    await client.close(uri);
  });

  it('keeps answering while a 5 MB file is checked, and drops the check when the file changes', async () => {
    const { text, documents } = generateManifest(220_000);
    assert.ok(text.length >= 5 * 2 ** 20, `${text.length} characters`);
    const uri = 'file:///tmp/five-megabytes.yaml';
    const events: string[] = [];
    const before = await stats();
    await client.open(uri, text);
    // a request sent right after the open is answered between two slices of the check, before
    // the diagnostics are published
    const answered = stats().then(() => events.push('answered'));
    const checked = client.waitForDiagnostics(uri, undefined, 1, 120_000).then(() => events.push('published'));
    await Promise.all([answered, checked]);
    assert.deepEqual(events, ['answered', 'published']);

    // an edit while the next check runs: the stale check is abandoned, the new version is published
    const line = 3;
    await client.change(uri, 2, [{ range: { start: { line, character: 8 }, end: { line, character: 8 } }, text: 'y' }]);
    await client.change(uri, 3, [{ range: { start: { line, character: 8 }, end: { line, character: 8 } }, text: 'z' }]);
    const last = await client.waitForDiagnostics(uri, undefined, 3, 120_000);
    assert.ok(last.length > 0);
    const after = await stats();
    const parsed = after.parseCount - before.parseCount;
    // (the 200-document file above, whose documents are this one's first, was closed: none is held)
    assert.ok(
      parsed >= documents && parsed <= documents + 2,
      `${parsed} parses: each document once, then the edited one`,
    );
  });
});

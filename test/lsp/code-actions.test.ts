import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import { LspClient } from '../support/lsp-client';

const POD = `apiVersion: v2
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      resources: {requests: {memory: 64Mi}}
      volumeMounts:
        - name: data
          mountPath: /data
`;

interface Opened {
  uri: string;
  doc: TextDocument;
  diagnostics: Diagnostic[];
}

describe('code actions over stdio', function () {
  let client: LspClient;
  afterEach(async () => {
    await client.shutdown();
  });

  async function start(folders: string[] = []): Promise<void> {
    client = new LspClient();
    const init = (await client.initialize(folders)) as {
      capabilities: { codeActionProvider?: { codeActionKinds?: string[] } };
    };
    assert.deepEqual(init.capabilities.codeActionProvider?.codeActionKinds, ['quickfix', 'source.fixAll.sidecarPods']);
  }

  async function open(uri: string, text: string): Promise<Opened> {
    await client.open(uri, text, 1);
    const diagnostics = await client.waitForDiagnostics(uri, undefined, 1);
    return { uri, doc: TextDocument.create(uri, 'yaml', 1, text), diagnostics };
  }

  function actions(o: Opened, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const end = o.doc.positionAt(o.doc.getText().length);
    return client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: o.uri },
      range: { start: { line: 0, character: 0 }, end },
      context: only ? { diagnostics, only } : { diagnostics },
    });
  }

  /** Applies an action's versioned edit as the editor would, and sends the change. */
  async function apply(o: Opened, action: CodeAction, version: number): Promise<Diagnostic[]> {
    const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change, JSON.stringify(action));
    assert.equal(change.textDocument.version, o.doc.version, 'the edit is for the version it was computed on');
    const text = TextDocument.applyEdits(o.doc, change.edits as never);
    o.doc = TextDocument.create(o.uri, 'yaml', version, text);
    await client.change(o.uri, version, [{ text }]);
    return client.waitForDiagnostics(o.uri, undefined, version);
  }

  it('offers the quick fixes of a diagnostic and applies them', async () => {
    await start();
    const o = await open('file:///tmp/quickfix.yaml', POD);
    const mount = o.diagnostics.find((d) => d.code === 'missing-volume')!;
    const got = await actions(o, [mount]);
    assert.deepEqual(
      got.map((a) => [a.title, a.kind, a.isPreferred === true]),
      [
        ['Add an emptyDir volume "data"', 'quickfix', true],
        ['Disable missing-volume for this line', 'quickfix', false],
      ],
    );
    assert.deepEqual(
      got[0]!.diagnostics?.map((d) => d.code),
      ['missing-volume'],
    );
    const after = await apply(o, got[0]!, 2);
    assert.deepEqual(
      after.map((d) => d.code),
      ['api-version'],
    );
  });

  it('fixes every safe problem at once for source.fixAll.sidecarPods', async () => {
    await start();
    const o = await open(
      'file:///tmp/fixall.yaml',
      POD.replace('image: nginx:1.27', 'image: nginx:1.27\n      stdin: yes'),
    );
    assert.deepEqual(
      o.diagnostics.map((d) => d.code),
      ['api-version', 'schema', 'missing-volume'],
    );
    const [fixAll, ...rest] = await actions(o, [], ['source.fixAll.sidecarPods']);
    assert.equal(rest.length, 0);
    assert.equal(fixAll!.kind, 'source.fixAll.sidecarPods');
    const after = await apply(o, fixAll!, 2);
    // the apiVersion typo and `yes` are fixed; which volume "data" should be is the user's call
    assert.deepEqual(
      after.map((d) => d.code),
      ['missing-volume'],
    );
    assert.match(o.doc.getText(), /^apiVersion: v1\n[\s\S]*stdin: true\n/);
  });

  it('parses and checks nothing where the request carries none of our diagnostics', async () => {
    await start();
    // two documents: the first check lets go of their syntax trees, so a parse shows in the count
    const o = await open('file:///tmp/two.yaml', `${POD}---\n${POD}`);
    const stats = async (): Promise<number> =>
      (await client.connection.sendRequest<ServerStats>(STATS_METHOD)).parseCount;
    const before = await stats();
    const foreign = { ...o.diagnostics[0]!, source: 'another-linter' };
    assert.deepEqual(await actions(o, []), []);
    assert.deepEqual(await actions(o, [foreign]), []);
    assert.equal(await stats(), before, 'nothing parsed');
    // with one of ours, the documents in the range are parsed again for their fixes
    assert.ok((await actions(o, [o.diagnostics[0]!])).length > 0);
    assert.equal(await stats(), before + 2);
  });

  it('gives no fixes for diagnostics of an older version of the document', async () => {
    await start();
    const o = await open('file:///tmp/stale.yaml', POD);
    const old = o.diagnostics;
    // an edit below every finding: the old diagnostics still point at the right text, only their
    // version tells that they are stale
    await client.change(o.uri, 2, [{ text: `${POD}# edited\n` }]);
    const fresh = await client.waitForDiagnostics(o.uri, undefined, 2);
    o.doc = TextDocument.create(o.uri, 'yaml', 2, `${POD}# edited\n`);
    assert.deepEqual(await actions(o, old), []);
    assert.deepEqual(
      fresh.map((d) => d.range),
      old.map((d) => d.range),
    );
    assert.ok((await actions(o, fresh)).length > 0);
  });

  it('honours suppression comments and offers to add them', async () => {
    await start();
    const o = await open('file:///tmp/suppress.yaml', `# sidecar-pods-disable api-version\n${POD}`);
    assert.deepEqual(
      o.diagnostics.map((d) => d.code),
      ['missing-volume'],
    );
    const disable = (await actions(o, o.diagnostics)).find((a) => a.title === 'Disable missing-volume for this line')!;
    assert.deepEqual(await apply(o, disable, 2), []);
    assert.match(o.doc.getText(), /\n {8}# sidecar-pods-disable-next-line missing-volume\n {8}- name: data\n/);
  });

  it('reads .sidecar-pods.yaml of the workspace folder and applies its changes without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-lsp-config-'));
    const folder = pathToFileURL(dir).href;
    const podPath = join(dir, 'pod.yaml');
    const configPath = join(dir, '.sidecar-pods.yaml');
    writeFileSync(podPath, POD);
    await start([folder]);
    // the watcher is registered after `initialized`, asynchronously
    const watches = (): boolean =>
      client.registrations.some(
        (r) =>
          r.method === 'workspace/didChangeWatchedFiles' &&
          JSON.stringify(r.registerOptions).includes('**/.sidecar-pods.yaml'),
      );
    for (let i = 0; i < 100 && !watches(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(watches(), JSON.stringify(client.registrations));
    const uri = pathToFileURL(podPath).href;
    await client.open(uri, POD);
    await client.waitForDiagnostics(uri, (d) => d.length === 2);

    const changed = async (ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> => {
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: pathToFileURL(configPath).href, type: 2 }],
      });
      return client.waitForDiagnostics(uri, ok);
    };
    writeFileSync(configPath, 'rules:\n  missing-volume: "off"\n  api-version: info\n');
    const quiet = await changed((d) => d.length === 1);
    assert.deepEqual(
      quiet.map((d) => [d.code, d.severity]),
      [['api-version', 3]],
    );
    // the file's word beats the editor's setting for the same rule
    client.settings = { rules: { 'api-version': 'error', 'missing-volume': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // a new version is checked with the settings as they are now
    await client.change(uri, 2, [{ text: POD }]);
    assert.deepEqual(
      (await client.waitForDiagnostics(uri, undefined, 2)).map((d) => [d.code, d.severity]),
      [['api-version', 3]],
    );
    writeFileSync(configPath, 'ignore:\n  - "*.yaml"\n');
    await changed((d) => d.length === 0);

    // a broken config: the server keeps going, and the open config file shows what is wrong
    const broken = 'rules:\n  missing-volume: loud\n';
    writeFileSync(configPath, broken);
    const back = await changed((d) => d.length === 2);
    assert.deepEqual(
      back.map((d) => d.code),
      ['api-version', 'missing-volume'],
    );
    const configUri = pathToFileURL(configPath).href;
    await client.open(configUri, broken);
    const problems = await client.waitForDiagnostics(configUri, (d) => d.length > 0);
    assert.deepEqual(
      problems.map((d) => [d.range.start.line, d.severity, d.message]),
      [[1, 1, 'rules.missing-volume: expected off, info, warning or error']],
    );
  });
});

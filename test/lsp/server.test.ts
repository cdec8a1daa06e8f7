import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, read } from '../support/lint';
import { LspClient } from '../support/lsp-client';

const uriOf = (p: string): string => pathToFileURL(p).href;

describe('language server over stdio', function () {
  let client: LspClient;

  beforeEach(async () => {
    client = new LspClient();
    await client.initialize();
  });
  afterEach(async () => {
    await client.shutdown();
  });

  it('publishes diagnostics with rule codes, source and related information', async () => {
    const file = join(FIXTURES, 'rules', 'port-conflict', 'invalid', 'two-containers.yaml');
    await client.open(uriOf(file), read(file));
    const diags = await client.waitForDiagnostics(uriOf(file), (d) => d.length > 0);
    const conflict = diags.find((d) => d.code === 'port-conflict');
    assert.ok(conflict, JSON.stringify(diags));
    assert.equal(conflict.source, 'sidecar-pods');
    assert.equal(conflict.range.start.line, 17);
    assert.equal(conflict.relatedInformation?.[0]?.location.range.start.line, 11);
    assert.match(conflict.codeDescription?.href ?? '', /^https:/);
  });

  it('applies incremental edits and republishes for the new version', async () => {
    const uri = 'file:///tmp/edit.yaml';
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      resources: {limits: {memory: 64Mi}}\n      volumeMounts:\n        - name: data\n          mountPath: /data\n';
    await client.open(uri, text);
    const before = await client.waitForDiagnostics(uri, undefined, 1);
    assert.deepEqual(
      before.map((d) => d.code),
      ['missing-volume'],
    );
    // add the volume at the end: an incremental change
    await client.change(uri, 2, [
      {
        range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } },
        text: '  volumes:\n    - name: data\n      emptyDir: {}\n',
      },
    ]);
    const after = await client.waitForDiagnostics(uri, undefined, 2);
    assert.deepEqual(after, []);
    // a full-text change (no range) is accepted too
    await client.change(uri, 3, [{ text: text.replace('name: data', 'name: logs') }]);
    const full = await client.waitForDiagnostics(uri, undefined, 3);
    assert.deepEqual(
      full.map((d) => d.code),
      ['missing-volume'],
    );
  });

  it('reads settings through workspace/configuration and applies changes without a restart', async () => {
    const file = join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'mount.yaml');
    await client.open(uriOf(file), read(file));
    await client.waitForDiagnostics(uriOf(file), (d) => d.some((x) => x.code === 'missing-volume'));
    client.settings = { rules: { 'missing-volume': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const after = await client.waitForDiagnostics(uriOf(file), (d) => !d.some((x) => x.code === 'missing-volume'));
    // the shipper is also a classic sidecar (info), which these settings leave alone
    assert.deepEqual(
      after.map((d) => d.code),
      ['classic-sidecar'],
    );
    client.settings = { rules: { 'missing-volume': 'warning' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const warned = await client.waitForDiagnostics(uriOf(file), (d) => d.some((x) => x.code === 'missing-volume'));
    assert.deepEqual(
      warned.map((d) => [d.code, d.severity]),
      [
        ['missing-volume', 2],
        ['classic-sidecar', 3],
        ['missing-volume', 2],
      ],
    );
  });

  it('uses the target Kubernetes version from settings', async () => {
    const uri = 'file:///tmp/cron.yaml';
    const text =
      'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox:1.36\n              resources: {limits: {memory: 64Mi}}\n';
    client.settings = { kubernetesVersion: '1.24' };
    await client.open(uri, text);
    const old = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      old.map((d) => [d.code, d.severity]),
      [['api-version', 2]],
    );
    client.settings = { kubernetesVersion: '1.30' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const removed = await client.waitForDiagnostics(uri, (d) => d[0]?.severity === 1);
    assert.match(String(removed[0]!.message), /removed in Kubernetes 1\.25/);
  });

  it('says nothing about YAML that is not Kubernetes', async () => {
    const uri = 'file:///tmp/.github/workflows/ci.yml';
    await client.open(uri, 'on: [push\njobs:\n  build:\n    runs-on: ubuntu-latest\n');
    assert.deepEqual(await client.waitForDiagnostics(uri), []);
  });

  it('leaves documents that are not YAML alone', async () => {
    const pod = read(join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'mount.yaml'));
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///tmp/notes.md', languageId: 'markdown', version: 1, text: pod },
    });
    // a YAML document opened afterwards is answered, so the markdown one was seen and passed over
    await client.open('file:///tmp/after.yaml', pod);
    await client.waitForDiagnostics('file:///tmp/after.yaml', (d) => d.length > 0);
    assert.equal(client.published('file:///tmp/notes.md'), undefined);
  });

  it('clears diagnostics when a document closes', async () => {
    const file = join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'mount.yaml');
    await client.open(uriOf(file), read(file));
    await client.waitForDiagnostics(uriOf(file), (d) => d.length > 0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
    assert.deepEqual(await client.waitForDiagnostics(uriOf(file), (d) => d.length === 0), []);
  });
});

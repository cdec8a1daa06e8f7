import * as assert from 'node:assert/strict';
import type { ResponseError } from 'vscode-jsonrpc';
import type { DocumentSymbol, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { cursorFixture, type CursorFixture } from '../support/cursor';
import { LspClient } from '../support/lsp-client';

const lines = (locations: readonly { range: Range }[] | null): number[] =>
  (locations ?? []).map((l) => l.range.start.line);

describe('navigation over stdio', function () {
  let client: LspClient;

  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
  });

  async function request<T>(method: string, fixture: CursorFixture, extra: object = {}): Promise<T> {
    await client.open(fixture.uri, fixture.text);
    return client.connection.sendRequest<T>(method, {
      textDocument: { uri: fixture.uri },
      position: fixture.position,
      ...extra,
    });
  }

  it('advertises the features it serves; prepareRename to clients that support it', async () => {
    for (const prepareSupport of [false, true]) {
      const other = new LspClient();
      try {
        const init = await other.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
          processId: process.pid,
          rootUri: null,
          capabilities: { textDocument: { rename: { prepareSupport } } },
        });
        assert.equal(init.capabilities.hoverProvider, true);
        assert.equal(init.capabilities.documentSymbolProvider, true);
        assert.equal(init.capabilities.definitionProvider, true);
        assert.equal(init.capabilities.referencesProvider, true);
        assert.deepEqual(init.capabilities.renameProvider, prepareSupport ? { prepareProvider: true } : true);
      } finally {
        await other.shutdown();
      }
    }
  });

  it("goes from a mount's name to its volume", async () => {
    const f = cursorFixture('navigation', 'definition-mount.yaml');
    const found = await request<Location[]>('textDocument/definition', f);
    assert.deepEqual(lines(found), [f.lineOf('- name: config', 2)]);
    assert.equal(found[0]!.uri, f.uri);
    // the range is the name itself
    assert.deepEqual(
      found[0]!.range.start.character,
      f.text.split('\n')[found[0]!.range.start.line]!.indexOf('config'),
    );
  });

  it("goes from a probe's named port to the port", async () => {
    const f = cursorFixture('navigation', 'definition-probe-port.yaml');
    const found = await request<Location[]>('textDocument/definition', f);
    assert.deepEqual(lines(found), [f.lineOf('- name: metrics')]);
  });

  it('finds a volume and every mount of it in its pod, not in other pods of the file', async () => {
    const f = cursorFixture('navigation', 'references-volume.yaml');
    const all = await request<Location[]>('textDocument/references', f, { context: { includeDeclaration: true } });
    assert.deepEqual(lines(all), [
      f.lineOf('- name: logs', 1),
      f.lineOf('- name: logs', 2),
      f.lineOf('- name: logs', 3),
    ]);
    const mountsOnly = await request<Location[]>('textDocument/references', f, {
      context: { includeDeclaration: false },
    });
    assert.deepEqual(lines(mountsOnly), [f.lineOf('- name: logs', 1), f.lineOf('- name: logs', 2)]);
  });

  it('renames a volume with all its mounts, keeping quotes', async () => {
    const f = cursorFixture('navigation', 'rename-volume.yaml');
    const prepared = await request<{ range: Range; placeholder: string }>('textDocument/prepareRename', f);
    assert.equal(prepared.placeholder, 'logs');
    assert.equal(prepared.range.start.line, f.position.line);
    const edit = await request<WorkspaceEdit>('textDocument/rename', f, { newName: 'app-logs' });
    const edits: TextEdit[] = edit.changes![f.uri]!;
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.newText]),
      [
        [f.lineOf('- name: logs', 1), 'app-logs'],
        [f.lineOf('- name: "logs"'), '"app-logs"'],
        [f.lineOf('- name: logs', 2), 'app-logs'],
      ],
    );
  });

  it('refuses a new name that is not a DNS label, saying why', async () => {
    const f = cursorFixture('navigation', 'rename-volume.yaml');
    await assert.rejects(request('textDocument/rename', f, { newName: 'App_Logs' }), (e: ResponseError<unknown>) =>
      /"App_Logs" is not a valid volume name: .*DNS label/.test(e.message),
    );
  });

  it('refuses a name another volume of the pod already has', async () => {
    const f = cursorFixture('navigation', 'rename-volume.yaml');
    await assert.rejects(request('textDocument/rename', f, { newName: 'config' }), (e: ResponseError<unknown>) =>
      /already has a volume named "config"/.test(e.message),
    );
  });

  it('refuses to rename anything but a volume, saying what can be renamed', async () => {
    const f = cursorFixture('navigation', 'rename-refused.yaml');
    await assert.rejects(request('textDocument/prepareRename', f), (e: ResponseError<unknown>) =>
      /Only a volume name can be renamed here/.test(e.message),
    );
    await assert.rejects(request('textDocument/rename', f, { newName: 'x' }), /Only a volume name/);
  });

  it('outlines workload > pod template > containers by role, volumes; one entry per pod document', async () => {
    const f = cursorFixture('navigation', 'references-volume.yaml');
    await client.open(f.uri, f.text);
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: f.uri },
    });
    const tree = (s: DocumentSymbol): unknown =>
      s.children?.length ? { [s.name]: s.children.map(tree) } : s.detail ? `${s.name} (${s.detail})` : s.name;
    assert.deepEqual(symbols.map(tree), [
      {
        'Deployment web': [
          {
            'pod template': [
              { 'init containers': ['migrate (example/migrate:1.0)'] },
              { 'native sidecars': ['log-shipper (cr.fluentbit.io/fluent/fluent-bit:3.1.4)'] },
              { containers: ['app (nginx:1.27)'] },
              { volumes: ['logs (emptyDir)', 'config (configMap)'] },
            ],
          },
        ],
      },
      { 'Pod other': [{ containers: ['app (nginx:1.27)'] }, { volumes: ['logs (emptyDir)'] }] },
    ]);
    // each symbol's selection is inside its range, as clients require
    const inside = (s: DocumentSymbol): void => {
      const before = (a: Range['start'], b: Range['start']): boolean =>
        a.line < b.line || (a.line === b.line && a.character <= b.character);
      assert.ok(before(s.range.start, s.selectionRange.start) && before(s.selectionRange.end, s.range.end), s.name);
      s.children?.forEach(inside);
    };
    symbols.forEach(inside);
    assert.equal(symbols[1]!.range.start.line, f.lineOf('kind: Pod') - 1);
  });
});

// The editor's side of the set rules: the workspace is indexed, the set is checked when a file of
// it changes on disk or in an editor, each open file gets the set findings made on its current
// text, and only the open files whose set findings changed are published again.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { Engine, type SetRule } from '../../server/src/engine';
import { ConfigStore } from '../../server/src/lsp/config-store';
import { SettingsStore } from '../../server/src/lsp/settings-store';
import { WorkspaceSet } from '../../server/src/lsp/workspace-set';
import { platform } from '../../server/src/platform/node';
import { NODE_INDEX_FS } from '../../server/src/workspace/node-index-fs';

/** On each Service's `kind:` line: how many pod documents the whole set holds. */
const podCount: SetRule = {
  meta: {
    id: 'pod-count',
    description: 'test rule',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'https://example.invalid',
  },
  scope: 'set',
  check(members, ctx) {
    const pods = members.reduce((n, m) => n + m.file.documents.filter((d) => d.model.isPodDocument).length, 0);
    for (const m of members) {
      const at = m.file.text.indexOf('kind: Service');
      if (at >= 0) ctx.report(m.key, { range: { start: at, end: at + 13 }, message: `${pods} pod(s) in the set` });
    }
  },
};

const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n';
const pod = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n`;

function fakeConnection(excludes: Record<string, unknown> = {}): Connection {
  const quiet = (): void => undefined;
  return {
    console: { info: quiet, error: quiet, warn: quiet, log: quiet },
    workspace: { getConfiguration: async (item: { section: string }) => excludes[item.section] ?? null },
    window: { showWarningMessage: quiet },
  } as unknown as Connection;
}

async function until(what: string, holds: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (holds()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting until ${what}`);
}

describe('workspace set (editor)', () => {
  let root: string;
  const uri = (rel: string): string => pathToFileURL(join(root, rel)).href;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sidecar-set-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function make(open: Set<string>, excludes?: Record<string, unknown>): { set: WorkspaceSet; republished: string[] } {
    const connection = fakeConnection(excludes);
    const engine = new Engine({ rules: [podCount], config: { live: true } });
    const settings = new SettingsStore(connection, () => false);
    const republished: string[] = [];
    const set = new WorkspaceSet(
      connection,
      engine,
      new ConfigStore(engine, settings, platform),
      settings,
      (u) => republished.push(u),
      (u) => open.has(u),
      { fs: NODE_INDEX_FS, pathOf: NODE_INDEX_FS.pathOf },
    );
    return { set, republished };
  }

  it('reads the files on disk: an open Service counts the pods of files never opened', async () => {
    writeFileSync(join(root, 'svc.yaml'), service);
    writeFileSync(join(root, 'a.yaml'), pod('a'));
    writeFileSync(join(root, 'b.yaml'), pod('b'));
    const open = new Set([uri('svc.yaml')]);
    const { set, republished } = make(open);
    set.opened(uri('svc.yaml'), service);
    await set.start([pathToFileURL(root).href]);
    await until('the Service is published', () => republished.includes(uri('svc.yaml')));
    assert.deepEqual(
      set.findingsOf(uri('svc.yaml'), service).map((f) => f.message),
      ['2 pod(s) in the set'],
    );
    assert.deepEqual(set.findingsOf(uri('svc.yaml'), service + '# typed\n'), [], 'not for another text');
  });

  it('a file changed on disk re-publishes only the open files whose set findings changed', async () => {
    writeFileSync(join(root, 'svc.yaml'), service);
    writeFileSync(join(root, 'a.yaml'), pod('a'));
    const open = new Set([uri('svc.yaml'), uri('a.yaml')]);
    const { set, republished } = make(open);
    set.opened(uri('svc.yaml'), service);
    set.opened(uri('a.yaml'), pod('a'));
    await set.start([pathToFileURL(root).href]);
    await until('first check', () => republished.includes(uri('svc.yaml')));
    republished.length = 0;
    writeFileSync(join(root, 'c.yaml'), pod('c'));
    await set.fileEvents([{ uri: uri('c.yaml'), type: FileChangeType.Created }]);
    await until('the Service is published again', () => republished.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(republished, [uri('svc.yaml')], 'the pod file a.yaml has no set finding that changed');
    assert.equal(set.findingsOf(uri('svc.yaml'), service)[0].message, '2 pod(s) in the set');
  });

  it('typing in an open file re-checks the set on its text', async () => {
    writeFileSync(join(root, 'svc.yaml'), service);
    const open = new Set([uri('svc.yaml'), uri('new.yaml')]);
    const { set } = make(open);
    set.opened(uri('svc.yaml'), service);
    await set.start([pathToFileURL(root).href]);
    await until('first check', () => set.findingsOf(uri('svc.yaml'), service).length === 1);
    assert.equal(set.findingsOf(uri('svc.yaml'), service)[0].message, '0 pod(s) in the set');
    // an unsaved file: in the editor only
    set.opened(uri('new.yaml'), pod('n'));
    await until(
      'the typed pod counts',
      () => set.findingsOf(uri('svc.yaml'), service)[0]?.message === '1 pod(s) in the set',
    );
    await set.closed(uri('new.yaml'));
    await until(
      'closed unsaved: gone from the set',
      () => set.findingsOf(uri('svc.yaml'), service)[0]?.message === '0 pod(s) in the set',
    );
  });

  it("honours the editor's files.exclude and search.exclude, and never reads node_modules", async () => {
    writeFileSync(join(root, 'svc.yaml'), service);
    for (const dir of ['gen', 'vendor', 'node_modules']) {
      rmSync(join(root, dir), { recursive: true, force: true });
      mkdirSync(join(root, dir));
      writeFileSync(join(root, dir, 'p.yaml'), pod(dir));
    }
    const open = new Set([uri('svc.yaml')]);
    const { set } = make(open, {
      'files.exclude': { '**/gen': true },
      'search.exclude': { vendor: true, '**/x': false },
    });
    set.opened(uri('svc.yaml'), service);
    await set.start([pathToFileURL(root).href]);
    await until('first check', () => set.findingsOf(uri('svc.yaml'), service).length === 1);
    assert.equal(set.findingsOf(uri('svc.yaml'), service)[0].message, '0 pod(s) in the set');
    assert.equal(set.index.size, 1);
  });

  it('a config file created on disk applies to the files on disk at the next check', async () => {
    writeFileSync(join(root, 'svc.yaml'), service);
    writeFileSync(join(root, 'a.yaml'), pod('a'));
    const open = new Set([uri('svc.yaml')]);
    const { set } = make(open);
    set.opened(uri('svc.yaml'), service);
    await set.start([pathToFileURL(root).href]);
    await until('first check', () => set.findingsOf(uri('svc.yaml'), service)[0]?.message === '1 pod(s) in the set');
    writeFileSync(join(root, '.sidecar-pods.yaml'), 'ignore:\n  - a.yaml\n');
    await set.fileEvents([{ uri: uri('.sidecar-pods.yaml'), type: FileChangeType.Created }]);
    await until(
      'a.yaml is ignored',
      () => set.findingsOf(uri('svc.yaml'), service)[0]?.message === '0 pod(s) in the set',
    );
  });

  it('typing in an open file without set findings publishes nothing more', async () => {
    writeFileSync(join(root, 'a.yaml'), pod('a'));
    const open = new Set([uri('a.yaml')]);
    const { set, republished } = make(open);
    set.opened(uri('a.yaml'), pod('a'));
    await set.start([pathToFileURL(root).href]);
    for (let i = 0; i < 5; i++) {
      set.opened(uri('a.yaml'), pod('a') + '#'.repeat(i + 1) + '\n');
      await new Promise((r) => setTimeout(r, 40));
    }
    assert.deepEqual(republished, []);
  });
});

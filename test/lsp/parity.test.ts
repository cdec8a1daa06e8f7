// The editor and the CLI run one engine: on the same files they must give the same findings (rule,
// line, severity), under the same config files and the same size policy. The editor here is the
// built server over stdio, the CLI the built bundle, each as a user runs it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { RULES } from '../../server/src/rules';
import { LspClient } from '../support/lsp-client';
import { findRenderer } from '../../server/src/workspace/render';
import { FIXTURES, fixtureSettings, listYaml, read, REPO } from '../support/lint';

const CLI = join(REPO, 'bin', 'sidecar-pods.js');
const KUBECTL = findRenderer('kubectl');
const SET_RULES = new Set(RULES.filter((r) => r.scope === 'set').map((r) => r.meta.id));
const SEVERITY = ['', 'error', 'warning', 'info'];

/** `file:line:severity:rule`, sorted: what both sides must agree on. */
type Key = string;

function cliFindings(args: string[], cwd = REPO): Map<string, Key[]> {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.ok(r.status === 0 || r.status === 1, `CLI exit ${r.status}: ${r.stderr}`);
  const byFile = new Map<string, Key[]>();
  for (const f of JSON.parse(r.stdout) as { file: string; line: number; severity: string; rule: string }[]) {
    const list = byFile.get(f.file) ?? [];
    list.push(`${f.line}:${f.severity}:${f.rule}`);
    byFile.set(f.file, list);
  }
  for (const list of byFile.values()) list.sort();
  return byFile;
}

function editorKeys(diagnostics: Diagnostic[]): Key[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${SEVERITY[d.severity ?? 1]}:${String(d.code)}`).sort();
}

/**
 * Opens each file in a fresh server and collects what it publishes for version 1. With `expected`
 * (the CLI's findings), a file's diagnostics may take a later publication to agree: a rendered
 * kustomize overlay's findings come when its render is done, after the document's own.
 */
async function editorFindings(
  files: string[],
  settings: Record<string, unknown> = {},
  expected?: Map<string, Key[]>,
): Promise<Map<string, Key[]>> {
  const client = new LspClient();
  client.settings = settings;
  try {
    await client.initialize();
    const out = new Map<string, Key[]>();
    for (const file of files) await client.open(pathToFileURL(file).href, read(file));
    for (const file of files) {
      const uri = pathToFileURL(file).href;
      const first = await client.waitForDiagnostics(uri, () => true, 1);
      let keys = editorKeys(first);
      const want = JSON.stringify(expected?.get(file) ?? []);
      if (expected && JSON.stringify(keys) !== want) {
        try {
          keys = editorKeys(
            await client.waitForDiagnostics(uri, (ds) => JSON.stringify(editorKeys(ds)) === want, 1, 20_000),
          );
        } catch {
          keys = editorKeys(client.published(uri)?.diagnostics ?? []);
        }
      }
      out.set(file, keys);
    }
    return out;
  } finally {
    await client.shutdown();
  }
}

describe('the editor and the CLI agree', function () {
  this.timeout(120_000);

  it('give the same findings (rule, line, severity) on every rule fixture', async () => {
    const dirs = readdirSync(join(FIXTURES, 'rules'));
    const files = dirs.flatMap((id) => ['valid', 'invalid'].flatMap((k) => listYaml(join(FIXTURES, 'rules', id, k))));
    assert.ok(files.length > 60, `${files.length} fixtures`);
    // fixtures that ask for a Kubernetes version are checked at it on both sides
    const byVersion = new Map<string, string[]>();
    for (const f of files) {
      const v = fixtureSettings(read(f)).kubernetesVersion ?? '';
      byVersion.set(v, [...(byVersion.get(v) ?? []), f]);
    }
    let compared = 0;
    let withFindings = 0;
    let setFindings = 0;
    for (const [version, group] of byVersion) {
      const cli = cliFindings([...(version ? ['--kubernetes-version', version] : []), ...group]);
      const editor = await editorFindings(group, version ? { kubernetesVersion: version } : {}, cli);
      for (const f of group) {
        assert.deepEqual(editor.get(f), cli.get(f) ?? [], f);
        compared++;
        if ((cli.get(f) ?? []).length > 0) withFindings++;
        setFindings += (cli.get(f) ?? []).filter((k) => SET_RULES.has(k.split(':')[2]!)).length;
      }
    }
    assert.equal(compared, files.length);
    // the files given to the CLI are one set, and so are the documents open in the editor
    assert.ok(setFindings >= 10, `only ${setFindings} findings of set rules were compared`);
    assert.ok(withFindings > 30, `only ${withFindings} fixtures had findings: the comparison would say little`);
  });

  describe('on a project with a nested config file', () => {
    let root: string;
    const portClash = join(FIXTURES, 'rules', 'port-conflict', 'invalid', 'two-containers.yaml');

    before(() => {
      root = mkdtempSync(join(tmpdir(), 'sp-parity-'));
      mkdirSync(join(root, 'team', 'apps'), { recursive: true });
      writeFileSync(join(root, '.sidecar-pods.yaml'), 'rules:\n  classic-sidecar: "off"\n');
      writeFileSync(join(root, 'team', '.sidecar-pods.yaml'), 'rules:\n  port-conflict: "off"\n');
      copyFileSync(portClash, join(root, 'pod.yaml'));
      copyFileSync(portClash, join(root, 'team', 'apps', 'pod.yaml'));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('the nearest config file rules each file, in both', async () => {
      const files = [join(root, 'pod.yaml'), join(root, 'team', 'apps', 'pod.yaml')];
      const cli = cliFindings([root], root);
      const editor = await editorFindings(files);
      const rules = (keys: Key[] | undefined): string[] => [...new Set((keys ?? []).map((k) => k.split(':')[2]!))];
      // the root file: port-conflict on, classic-sidecar off (the root config)
      assert.deepEqual(rules(cli.get(files[0]!)), ['port-conflict']);
      // team/: its own config turns port-conflict off; the root's does not apply there (nearest wins)
      assert.deepEqual(
        rules(cli.get(files[1]!)),
        ['classic-sidecar'],
        'team/.sidecar-pods.yaml replaces the root config',
      );
      for (const f of files) assert.deepEqual(editor.get(f), cli.get(f) ?? [], f);
    });

    it('the editor applies a changed nested config file to the open document', async () => {
      const client = new LspClient();
      try {
        await client.initialize([pathToFileURL(root).href]);
        const uri = pathToFileURL(join(root, 'team', 'apps', 'pod.yaml')).href;
        await client.open(uri, read(portClash));
        const before = await client.waitForDiagnostics(uri, () => true, 1);
        assert.ok(!before.some((d) => d.code === 'port-conflict'));
        writeFileSync(join(root, 'team', '.sidecar-pods.yaml'), 'rules:\n  port-conflict: error\n');
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
          changes: [{ uri: pathToFileURL(join(root, 'team', '.sidecar-pods.yaml')).href, type: 2 }],
        });
        const after = await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'port-conflict'));
        assert.ok(
          after.some((d) => d.code === 'port-conflict' && d.severity === 1),
          'now an error',
        );
      } finally {
        await client.shutdown();
        writeFileSync(join(root, 'team', '.sidecar-pods.yaml'), 'rules:\n  port-conflict: "off"\n');
      }
    });
  });

  it('read a kustomize patch as the partial object it is, in both', async () => {
    const dir = join(FIXTURES, 'kustomize');
    const patches = join(dir, 'app', 'overlays', 'prod', 'patches');
    const files = [join(patches, 'log-shipper.yaml'), join(patches, 'mistake.yaml'), join(dir, 'not-a-patch.yaml')];
    // the files as written, not rendered (the next test renders them)
    const cli = cliFindings(['--kustomize-renderer', 'off', ...files]);
    const editor = await editorFindings(files, { kustomizeRenderer: 'off' });
    for (const f of files) assert.deepEqual(editor.get(f), cli.get(f) ?? [], f);
    // the native sidecar a patch adds: no missing selector or containers, no missing volume (the
    // base has it), no memory request (the base's containers are not in the patch)
    assert.deepEqual(cli.get(files[0]!) ?? [], []);
    // what a patch writes is still checked
    assert.deepEqual(cli.get(files[1]!), ['12:error:schema', '14:info:classic-sidecar', '20:error:port-conflict']);
    // the same text that no kustomization names is judged whole
    assert.deepEqual(cli.get(files[2]!), [
      '10:warning:resources',
      '14:error:missing-volume',
      '6:error:schema',
      '8:error:schema',
    ]);
  });

  (KUBECTL ? it : it.skip)(
    `check a kustomize overlay as rendered, the same in both${KUBECTL ? '' : ' (skipped: no kubectl on PATH)'}`,
    async () => {
      const app = join(FIXTURES, 'kustomize', 'app');
      const patches = join(app, 'overlays', 'prod', 'patches');
      const files = [
        join(app, 'base', 'deployment.yaml'),
        join(patches, 'log-shipper.yaml'),
        join(patches, 'mistake.yaml'),
        join(app, 'overlays', 'prod', 'kustomization.yaml'),
      ];
      const cli = cliFindings(files);
      // rendered, the containers the patches add have no memory request: on each one's name line
      assert.deepEqual(cli.get(files[1]!), ['10:warning:resources']);
      assert.deepEqual(cli.get(files[2]!), [
        '12:error:schema',
        '13:warning:resources',
        '14:info:classic-sidecar',
        '17:warning:resources',
        '20:error:port-conflict',
      ]);
      assert.deepEqual(cli.get(files[0]!) ?? [], []);
      const editor = await editorFindings(files, {}, cli);
      for (const f of files) assert.deepEqual(editor.get(f), cli.get(f) ?? [], f);
    },
  );

  (KUBECTL ? it : it.skip)(
    `run the set rules on a rendered overlay, the same in both${KUBECTL ? '' : ' (skipped: no kubectl on PATH)'}`,
    async () => {
      const shop = join(FIXTURES, 'kustomize', 'shop');
      const files = [
        join(shop, 'base', 'deployment.yaml'),
        join(shop, 'base', 'kustomization.yaml'),
        join(shop, 'base', 'service.yaml'),
        join(shop, 'overlays', 'prod', 'kustomization.yaml'),
        join(shop, 'overlays', 'prod', 'port-name.yaml'),
      ];
      // the editor's set is its open documents here (no workspace folder): the files given to the CLI
      const cli = cliFindings(files);
      assert.deepEqual(cli.get(files[0]!), ['25:warning:missing-key']);
      assert.deepEqual(cli.get(files[2]!), ['11:error:service-target-port', '13:info:service-target-port']);
      const editor = await editorFindings(files, {}, cli);
      for (const f of files) assert.deepEqual(editor.get(f), cli.get(f) ?? [], f);
    },
  );

  it('leave a file over the size limit alone with one and the same note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-parity-big-'));
    try {
      const big = join(dir, 'big.yaml');
      // 21 MiB of comment lines: over the 20 MiB checked
      writeFileSync(big, `${'#'.repeat(1023)}\n`.repeat(21 * 1024));
      const cli = cliFindings([big], dir);
      const editor = await editorFindings([big]);
      assert.deepEqual(cli.get(big), ['1:info:file-too-large']);
      assert.deepEqual(editor.get(big), cli.get(big));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

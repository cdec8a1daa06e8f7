import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { Engine } from '../../server/src/engine';
import { configLogger, ConfigStore, type DocumentSettings } from '../../server/src/lsp/config-store';
import { SettingsStore } from '../../server/src/lsp/settings-store';
import { platform } from '../../server/src/platform/node';

/** Only the log of the connection is used when settings are not pulled. */
function store(): { configs: ConfigStore; log: string[] } {
  const log: string[] = [];
  const connection = {
    console: { warn: (m: string) => log.push(m), error: (m: string) => log.push(m) },
  } as unknown as Connection;
  // as the server makes it: a live lookup that logs what is wrong in a config file
  const engine = new Engine({ config: { live: true, onLoad: configLogger(connection) } });
  return { configs: new ConfigStore(engine, new SettingsStore(connection, () => false), platform), log };
}

const rules = (s: DocumentSettings): unknown => (s.ignored ? 'ignored' : s.settings.rules);
const uri = (p: string): string => pathToFileURL(p).href;

describe('config store (server)', () => {
  it('uses the config file nearest to the document, as the CLI does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sp-store-'));
    mkdirSync(join(root, 'inner', 'k8s'), { recursive: true });
    writeFileSync(join(root, '.sidecar-pods.yaml'), 'rules:\n  schema: info\n');
    writeFileSync(join(root, 'inner', '.sidecar-pods.yaml'), 'rules:\n  schema: "off"\nignore: [generated/**]\n');
    const { configs } = store();
    assert.deepEqual(rules(await configs.get(uri(join(root, 'pod.yaml')))), { schema: 'info' });
    assert.deepEqual(rules(await configs.get(uri(join(root, 'inner', 'k8s', 'pod.yaml')))), { schema: 'off' });
    assert.equal(rules(await configs.get(uri(join(root, 'inner', 'generated', 'x.yaml')))), 'ignored');
    // the views a user asks for (the diagram) still get the settings of an ignored file
    assert.deepEqual((await configs.settingsFor(uri(join(root, 'inner', 'generated', 'x.yaml')))).rules, {
      schema: 'off',
    });
    // not a file: editor settings only
    assert.deepEqual(rules(await configs.get('untitled:Untitled-1')), {});
    rmSync(join(root, 'inner', '.sidecar-pods.yaml'));
    assert.deepEqual(rules(await configs.get(uri(join(root, 'inner', 'k8s', 'pod.yaml')))), { schema: 'info' });
  });

  it('notices a changed or deleted file by itself, and logs a broken one once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sp-store-'));
    const file = join(root, '.sidecar-pods.yaml');
    const doc = uri(join(root, 'pod.yaml'));
    const { configs, log } = store();
    assert.deepEqual(rules(await configs.get(doc)), {});
    writeFileSync(file, 'rules:\n  schema: warning\n  typo-rule: error\n');
    assert.deepEqual(rules(await configs.get(doc)), { schema: 'warning' });
    await configs.get(doc);
    assert.equal(log.length, 1, log.join('\n'));
    assert.match(log[0]!, /line 3: warning: unknown rule "typo-rule"/);
    writeFileSync(file, 'rules:\n  schema: error\n');
    // same size as before would hide the change from the size; a new mtime still shows it
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(rules(await configs.get(doc)), { schema: 'error' });
    rmSync(file);
    assert.deepEqual(rules(await configs.get(doc)), {});
  });
});

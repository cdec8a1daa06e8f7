// Runs inside a real extension host against the built extension and the real language server,
// with a copy of examples/ as the workspace (the tests change workspace settings).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from '../../../client/src/api';
import { COMMANDS } from '../../../client/src/commands';
import { CACHE_DIR_ENV, SERVER_NODE_FLAGS } from '../../../shared/src/server-flags';
import {
  EXTENSION_ID,
  activateExtension,
  codeOf,
  describeDiagnostics,
  lineOf,
  open,
  typeBurst,
  ours,
  waitFor,
  withCode,
} from './helpers';
import { metrics } from './metrics';

const MISTAKES = 'pod-with-mistakes.yaml';

describe('Sidecar Pods in a real VS Code', function () {
  let api: SidecarPodsTestApi;

  before(async function () {
    this.timeout(120_000);
    api = await activateExtension();
    await api.serverReady;
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('sidecarPods')
      .update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('activates, starts the server and shows it as running', async () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    await waitFor('status running', () => api.status() === 'running');
    assert.ok(api.serverPid(), 'a server process');
    const startupMs = api.startupMs();
    assert.ok(startupMs !== undefined && Number.isFinite(startupMs) && startupMs >= 0, `startup time ${startupMs}`);
    metrics['activationToRunningMs'] = startupMs;
    // started with the Node flags meant for it (where /proc tells a process's command line)
    const cmdline = `/proc/${api.serverPid()}/cmdline`;
    if (existsSync(cmdline)) {
      const args = readFileSync(cmdline, 'utf8').split('\0');
      for (const flag of SERVER_NODE_FLAGS) assert.ok(args.includes(flag), `${flag} in ${args.join(' ')}`);
    }
  });

  it('starts the server through its code-cache loader, which writes a cache to the global storage', async function () {
    const pid = api.serverPid();
    if (!pid || !existsSync(`/proc/${pid}/environ`)) this.skip();
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(
      args.some((a) => a.endsWith('dist/start-server.js')),
      args.join(' '),
    );
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const dir = env.find((e) => e.startsWith(`${CACHE_DIR_ENV}=`))?.slice(CACHE_DIR_ENV.length + 1);
    if (!dir?.endsWith('/code-cache')) assert.fail(`the cache folder: ${dir}`);
    // written 3 s after the server started
    await waitFor(
      'a code cache file',
      () => existsSync(dir) && readdirSync(dir).some((f) => /^server-[0-9a-f]+\.cache$/.test(f)),
      20_000,
    );
  });

  it('registers exactly the commands package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (
      (ext?.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []
    ).map((c) => c.command);
    assert.deepEqual([...contributed].sort(), Object.keys(COMMANDS).sort());
    const registered = await vscode.commands.getCommands(true);
    for (const id of contributed) assert.ok(registered.includes(id), `${id} is registered`);
    await vscode.commands.executeCommand('sidecarPods.showOutput');
  });

  it('reports port-conflict and missing-volume at the right lines', async () => {
    const doc = await open(MISTAKES);
    assert.equal(doc.languageId, 'yaml');
    const port = await waitFor(`port-conflict in ${MISTAKES}`, () => withCode(doc.uri, 'port-conflict')[0]);
    const volume = await waitFor(`missing-volume in ${MISTAKES}`, () => withCode(doc.uri, 'missing-volume')[0]);
    assert.equal(port.range.start.line, lineOf(doc, '# port-conflict'), describeDiagnostics(doc.uri));
    assert.equal(doc.getText(port.range), '8080');
    assert.equal(volume.range.start.line, lineOf(doc, '# missing-volume'), describeDiagnostics(doc.uri));
    assert.equal(doc.getText(volume.range), 'html');
    assert.equal(port.severity, vscode.DiagnosticSeverity.Error);
  });

  it('reports the other deliberate mistakes (duplicate name, schema)', async () => {
    const doc = await open(MISTAKES);
    const dup = await waitFor('duplicate-container-name', () => withCode(doc.uri, 'duplicate-container-name')[0]);
    assert.equal(dup.range.start.line, lineOf(doc, '# duplicate-container-name'));
    const schema = await waitFor('two schema findings', () => {
      const s = withCode(doc.uri, 'schema');
      return s.length >= 2 ? s : undefined;
    });
    const lines = schema.map((d) => d.range.start.line);
    assert.ok(
      lines.includes(lineOf(doc, 'poarts:')),
      `schema lines ${lines.join(',')}: ${describeDiagnostics(doc.uri)}`,
    );
    assert.ok(lines.includes(lineOf(doc, 'containerPort: http')), `schema lines ${lines.join(',')}`);
  });

  it('reports the removed batch/v1beta1 CronJob (api-version)', async () => {
    const doc = await open('cronjob-old-api.yaml');
    const d = await waitFor('api-version', () => withCode(doc.uri, 'api-version')[0]);
    assert.equal(d.range.start.line, lineOf(doc, 'apiVersion: batch/v1beta1'));
  });

  it('stays silent on docker-compose and on the healthy pods', async () => {
    const quiet = ['docker-compose.yml', 'deployment-native-sidecar.yaml', 'job-classic-sidecar.yaml'];
    const docs = [];
    for (const name of quiet) docs.push(await open(name));
    // A positive signal that the server has caught up with the documents opened before it: an
    // untitled Pod (also checks the untitled scheme) opened last gets its diagnostic.
    const probe = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n    - name: app\n      image: busybox\n      volumeMounts:\n        - name: nope\n          mountPath: /x\n',
    });
    await vscode.window.showTextDocument(probe);
    await waitFor('missing-volume on the untitled probe', () => withCode(probe.uri, 'missing-volume')[0]);
    for (const doc of docs)
      assert.deepEqual(ours(doc.uri).map(codeOf), [], `${doc.uri.path}: ${describeDiagnostics(doc.uri)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('turning a rule off in sidecarPods.rules removes its diagnostic without a restart', async () => {
    const doc = await open(MISTAKES);
    await waitFor('port-conflict before', () => withCode(doc.uri, 'port-conflict')[0]);
    const pid = api.serverPid();
    const restarts = api.restarts();
    const config = vscode.workspace.getConfiguration('sidecarPods');
    await config.update('rules', { 'port-conflict': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      'port-conflict gone',
      () => withCode(doc.uri, 'port-conflict').length === 0 && withCode(doc.uri, 'missing-volume').length > 0,
    );
    assert.equal(api.serverPid(), pid, 'same server process');
    assert.equal(api.restarts(), restarts);
    await config.update('rules', { 'port-conflict': 'warning' }, vscode.ConfigurationTarget.Workspace);
    const back = await waitFor('port-conflict back as a warning', () =>
      withCode(doc.uri, 'port-conflict').find((d) => d.severity === vscode.DiagnosticSeverity.Warning),
    );
    assert.ok(back);
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('port-conflict back as an error', () =>
      withCode(doc.uri, 'port-conflict').find((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
  });

  it('restarts a killed server (twice), tells the user once, and the diagnostics come back', async function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(120_000);
    const doc = await open(MISTAKES);
    await waitFor('port-conflict before', () => withCode(doc.uri, 'port-conflict')[0]);
    const restarts = api.restarts();
    for (let crash = 1; crash <= 2; crash++) {
      await api.whenRunning();
      const pid = api.serverPid();
      assert.ok(pid, 'a server process');
      process.kill(pid, 'SIGKILL');
      // The user keeps typing while the server is down: the client's writes to the dead process
      // fail, which must not talk the client out of restarting it.
      await typeBurst(doc, 6);
      await waitFor(
        `a new server process after crash ${crash}`,
        () => api.restarts() === restarts + crash && api.serverPid() !== undefined && api.serverPid() !== pid,
        60_000,
      );
    }
    await api.whenRunning();
    assert.equal(api.status(), 'running');
    assert.equal(api.crashNotices(), 1, 'one notification for two crashes');
    await waitFor(
      'diagnostics back after the restart',
      () => withCode(doc.uri, 'port-conflict')[0] && withCode(doc.uri, 'missing-volume')[0],
      60_000,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('the restart command brings up a fresh server', async function () {
    this.timeout(90_000);
    const doc = await open(MISTAKES);
    const pid = api.serverPid();
    await vscode.commands.executeCommand('sidecarPods.restartServer');
    await waitFor('new pid', () => api.serverPid() !== undefined && api.serverPid() !== pid);
    await api.whenRunning();
    await waitFor('diagnostics after restart', () => withCode(doc.uri, 'port-conflict')[0], 60_000);
  });
});

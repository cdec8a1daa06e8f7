// The pod diagram from the extension host: the CodeLens, the command, the panel and its live model.
// What the webview draws and its clicks are driven from the UI script (test/e2e/ui.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from '../../../client/src/api';
import { activateExtension, open, waitFor, workspaceFile } from './helpers';

const HEALTHY = 'deployment-native-sidecar.yaml';
/** A copy of HEALTHY that this suite types into, so no other suite ever sees its edits. */
const SCRATCH = 'diagram-scratch.yaml';

function diagramTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('sidecarPods.diagram'));
}

describe('Pod diagram in a real VS Code', function () {
  let api: SidecarPodsTestApi;

  before(async function () {
    this.timeout(120_000);
    api = await activateExtension();
    await api.serverReady;
    await vscode.workspace.fs.copy(workspaceFile(HEALTHY), workspaceFile(SCRATCH), { overwrite: true });
  });

  after(async () => {
    await vscode.window.tabGroups.close(diagramTabs());
    // the other suites expect the example as it is on disk
    await open(HEALTHY);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceFile(SCRATCH));
  });

  it('offers a "Show pod diagram" CodeLens above the pod', async () => {
    const doc = await open(HEALTHY);
    const lenses = await waitFor('a diagram lens', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const ours = all.filter((l) => l.command?.command === 'sidecarPods.showDiagram');
      return ours.length ? ours : undefined;
    });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.command?.title, 'Show pod diagram');
    assert.equal(doc.lineAt(lenses[0]!.range.start.line).text, 'apiVersion: apps/v1');
    assert.deepEqual(lenses[0]!.command?.arguments, [doc.uri.toString(), 0, 'd0.p0']);
  });

  it('opens the diagram beside the editor with the pod model, and follows edits', async () => {
    const doc = await open(SCRATCH);
    await vscode.commands.executeCommand('sidecarPods.showDiagram');
    await waitFor('the diagram tab', () => diagramTabs().length === 1);
    const model = await waitFor('the diagram model', () => api.diagramModel());
    assert.deepEqual(
      model.pods[0]!.containers.map((c) => [c.name, c.lane]),
      [
        ['log-shipper', 'sidecar'],
        ['api', 'regular'],
      ],
    );
    assert.deepEqual(
      model.pods[0]!.volumes.map((v) => v.name),
      ['app-logs'],
    );
    // the Service written below the Deployment, its port 80 landing on the api's port http
    assert.deepEqual(
      model.pods[0]!.services?.map((s) => [s.name, s.ports.map((p) => [p.port, p.targetPort, p.targets])]),
      [['orders-api', [[80, 'http', ['containers[0].ports[0]']]]]],
    );
    // typing a new container shows up without saving
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.trim() === 'volumes:');
    const ok = await editor.edit((b) =>
      b.insert(new vscode.Position(line, 0), '        - name: late-helper\n          image: busybox:1.36\n'),
    );
    assert.ok(ok);
    await waitFor('the new container in the diagram', () =>
      api.diagramModel()?.pods[0]?.containers.some((c) => c.name === 'late-helper'),
    );
    // running the command again reuses the panel
    await vscode.commands.executeCommand('sidecarPods.showDiagram');
    assert.equal(diagramTabs().length, 1);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('exports the shown pod as a standalone SVG', async () => {
    await open(HEALTHY);
    await vscode.commands.executeCommand('sidecarPods.showDiagram');
    await waitFor('the diagram model', () => api.diagramModel());
    const target = join(tmpdir(), `sidecar-pods-export-${process.pid}.svg`);
    await api.exportDiagram(target);
    const svg = readFileSync(target, 'utf8');
    assert.match(svg, /<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const name of ['log-shipper', 'api', 'app-logs']) assert.ok(svg.includes(`>${name}<`), `${name} in the SVG`);
    assert.ok(!/<script/i.test(svg), 'no script in an exported picture');
  });
});

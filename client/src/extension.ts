// Entry point: wiring only. The server's lifecycle is in server-launcher.ts, commands in commands.ts.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from './api';
import { COMMANDS, SHOW_OUTPUT_COMMAND, registerCommands, showError } from './commands';
import { affectsConfig, settingsProblems } from './config';
import { DIAGRAM_VIEW_TYPE, DiagramController } from './diagram/panel';
import { ServerController } from './server-launcher';
import { ServerStatusItem } from './status';

let server: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): SidecarPodsTestApi {
  const activatedAt = performance.now();
  const output = vscode.window.createOutputChannel('Sidecar Pods', { log: true });
  context.subscriptions.push(output);
  const status = new ServerStatusItem(SHOW_OUTPUT_COMMAND);
  context.subscriptions.push(status);

  const controller = new ServerController(context, output, status, SHOW_OUTPUT_COMMAND);
  server = controller;
  const diagram = new DiagramController(context.extensionUri, controller, output);
  context.subscriptions.push(
    controller,
    diagram,
    ...registerCommands({ server: controller, output, diagram }),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => diagram.restore(panel, state),
    }),
  );
  output.info(
    `Activated (${Object.keys(COMMANDS).length} commands, workspace trusted: ${vscode.workspace.isTrusted}).`,
  );

  reportConfigProblems(output);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsConfig(e)) reportConfigProblems(output);
    }),
  );

  // Not awaited: activation must not wait for the server; failures are shown, never swallowed.
  let startupMs: number | undefined;
  const serverReady = controller.start().then(() => {
    // activation to a running server (handshake answered): the figure `npm run bench` reports
    startupMs = Math.round(performance.now() - activatedAt);
    output.info(`Server running, ${startupMs} ms after activation.`);
  });
  serverReady.catch((e: unknown) => showError('The Sidecar Pods language server failed to start', e, output));

  return {
    serverReady,
    startupMs: () => startupMs,
    whenRunning: () => controller.whenRunning(),
    status: () => status.status,
    serverPid: () => controller.serverPid,
    restarts: () => controller.restarts,
    crashNotices: () => controller.crashNotices,
    diagramModel: () => diagram.current?.currentModel,
    exportDiagram: async (target) => diagram.current?.exportSvg(vscode.Uri.file(target)),
  };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

function reportConfigProblems(output: vscode.LogOutputChannel): void {
  for (const problem of settingsProblems()) output.warn(`Setting sidecarPods.${problem}`);
}

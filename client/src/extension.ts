// Entry point: wiring only. The server's lifecycle is in server-launcher.ts, commands in commands.ts.
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from './api';
import { COMMANDS, SHOW_OUTPUT_COMMAND, registerCommands, showError } from './commands';
import { affectsConfig, readConfig } from './config';
import { DIAGRAM_VIEW_TYPE, DiagramController } from './diagram/panel';
import { ServerController } from './server-launcher';
import { ServerStatusItem } from './status';

let server: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): SidecarPodsTestApi {
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
  const serverReady = controller.start();
  serverReady.catch((e: unknown) => showError('The Sidecar Pods language server failed to start', e, output));

  return {
    serverReady,
    whenRunning: () => controller.whenRunning(),
    status: () => status.status,
    serverPid: () => controller.serverPid,
    restarts: () => controller.restarts,
    crashNotices: () => controller.crashNotices,
    diagramModel: () => diagram.current?.currentModel,
  };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

function reportConfigProblems(output: vscode.LogOutputChannel): void {
  for (const problem of readConfig().problems) output.warn(`Setting sidecarPods.${problem}`);
}

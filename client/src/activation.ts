// activate() of both entry points (extension.ts for Node, browser.ts for the web): wiring only.
// How the server runs is the entry point's ServerHandle; commands are in commands.ts.
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from './api';
import { COMMANDS, SHOW_OUTPUT_COMMAND, registerCommands, showError } from './commands';
import { affectsConfig, settingsProblems } from './config';
import { DIAGRAM_VIEW_TYPE, DiagramController } from './diagram/panel';
import type { ServerHandle } from './server-handle';
import { ServerStatusItem } from './status';

let server: ServerHandle | undefined;

/** Makes the server of an entry point, which reports to `status` and logs to `output`. */
export type ServerFactory = (output: vscode.LogOutputChannel, status: ServerStatusItem) => ServerHandle;

export function activateWith(context: vscode.ExtensionContext, makeServer: ServerFactory): SidecarPodsTestApi {
  // the global `performance` (Node and browsers alike), not node:perf_hooks: the web host has no Node
  const activatedAt = performance.now();
  const output = vscode.window.createOutputChannel('Sidecar Pods', { log: true });
  context.subscriptions.push(output);
  const status = new ServerStatusItem(SHOW_OUTPUT_COMMAND);
  context.subscriptions.push(status);

  const controller = makeServer(output, status);
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

export async function deactivateServer(): Promise<void> {
  await server?.stop();
  server = undefined;
}

function reportConfigProblems(output: vscode.LogOutputChannel): void {
  for (const problem of settingsProblems()) output.warn(`Setting sidecarPods.${problem}`);
}

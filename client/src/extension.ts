// The extension's Node entry point (package.json `main`): the server runs as a Node process.
// browser.ts is the web one; activate() itself is activation.ts.
import type * as vscode from 'vscode';
import { activateWith, deactivateServer } from './activation';
import type { SidecarPodsTestApi } from './api';
import { SHOW_OUTPUT_COMMAND } from './commands';
import { ServerController } from './server-launcher';

export function activate(context: vscode.ExtensionContext): SidecarPodsTestApi {
  return activateWith(context, (output, status) => new ServerController(context, output, status, SHOW_OUTPUT_COMMAND));
}

export const deactivate = deactivateServer;

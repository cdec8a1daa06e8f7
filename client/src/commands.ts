// Every command the extension contributes, in one table; package.json's contributes.commands must
// list exactly these ids (the e2e suite checks it).
import * as vscode from 'vscode';
import { SHOW_DIAGRAM_COMMAND } from '../../shared/src/protocol';
import type { DiagramController } from './diagram/panel';
import type { ServerHandle } from './server-handle';

export interface CommandContext {
  server: ServerHandle;
  output: vscode.LogOutputChannel;
  diagram: DiagramController;
}

type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

export const SHOW_OUTPUT_COMMAND = 'sidecarPods.showOutput';

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  'sidecarPods.restartServer': async (ctx) => {
    try {
      await ctx.server.restart();
    } catch (e) {
      await showError('Could not restart the Sidecar Pods language server', e, ctx.output);
    }
  },
  [SHOW_OUTPUT_COMMAND]: (ctx) => ctx.output.show(true),
  // from the palette: the active editor; from a CodeLens: (uri, documentIndex, podId)
  [SHOW_DIAGRAM_COMMAND]: (ctx, uri, _documentIndex, podId) => {
    let target: vscode.Uri | undefined;
    if (uri instanceof vscode.Uri) target = uri;
    else if (typeof uri === 'string') {
      try {
        target = vscode.Uri.parse(uri, true);
      } catch {
        target = undefined;
      }
    }
    ctx.diagram.show(target, typeof podId === 'string' ? podId : undefined);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)),
  );
}

/** Logs the full error and shows a notification with a way to the log. */
export async function showError(what: string, error: unknown, output: vscode.LogOutputChannel): Promise<void> {
  const detail = error instanceof Error ? error.message : String(error);
  output.error(`${what}: ${error instanceof Error && error.stack ? error.stack : detail}`);
  const pick = await vscode.window.showErrorMessage(`${what}: ${detail}`, 'Show Output');
  if (pick) output.show(true);
}

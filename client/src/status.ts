// One status bar item for the server's state; clicking it shows the output channel.
import * as vscode from 'vscode';

export type ServerStatus = 'starting' | 'running' | 'restarting' | 'stopped';

const LOOK: Record<ServerStatus, { icon: string; tooltip: string; background?: string }> = {
  starting: { icon: '$(sync~spin)', tooltip: 'starting' },
  running: { icon: '$(check)', tooltip: 'running' },
  restarting: {
    icon: '$(sync~spin)',
    tooltip: 'restarting after a crash',
    background: 'statusBarItem.warningBackground',
  },
  stopped: { icon: '$(error)', tooltip: 'stopped', background: 'statusBarItem.errorBackground' },
};

export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ServerStatus = 'stopped';

  constructor(showOutputCommand: string) {
    this.item = vscode.window.createStatusBarItem('sidecarPods.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Sidecar Pods';
    this.item.command = showOutputCommand;
    this.set('starting');
    this.item.show();
  }

  get status(): ServerStatus {
    return this.current;
  }

  set(status: ServerStatus, detail?: string): void {
    this.current = status;
    const look = LOOK[status];
    this.item.text = `${look.icon} Sidecar Pods`;
    const tooltip = `Sidecar Pods language server: ${look.tooltip}${detail ? ` (${detail})` : ''}. Click to show the output.`;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Sidecar Pods: ${status}` };
    this.item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
  }

  /** Shows `starting` while `start` runs, and `stopped` if it fails (rethrown for the caller to show). */
  async starting(start: () => Promise<void>): Promise<void> {
    this.set('starting');
    try {
      await start();
    } catch (e) {
      this.set('stopped', 'failed to start');
      throw e;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}

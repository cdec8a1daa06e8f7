// The `sidecarPods.*` settings on the client's side. The server pulls the same section through
// workspace/configuration and validates it with the shared normalizer; the client reads it only
// to show configuration problems early (vscode-languageclient reads the trace level itself).
import * as vscode from 'vscode';
import { normalizeSettings } from '../../shared/src/settings';

export const CONFIG_SECTION = 'sidecarPods';

/**
 * What is wrong in the user's `sidecarPods.*` settings, to show early in the output channel; the
 * server reads the same settings itself (workspace/configuration) and validates them alike.
 */
export function settingsProblems(scope?: vscode.ConfigurationScope): string[] {
  const cfg = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return normalizeSettings({
    kubernetesVersion: cfg.get<unknown>('kubernetesVersion'),
    rules: cfg.get<unknown>('rules'),
    kustomizeRenderer: cfg.get<unknown>('kustomizeRenderer'),
    kustomizeTimeoutSeconds: cfg.get<unknown>('kustomizeTimeoutSeconds'),
  }).problems;
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(CONFIG_SECTION);
}

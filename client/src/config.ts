// Typed view of the `sidecarPods.*` settings. The server pulls the same section through
// workspace/configuration and validates it with the shared normalizer; the client reads it only
// for what the client itself needs (trace level) and to show configuration problems early.
import * as vscode from 'vscode';
import { normalizeSettings, type Settings } from '../../shared/src/settings';

export const CONFIG_SECTION = 'sidecarPods';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface ClientConfig extends Settings {
  traceServer: TraceLevel;
}

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

export function readConfig(scope?: vscode.ConfigurationScope): { config: ClientConfig; problems: string[] } {
  const cfg = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const { settings, problems } = normalizeSettings({
    kubernetesVersion: cfg.get<unknown>('kubernetesVersion'),
    rules: cfg.get<unknown>('rules'),
  });
  const trace = cfg.get<unknown>('trace.server');
  const traceServer = TRACE_LEVELS.includes(trace as TraceLevel) ? (trace as TraceLevel) : 'off';
  return { config: { ...settings, traceServer }, problems };
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(CONFIG_SECTION);
}

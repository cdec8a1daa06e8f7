// `sidecarPods/stats`: what the server has done so far, for the benchmark and the incrementality
// test. Read-only and cheap; an editor never needs it.
import type { Connection } from 'vscode-languageserver';
import { STATS_METHOD, type ServerStats } from '../../../shared/src/protocol';
import type { Engine } from '../engine';
import type { DiagnosticsHandler } from './diagnostics-handler';
import type { WorkspaceSet } from './workspace-set';

export function registerStats(
  connection: Connection,
  engine: Engine,
  diagnostics: DiagnosticsHandler,
  maxRss: () => number,
  workspace: WorkspaceSet,
): void {
  connection.onRequest(STATS_METHOD, (): ServerStats => ({
    parseCount: engine.models.parseCount,
    checkCount: engine.linter.checkCount,
    diagnosticsLatencies: [...diagnostics.latencies],
    maxRss: maxRss(),
    index: {
      files: workspace.index.size,
      scanMs: workspace.scanMs,
      setCheckMs: workspace.durations.map((d) => d.ms),
      setCheckFiles: workspace.durations.map((d) => d.files),
    },
  }));
}

// `sidecarPods/stats`: what the server has done so far, for the benchmark and the incrementality
// test. Read-only and cheap; an editor never needs it.
import type { Connection } from 'vscode-languageserver';
import type { ModelCache } from '../model/file-model';
import type { Linter } from '../engine/linter';
import type { DiagnosticsHandler } from './diagnostics-handler';

export const STATS_METHOD = 'sidecarPods/stats';

export interface ServerStats {
  /** Documents parsed (a cache hit does not count). */
  parseCount: number;
  /** Documents checked by the rules (a cache hit does not count). */
  checkCount: number;
  /** Milliseconds from a document notification to its diagnostics, by the server's clock, oldest first. */
  diagnosticsLatencies: number[];
  /** Peak resident set size of the server process, in bytes. */
  maxRss: number;
}

export function registerStats(
  connection: Connection,
  models: ModelCache,
  linter: Linter,
  diagnostics: DiagnosticsHandler,
): void {
  connection.onRequest(STATS_METHOD, (): ServerStats => ({
    parseCount: models.parseCount,
    checkCount: linter.checkCount,
    diagnosticsLatencies: [...diagnostics.latencies],
    // resourceUsage().maxRSS is in kilobytes (Node docs: process.resourceUsage)
    maxRss: process.resourceUsage().maxRSS * 1024,
  }));
}

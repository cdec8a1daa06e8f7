// Custom LSP methods of the Sidecar Pods server (shared by the client, the server and their tests).
import type { DiagramModel } from './diagram-model';

/** `sidecarPods/diagram`: the pods of an open document, ready to draw. */
export const DIAGRAM_REQUEST = 'sidecarPods/diagram';

export interface DiagramParams {
  /** An open document's URI. */
  uri: string;
  /** 0-based YAML document of the file; all documents when omitted. */
  document?: number;
}

/** null when the server does not have the document open. */
export type DiagramResult = DiagramModel | null;

/** The command a CodeLens runs: arguments are the document URI, the document index and the pod id. */
export const SHOW_DIAGRAM_COMMAND = 'sidecarPods.showDiagram';

/**
 * `sidecarPods/stats`: what the server has done so far, for the benchmark and the incrementality
 * test. Read-only and cheap; an editor never needs it.
 */
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
  /** The workspace index: files held, how long the first scan took (null until it ends), set checks' times. */
  index: { files: number; scanMs: number | null; setCheckMs: number[] };
}

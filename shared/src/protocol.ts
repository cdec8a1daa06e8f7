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
  /**
   * The workspace index: files held, how long the first scan took (null until it ends), the latest
   * set checks' times and how many files each computed the findings of (the others kept theirs).
   */
  index: { files: number; scanMs: number | null; setCheckMs: number[]; setCheckFiles: number[] };
}

/**
 * `sidecarPods/readFile`, sent by the server to the client: the browser server (vscode.dev,
 * github.dev) has no file system, so the `.sidecar-pods.yaml` and kustomization lookups ask the
 * editor for the files they read. The client answers with `vscode.workspace.fs` and only for files
 * inside a workspace folder; the Node server reads the disk itself and never sends it.
 */
export const READ_FILE_REQUEST = 'sidecarPods/readFile';

export interface ReadFileParams {
  /** The file's URI (the workspace folder's scheme and authority). */
  uri: string;
}

/** What the client found at the URI; `missing` also when it is outside every workspace folder. */
export type ReadFileResult =
  | { kind: 'file'; text: string; mtime: number; size: number }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

/** The most the client reads for one file: config files and kustomizations are small. */
export const READ_FILE_MAX_BYTES = 1024 * 1024;

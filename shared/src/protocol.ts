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

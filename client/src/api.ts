// What activate() returns. TEST-ONLY: the e2e suite uses it to wait for the server and to find its
// process; it is not a supported API for other extensions and may change at any time.
import type { DiagramModel } from '../../shared/src/diagram-model';
import type { ServerStatus } from './status';

export interface SidecarPodsTestApi {
  /** Settles once the first start attempt is over (rejects if the server could not start). */
  readonly serverReady: Promise<void>;
  /** Milliseconds from the start of activate() to the first server answering its handshake. */
  startupMs(): number | undefined;
  /** Resolves when the server is running, including after a crash restart. */
  whenRunning(): Promise<void>;
  /** What the status bar item shows. */
  status(): ServerStatus;
  /** pid of the current server process, if one runs. */
  serverPid(): number | undefined;
  /** How many crash restarts happened in this session. */
  restarts(): number;
  /** How many "the server stopped unexpectedly" notifications were shown (at most one per session). */
  crashNotices(): number;
  /** The model the open pod diagram shows (undefined: no diagram, or nothing to draw). */
  diagramModel(): DiagramModel | undefined;
  /** "Export SVG" of the open diagram, to `target` instead of asking with a save dialog. */
  exportDiagram(target: string): Promise<void>;
}

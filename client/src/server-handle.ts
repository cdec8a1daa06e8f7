// What the commands, the diagram and activate() need of the language server, whichever way it
// runs: a Node process (server-launcher.ts) or a web worker (browser.ts).
import type * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';

export interface ServerHandle extends vscode.Disposable {
  readonly client: BaseLanguageClient;
  /** Starts the server; rejects with a readable error (the caller shows it). */
  start(): Promise<void>;
  /** Asked by the user: starts it again, whatever happened before. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the server is running (again, after a restart). */
  whenRunning(): Promise<void>;
  /** Crash restarts this session. */
  readonly restarts: number;
  /** "The server stopped unexpectedly" notifications shown this session. */
  readonly crashNotices: number;
  /** pid of the server process; undefined when none runs, or it is a worker. */
  readonly serverPid: number | undefined;
}

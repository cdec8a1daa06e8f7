// When the server process dies: restart it with exponential backoff, tell the user once, and give up
// (with a visible error) if it keeps crashing. Pure timing logic here; the vscode glue is in
// server-launcher.ts.

export interface RestartPolicyOptions {
  /** Give up after this many crashes inside `windowMs`. */
  maxCrashes: number;
  windowMs: number;
  /** First delay; doubled for each crash still inside the window, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxCrashes: 5,
  windowMs: 3 * 60_000,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
};

export type RestartDecision = { restart: true; delayMs: number; attempt: number } | { restart: false; crashes: number };

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and says whether (and after how long) to restart. */
  onCrash(): RestartDecision {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.options.windowMs);
    this.crashes.push(t);
    const n = this.crashes.length;
    if (n > this.options.maxCrashes) return { restart: false, crashes: n };
    const delayMs = Math.min(this.options.baseDelayMs * 2 ** (n - 1), this.options.maxDelayMs);
    return { restart: true, delayMs, attempt: n };
  }

  /** A manual restart starts over. */
  reset(): void {
    this.crashes = [];
  }
}

/**
 * What to do when writing to the server fails `count` times in a row. A write to a server that has
 * just died fails (vscode-jsonrpc's IPC writer counts each failure twice), so a few messages in
 * flight at a crash reach any small limit; the library's default answer, Shutdown, calls stop(),
 * which skips the close handler and so never restarts. The close event decides instead: a process
 * that is gone or going is left to it ('wait'); a live process we can no longer talk to is killed
 * ('kill'), so its close goes through the same restart policy.
 */
export function onTransportError(count: number | undefined, processAlive: boolean): 'wait' | 'kill' {
  return count !== undefined && count > 3 && processAlive ? 'kill' : 'wait';
}

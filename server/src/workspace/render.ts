// Rendering a kustomization as the cluster gets it (../shared/specs/workloads.md, section 2). The
// user's folder is listed as the one resource of a kustomization generated in a temporary folder,
// with `buildMetadata: [originAnnotations]`, so kustomize marks each object with the file it came
// from (config.kubernetes.io/origin; kustomize api/types/kustomization.go OriginAnnotations) and no
// user file is touched. `--load-restrictor LoadRestrictionsNone` lets it read outside that folder.
// The renderer runs as a child process in a process group of its own, killed whole after a time
// limit: a renderer that hangs (or a shell script around one) never holds the editor or CI.
import type * as ChildProcesses from 'node:child_process';
import type { ChildProcess, SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, isAbsolute, join, relative } from 'node:path';

/**
 * node:child_process, loaded the first time something is rendered: most runs render nothing, and
 * loading it (with the net and stream modules it brings) costs every start of the CLI and the
 * server a few milliseconds.
 */
function childProcess(): typeof ChildProcesses {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:child_process') as typeof ChildProcesses;
}

/** How long a render may take unless the settings say otherwise. */
export const DEFAULT_RENDER_SECONDS = 30;
/** What a renderer may print before it is cut off. */
const MAX_OUTPUT = 64 * 1024 * 1024;

export interface Renderer {
  /** The executable, as found on PATH or as configured. */
  command: string;
  /** `kubectl kustomize DIR` or `kustomize build DIR`. */
  style: 'kubectl' | 'kustomize';
}

export type RenderOutcome =
  | { ok: true; text: string; /** The generated folder, which origin paths are relative to. */ base: string }
  | { ok: false; message: string; timedOut?: boolean };

/** An executable file named `name` on `PATH`, if there is one. */
export function onPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The renderer a setting names: `off` none; a name or path of kubectl or kustomize, or any other
 * command (called as kustomize is: `CMD build DIR ...`); unset, kubectl and then kustomize from PATH.
 * Undefined when none is found.
 */
export function findRenderer(setting: string | undefined, path = process.env['PATH'] ?? ''): Renderer | undefined {
  const wanted = setting?.trim() ?? '';
  if (wanted === 'off') return undefined;
  if (wanted === '') {
    const kubectl = onPath('kubectl', path);
    if (kubectl) return { command: kubectl, style: 'kubectl' };
    const kustomize = onPath('kustomize', path);
    return kustomize ? { command: kustomize, style: 'kustomize' } : undefined;
  }
  const command = isAbsolute(wanted) || wanted.includes('/') ? wanted : onPath(wanted, path);
  if (command === undefined) return undefined;
  return { command, style: /^kubectl/.test(basename(command)) ? 'kubectl' : 'kustomize' };
}

/** Writes the generated kustomization that renders `folder` with origin annotations. */
function prepare(folder: string): { base: string; args: (r: Renderer) => string[] } {
  const base = mkdtempSync(join(tmpdir(), 'sidecar-pods-render-'));
  // JSON is YAML: the folder's path needs no quoting rules of its own
  writeFileSync(
    join(base, 'kustomization.yaml'),
    // kustomize takes no absolute path to a kustomization folder ("new root cannot be absolute")
    JSON.stringify({ resources: [relative(base, folder)], buildMetadata: ['originAnnotations'] }) + '\n',
  );
  return {
    base,
    args: (r) => [
      ...(r.style === 'kubectl' ? ['kustomize'] : ['build']),
      base,
      '--load-restrictor',
      'LoadRestrictionsNone',
    ],
  };
}

function cleanUp(base: string): void {
  try {
    rmSync(base, { recursive: true, force: true });
  } catch {
    // a temporary folder left behind is the OS's to clear
  }
}

/** What a failed render says, in one line a person can read. */
export function failureMessage(stderr: string, code: number | null): string {
  // kubectl logs `E1203 ... run.go:72] "command failed" err="..."`; kustomize prints `Error: ...`
  const quoted = /err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  const text = quoted ? quoted[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\') : stderr;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    // kustomize's warnings about deprecated fields are the kustomization rule's to report
    .filter((l) => l !== '' && !l.startsWith('# Warning:'));
  const message = lines.join(' ').replace(/^Error:\s*/, '');
  return message !== '' ? message.slice(0, 2000) : `the renderer exited with status ${code ?? 'unknown'}`;
}

function outcome(
  base: string,
  result: { code: number | null; stdout: string; stderr: string; timedOut: boolean; error?: string },
  seconds: number,
): RenderOutcome {
  if (result.timedOut)
    return { ok: false, timedOut: true, message: `the renderer took longer than ${seconds} s and was stopped` };
  if (result.error !== undefined) return { ok: false, message: `the renderer could not be run: ${result.error}` };
  if (result.code !== 0) return { ok: false, message: failureMessage(result.stderr, result.code) };
  return { ok: true, text: result.stdout, base };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  error?: string;
}

/**
 * Runs a command in a process group of its own and calls `done` once: when it exits, when it
 * fails to start, or after `seconds`, when the whole group is killed (a shell script around a
 * renderer leaves no sleeping child behind).
 */
export function supervise(
  command: string,
  args: string[],
  cwd: string,
  seconds: number,
  maxOutput: number,
  done: (r: RunResult) => void,
): void {
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let settled = false;
  const clock: { timer?: ReturnType<typeof setTimeout> } = {};
  const finish = (code: number | null, error?: string): void => {
    if (settled) return;
    settled = true;
    if (clock.timer !== undefined) clearTimeout(clock.timer);
    done({ code, stdout, stderr, timedOut, ...(error !== undefined ? { error } : {}) });
  };
  let child: ChildProcess;
  try {
    child = childProcess().spawn(command, args, {
      cwd,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e) {
    finish(null, e instanceof Error ? e.message : String(e));
    return;
  }
  const kill = (): void => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
  clock.timer = setTimeout(() => {
    timedOut = true;
    kill();
    // a grandchild that left the group may hold the pipes open: do not wait for them
    finish(null);
  }, seconds * 1000);
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.length > maxOutput) {
      kill();
      finish(null, `it printed more than ${Math.round(maxOutput / (1024 * 1024))} MiB`);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 1024 * 1024) stderr += d;
  });
  child.on('error', (e) => finish(null, e.message));
  child.on('close', (code) => finish(code));
}

/** Renders `folder` in the background (the editor): never blocks, killed with its children after `seconds`. */
export function render(folder: string, renderer: Renderer, seconds = DEFAULT_RENDER_SECONDS): Promise<RenderOutcome> {
  const { base, args } = prepare(folder);
  return new Promise((resolve) => {
    supervise(renderer.command, args(renderer), folder, seconds, MAX_OUTPUT, (r) => {
      // origin paths are resolved against `base` as text; the folder itself is not needed again
      cleanUp(base);
      resolve(outcome(base, r, seconds));
    });
  });
}

/**
 * The same for a synchronous caller (the CLI). spawnSync's time-out kills the renderer itself and
 * stops reading its pipes; the renderer leads a process group of its own (detached), so whatever it
 * started is killed with the group afterwards.
 */
export function renderSync(folder: string, renderer: Renderer, seconds = DEFAULT_RENDER_SECONDS): RenderOutcome {
  const { base, args } = prepare(folder);
  const group = process.platform !== 'win32';
  // Node hands `detached` to libuv for spawnSync as for spawn (lib/child_process.js passes the
  // normalized options through), though its types and docs name it for spawn only; the CLI's hang
  // test holds that nothing the renderer started outlives it.
  const options: SpawnSyncOptionsWithStringEncoding & { detached: boolean } = {
    cwd: folder,
    encoding: 'utf8',
    detached: group,
    timeout: seconds * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: MAX_OUTPUT,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  };
  const r = childProcess().spawnSync(renderer.command, args(renderer), options);
  if (group && r.pid) {
    try {
      process.kill(-r.pid, 'SIGKILL');
    } catch {
      // the group is gone: nothing it started outlived it
    }
  }
  cleanUp(base);
  const code = (r.error as { code?: string } | undefined)?.code;
  return outcome(
    base,
    {
      code: r.status,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      timedOut: code === 'ETIMEDOUT',
      ...(r.error && code !== 'ETIMEDOUT'
        ? { error: code === 'ENOBUFS' ? 'it printed too much' : r.error.message }
        : {}),
    },
    seconds,
  );
}

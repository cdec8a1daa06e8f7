// Runs a composite GitHub Action's steps on this machine the way the Actions runner does, so the
// action's own bash is what the tests exercise. What it follows (docs.github.com, "Metadata syntax
// for GitHub Actions" and "Workflow commands"): inputs take their defaults unless given; each step's
// env and working-directory are evaluated with `${{ }}` expressions; `shell: bash` runs
// `bash --noprofile --norc -eo pipefail FILE`; a step reports outputs by appending `name=value` (or
// `name<<DELIMITER` ... `DELIMITER`) to the file named by $GITHUB_OUTPUT; composite actions get
// $GITHUB_ACTION_PATH and no INPUT_* variables; the first failing step ends the action. Anything
// else (`uses:` steps, `if:`, other shells, other contexts) is refused rather than guessed at, so a
// change to the action that this runner cannot follow fails the test instead of passing it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

interface ActionStep {
  name?: string;
  id?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  [key: string]: unknown;
}

interface ActionFile {
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  name: string;
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface ActionResult {
  /** 0 when every step passed, else the failing step's status. */
  status: number;
  steps: StepResult[];
  /** The action's outputs, evaluated after its steps have run, whether or not one failed. */
  outputs: Record<string, string>;
}

const STEP_KEYS = new Set(['name', 'id', 'shell', 'run', 'env', 'working-directory']);

/** Parses what a step appended to $GITHUB_OUTPUT: `name=value` lines and `name<<DELIM` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
      out[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: not name=value: ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/**
 * Runs the composite action in `actionDir` (its action.yml) with `inputs` (the workflow's `with:`)
 * in `workspace`, the folder that stands for $GITHUB_WORKSPACE and each step's default directory.
 */
export function runCompositeAction(
  actionDir: string,
  inputs: Record<string, string>,
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): ActionResult {
  const action = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  const declared = action.inputs ?? {};
  for (const name of Object.keys(inputs)) {
    if (!(name in declared)) throw new Error(`unexpected input ${name}`);
  }
  const inputValues: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = inputs[name] ?? spec.default ?? '';
    if (spec.required === true && inputs[name] === undefined && spec.default === undefined) {
      throw new Error(`input ${name} is required`);
    }
    inputValues[name] = String(value);
  }
  const stepOutputs: Record<string, Record<string, string>> = {};
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr))) {
        if (!(m[1]! in inputValues)) throw new Error(`unknown input in ${expr}`);
        return inputValues[m[1]!]!;
      }
      if (expr === 'github.action_path') return resolve(actionDir);
      if (expr === 'github.workspace') return resolve(workspace);
      if ((m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expr))) {
        return stepOutputs[m[1]!]?.[m[2]!] ?? '';
      }
      throw new Error(`expression not supported by the local runner: ${expr}`);
    });

  const tmp = mkdtempSync(join(tmpdir(), 'action-runner-'));
  const steps: StepResult[] = [];
  let status = 0;
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      const name = step.name ?? step.id ?? `step ${index + 1}`;
      const unknown = Object.keys(step).filter((k) => !STEP_KEYS.has(k));
      if (unknown.length > 0) throw new Error(`${name}: the local runner does not run ${unknown.join(', ')}`);
      if (step.run === undefined || step.shell !== 'bash') throw new Error(`${name}: only run steps with shell: bash`);
      const script = join(tmp, `step-${index}.sh`);
      const outputFile = join(tmp, `output-${index}`);
      writeFileSync(script, step.run);
      writeFileSync(outputFile, '');
      const stepEnv: NodeJS.ProcessEnv = {
        ...env,
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: resolve(actionDir),
        GITHUB_WORKSPACE: resolve(workspace),
        GITHUB_OUTPUT: outputFile,
      };
      for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v));
      const cwd = resolve(workspace, evaluate(step['working-directory'] ?? '.'));
      const p = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd,
        env: stepEnv,
        encoding: 'utf8',
        timeout: 300_000,
      });
      if (p.error) throw p.error;
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      if (step.id !== undefined) stepOutputs[step.id] = outputs;
      const result = { name, status: p.status ?? 1, stdout: p.stdout, stderr: p.stderr, outputs };
      steps.push(result);
      if (result.status !== 0) {
        status = result.status;
        break;
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs ?? {})) outputs[name] = evaluate(spec.value);
  return { status, steps, outputs };
}

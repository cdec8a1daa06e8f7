// `npm run bench`: our language server against yaml-language-server (the peer users would otherwise
// run), both driven over stdio exactly as an editor drives them, on the same generated manifests
// and the same Kubernetes schema (a local file; no network). Prints the figures, the ratios
// ours/peer and the budgets, writes bench/results.json, and rewrites the results block of
// bench/README.md (which says what each figure is). Never run by `npm test`: timings belong here,
// not in assertions.
//   npm run bench [-- --sizes 1000,10000,50000] [--list 10000] [--real 10000] [--keystrokes 40] [--opens 5] [--quick]
//   npm run bench -- --files a.yaml,b.yaml   manifests of your own (held-out ones), instead of the generated cases
//   --no-write-readme / --write-readme   leave bench/README.md alone / rewrite it after a --quick or --files run too
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { asList, generateManifest } from '../../test/support/manifests';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { CACHE_DIR_ENV, SERVER_NODE_FLAGS } from '../../shared/src/server-flags';
import { Engine, looksLikePodDocument, splitDocuments } from '../../server/src/engine';
import { STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import { LspDriver, type ServerSpec } from './lsp-driver';
import { generateWorkspace, measureWorkspace, type WorkspaceResult } from './workspace';

// out/bench/src/run.js -> the repository
const REPO = resolve(__dirname, '..', '..', '..');
const WORK = join(REPO, 'bench', '.work');
const CODE_CACHE = join(WORK, 'code-cache');
/**
 * The workspace folder of the single-file cases: empty, so that the index has nothing to read and
 * those cases measure the file alone (the workspace case measures the index).
 */
const EMPTY_ROOT = join(WORK, 'empty-root');
const PROJECT = join(WORK, 'project');
/**
 * The CLI's budget over the corpus, files per CPU second (issue 17: with the set rules and the
 * schema of every built-in kind).
 */
const CLI_FILES_PER_CPU_SECOND = 900;
/** From this size a file given with --files gets the open budget (the issue's file has 9,400 lines). */
const LARGE_FILE_LINES = 5000;
/** After the last keystroke, how long a server's deferred work still counts to its keystrokes' CPU time. */
const KEYSTROKE_SETTLE_MS = 300;
/** The results block of bench/README.md, which a run rewrites (see Options.writeReadme). */
const README = join(REPO, 'bench', 'README.md');
const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';

interface Options {
  sizes: number[];
  /** Lines of the `kind: List` case (0: none). */
  list: number;
  /** Lines of the case made of real manifests from the corpus (0: none). */
  real: number;
  /** Manifest files of the user's, measured as they are (given: the generated cases are skipped). */
  files: string[];
  /** Fresh servers each file is opened in; open times are their medians (one run is noisy). */
  opens: number;
  keystrokes: number;
  requests: number;
  /** Manifest files of the generated workspace case (0: none). */
  workspace: number;
  /**
   * Rewrite the results block of bench/README.md. By default only after a full run of the standard
   * cases: a --quick run is too short to stand as the current figures, and --files may name files
   * that are nobody else's business.
   */
  writeReadme: boolean;
}

function options(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  // relative to where `npm run bench` was typed (npm runs the script from the package's folder)
  const files = (value('--files') ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => resolve(process.env['INIT_CWD'] ?? '.', f));
  for (const f of files) {
    if (!existsSync(f) || !statSync(f).isFile()) throw new Error(`--files: no such file: ${f}`);
  }
  // with files of the user's, the generated cases run only when asked for
  const mine = files.length > 0;
  const sizes = (value('--sizes') ?? (mine ? '' : quick ? '1000,10000' : '1000,10000,50000'))
    .split(',')
    .filter(Boolean)
    .map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 50)) throw new Error('--sizes: comma-separated line counts');
  const list = Number(value('--list') ?? (mine ? 0 : 10000));
  if (!Number.isInteger(list) || list < 0) throw new Error('--list: a line count (0 for none)');
  const real = Number(value('--real') ?? (mine ? 0 : 10000));
  if (!Number.isInteger(real) || real < 0) throw new Error('--real: a line count (0 for none)');
  const workspace = Number(value('--workspace') ?? (mine ? 0 : quick ? 1000 : 5000));
  if (!Number.isInteger(workspace) || workspace < 0) throw new Error('--workspace: a file count (0 for none)');
  const opens = Number(value('--opens') ?? (quick ? 1 : 5));
  if (!Number.isInteger(opens) || opens < 1) throw new Error('--opens: at least 1');
  return {
    sizes,
    list,
    real,
    files,
    opens,
    keystrokes: Number(value('--keystrokes') ?? (quick ? 15 : 40)),
    requests: quick ? 10 : 30,
    workspace,
    writeReadme: !argv.includes('--no-write-readme') && (argv.includes('--write-readme') || !(quick || mine)),
  };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

const median = (v: number[]): number => quantile(v, 0.5);
const p95 = (v: number[]): number => quantile(v, 0.95);
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

/** The generated pod-kinds schema, dispatched by `kind` for a server that takes one schema per file. */
function peerSchema(): string {
  const source = join(REPO, 'schemas', 'kubernetes-pod-kinds.schema.json');
  // the schema names each kind's definition itself (x-pod-kinds: kind -> "#/definitions/...")
  const schema = JSON.parse(readFileSync(source, 'utf8')) as {
    definitions: object;
    'x-pod-kinds': Record<string, string>;
  };
  const wrapper = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: `schemas/kubernetes-pod-kinds.schema.json dispatched by kind, for the peer`,
    allOf: Object.entries(schema['x-pod-kinds']).map(([kind, $ref]) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { $ref },
    })),
    definitions: schema.definitions,
  };
  const file = join(WORK, 'kubernetes-peer.schema.json');
  writeFileSync(file, JSON.stringify(wrapper));
  return file;
}

function servers(): ServerSpec[] {
  const peerBin = join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  if (!existsSync(peerBin)) throw new Error('yaml-language-server is missing: run `npm ci`');
  const schemaUri = pathToFileURL(peerSchema()).toString();
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false, url: '' },
    schemas: { [schemaUri]: ['*.yaml'] },
    kubernetesCRDStore: { enable: false },
  };
  return [
    {
      name: 'sidecar-pods',
      command: process.execPath,
      // with the Node flags the VS Code client starts it with
      args: [...SERVER_NODE_FLAGS, join(REPO, 'bin', 'sidecar-pods-language-server.js'), '--stdio'],
      configuration: (section) => (section === 'sidecarPods' ? {} : null),
    },
    {
      name: 'yaml-language-server',
      command: process.execPath,
      args: [peerBin, '--stdio'],
      configuration: (section) => (section === 'yaml' ? yamlSettings : null),
      pushSettings: { yaml: yamlSettings },
    },
  ];
}

interface Position {
  line: number;
  character: number;
}

/**
 * Positions in the workload at the middle of the file: the end of its name (typing), a
 * containerPort key (hover), an image key (completion). A workload's `metadata:` is at column 0
 * in a document of its own and at column 2 in an item of a List.
 */
function probes(text: string): { type: Position; hover: Position; complete: Position } {
  const lines = text.split('\n');
  // the first line matching, from the middle of the file on, then from its start
  const find = (re: RegExp, from: number): number | undefined => {
    for (let k = 0; k < lines.length; k++) {
      const i = (from + k) % lines.length;
      if (re.test(lines[i]!)) return i;
    }
    return undefined;
  };
  const middle = Math.floor(lines.length / 2);
  // a workload's name (the generated files), else any name; the keystrokes go at the end of its
  // value (inside the quotes of a JSON document)
  const metadata = find(/^ {0,2}metadata:$/, middle);
  const nameLine =
    metadata !== undefined && /^\s+name: /.test(lines[metadata + 1] ?? '')
      ? metadata + 1
      : find(/^\s*(- )?"?name"?: \S/, middle);
  const imageLine = find(/^\s*(- )?"?image"?: /, nameLine ?? middle);
  if (nameLine === undefined || imageLine === undefined) {
    throw new Error('the bench types into a name and asks about an image: this file has no container with both');
  }
  const name = /^(\s*(?:- )?"?name"?: "?)([^",]*)/.exec(lines[nameLine]!)!;
  const portLine = find(/containerPort"?: /, nameLine);
  const hover =
    portLine !== undefined
      ? { line: portLine, character: lines[portLine]!.indexOf('containerPort') + 3 }
      : { line: imageLine, character: lines[imageLine]!.indexOf('image') + 2 };
  return {
    type: { line: nameLine, character: name[1]!.length + name[2]!.length },
    hover,
    complete: { line: imageLine, character: lines[imageLine]!.indexOf('image') + 2 },
  };
}

interface ServerResult {
  startMs: number;
  /** Median over Options.opens fresh servers. */
  openMs: number;
  /** Closed and opened again after the other measures: the full check in a server that has run. */
  reopenMs: number;
  keystroke: {
    median: number;
    p95: number;
    samples: number;
    /**
     * The server's CPU time per keystroke (user + system, from /proc; undefined elsewhere), over
     * all of them and a short settle after the last: what typing costs whatever else the machine
     * runs, where latency varies with it.
     */
    cpuMs?: number;
  };
  hover: { median: number; p95: number; answered: boolean };
  completion: { median: number; p95: number; answered: boolean };
  peakRssMiB: number;
  /** Ours only: the server's own clock, from notification to publication (open: the median, as above). */
  serverClock?: {
    openMs: number;
    /** Median over the opens of open time / a `yaml` parse timed right before that open. */
    openOverFloor: number;
    /** Median of those parse times. */
    pairedFloorMs: number;
    reopenMs: number;
    keystrokeMedian: number;
    keystrokeP95: number;
  };
}

/** Open to diagnostics in a fresh server: by the client's clock, and by the server's for ours. */
async function openOnce(spec: ServerSpec, file: string, text: string): Promise<{ ms: number; serverMs?: number }> {
  const driver = new LspDriver(spec);
  try {
    await driver.initialize(pathToFileURL(EMPTY_ROOT).toString());
    const ms = await driver.open(pathToFileURL(file).toString(), text);
    if (spec.name !== 'sidecar-pods') return { ms };
    const stats = await driver.connection.sendRequest<ServerStats>(STATS_METHOD);
    return { ms, serverMs: stats.diagnosticsLatencies[0] };
  } finally {
    await driver.close();
  }
}

async function measure(spec: ServerSpec, file: string, text: string, opts: Options): Promise<ServerResult> {
  // the open alone in opts.opens - 1 fresh servers, then once more in the server measured below;
  // ours each with the parse floor timed right before it (see parseFloor)
  const ours = spec.name === 'sidecar-pods';
  const opens: { ms: number; serverMs?: number }[] = [];
  const floors: number[] = [];
  for (let i = 1; i < opts.opens; i++) {
    if (ours) floors.push(parseFloor(file));
    opens.push(await openOnce(spec, file, text));
  }
  if (ours) floors.push(parseFloor(file));
  const driver = new LspDriver(spec);
  try {
    const startMs = await driver.initialize(pathToFileURL(EMPTY_ROOT).toString());
    const uri = pathToFileURL(file).toString();
    const openMs = await driver.open(uri, text);
    const at = probes(text);
    const keystrokes: number[] = [];
    const cpuBefore = driver.cpuMs();
    for (let k = 0; k < opts.keystrokes; k++) {
      keystrokes.push(await driver.type(uri, k + 2, { line: at.type.line, character: at.type.character + k }, 'x'));
    }
    // work a server defers past its publication (a set check, a cache) belongs to the keystrokes
    await new Promise((resolve) => setTimeout(resolve, KEYSTROKE_SETTLE_MS));
    const cpuAfter = driver.cpuMs();
    const hovers: number[] = [];
    const completions: number[] = [];
    let hoverAnswered = false;
    let completionAnswered = false;
    for (let k = 0; k < opts.requests; k++) {
      const h = await driver.time<unknown>('textDocument/hover', { textDocument: { uri }, position: at.hover });
      hovers.push(h.ms);
      hoverAnswered ||= h.result !== null && h.result !== undefined;
      const c = await driver.time<unknown>('textDocument/completion', {
        textDocument: { uri },
        position: at.complete,
      });
      completions.push(c.ms);
      completionAnswered ||= c.result !== null && c.result !== undefined;
    }
    // the same file closed and opened again: the full check once more, in a server that has run
    await driver.closeDocument(uri);
    const reopenMs = await driver.open(uri, text);
    const result: ServerResult = {
      startMs: round(startMs),
      openMs: round(median([openMs, ...opens.map((o) => o.ms)])),
      reopenMs: round(reopenMs),
      keystroke: {
        median: round(median(keystrokes)),
        p95: round(p95(keystrokes)),
        samples: keystrokes.length,
        ...(cpuBefore !== undefined && cpuAfter !== undefined
          ? { cpuMs: round((cpuAfter - cpuBefore) / keystrokes.length) }
          : {}),
      },
      hover: { median: round(median(hovers)), p95: round(p95(hovers)), answered: hoverAnswered },
      completion: { median: round(median(completions)), p95: round(p95(completions)), answered: completionAnswered },
      peakRssMiB: round(driver.maxRss() / 2 ** 20),
    };
    if (ours) {
      const stats = await driver.connection.sendRequest<ServerStats>(STATS_METHOD);
      // one publication each for the open, every keystroke and the reopen, in that order
      const latencies = stats.diagnosticsLatencies;
      if (latencies.length !== opts.keystrokes + 2) {
        throw new Error(`expected ${opts.keystrokes + 2} publications by the server's clock, got ${latencies.length}`);
      }
      const keys = latencies.slice(1, 1 + opts.keystrokes);
      const openTimes = [...opens.map((o) => o.serverMs ?? NaN), latencies[0] ?? NaN];
      result.serverClock = {
        openMs: round(median(openTimes)),
        openOverFloor: round(median(openTimes.map((ms, i) => ms / floors[i]!)), 2),
        pairedFloorMs: round(median(floors)),
        reopenMs: round(latencies[1 + opts.keystrokes] ?? NaN),
        keystrokeMedian: round(median(keys)),
        keystrokeP95: round(p95(keys)),
      };
      result.peakRssMiB = round(Math.max(result.peakRssMiB, stats.maxRss / 2 ** 20));
    }
    return result;
  } finally {
    await driver.close();
  }
}

/**
 * The floor for open-to-diagnostics: the median of the first five parses of the whole file with
 * `yaml` (parseAllDocuments) in a fresh Node process. A fresh process every time, because a
 * process's own history changes the figure: the bench's process parses the file again and again
 * and gets faster, by a third by the end of a size. Timed right before each open, so that the two
 * are taken under one machine load (this machine's speed drifts by a third over minutes).
 */
function parseFloor(file: string): number {
  return round(median(freshParses(file, 5)));
}

/**
 * The same parse as the first thing a freshly started process does: one parseAllDocuments in a new
 * Node process, median of five processes. A server sees a file for the first time in exactly that
 * state (the parser's code not yet optimized), so this is the floor of a cold open; parseFloor()
 * above, which the budget names, is the median of the first five.
 */
function coldParseFloor(file: string): number {
  return round(median(Array.from({ length: 5 }, () => freshParses(file, 1)[0]!)));
}

/** Milliseconds of each of the first `count` parses of `file` with `yaml`, in a new Node process. */
function freshParses(file: string, count: number): number[] {
  const script =
    `const { parseAllDocuments } = require('yaml'); const text = require('fs').readFileSync(process.argv[1], 'utf8');` +
    `const times = []; for (let i = 0; i < ${count}; i++) { const t0 = performance.now(); parseAllDocuments(text); times.push(performance.now() - t0); }` +
    `console.log(JSON.stringify(times));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file], { cwd: REPO, encoding: 'utf8' })) as number[];
}

/**
 * The whole check without a server around it, in this process, warm: medians of 15 rounds of our
 * parse and check of the file, and of `yaml` parsing it, interleaved. What the check costs once V8
 * has compiled everything, against what the parse alone costs.
 */
function warmCheck(text: string): { checkMs: number; parseMs: number } {
  const check: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t0 = performance.now();
    parseAllDocuments(text);
    parse.push(performance.now() - t0);
    t0 = performance.now();
    new Engine().check(text, DEFAULT_SETTINGS);
    check.push(performance.now() - t0);
  }
  return { checkMs: round(median(check)), parseMs: round(median(parse)) };
}

type Case = { kind: 'generated' | 'list' | 'real'; lines: number } | { kind: 'file'; path: string };

/** The file a case opens (generated ones are written to bench/.work), its text and its document count. */
function caseInput(c: Case): { file: string; text: string; documents: number } | undefined {
  if (c.kind === 'file') {
    const text = readFileSync(c.path, 'utf8');
    return { file: c.path, text, documents: splitDocuments(text).length };
  }
  const generated = c.kind === 'real' ? realManifests(c.lines) : generateManifest(c.lines);
  if (!generated) return undefined;
  const text = c.kind === 'list' ? asList(generated.text) : generated.text;
  const file = join(WORK, `${c.kind === 'generated' ? 'manifest' : c.kind}-${c.lines}.yaml`);
  writeFileSync(file, text);
  return { file, text, documents: generated.documents };
}

/**
 * About `lines` lines of real pod documents: those of the corpus that `yaml` parses without an error
 * and that are not templates, in file order, joined with `---`. Undefined without the corpus.
 */
function realManifests(lines: number): { text: string; documents: number } | undefined {
  const documents: string[] = [];
  let count = 0;
  for (const file of corpusFiles().sort()) {
    const text = readFileSync(file, 'utf8');
    if (/\{\{|\{%|\r|\t/.test(text)) continue;
    for (const chunk of splitDocuments(text)) {
      const body = chunk.text.replace(/^---[^\n]*\n/, '');
      if (!looksLikePodDocument(body) || parseAllDocuments(body).some((d) => d.errors.length > 0)) continue;
      const document = body.endsWith('\n') ? body : `${body}\n`;
      documents.push(document);
      count += document.split('\n').length;
      if (count >= lines) break;
    }
    if (count >= lines) break;
  }
  return documents.length > 0 ? { text: documents.join('---\n'), documents: documents.length } : undefined;
}

function corpusFiles(): string[] {
  const root = process.env.SIDECAR_PODS_CORPUS ?? join(REPO, '..', 'shared', 'corpus');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

interface CliResult {
  files: number;
  /** Best of three, wall clock, pinned to one core where taskset exists. */
  seconds: number;
  filesPerSecond: number;
  /** CPU time of the CLI process itself (user + system): the figure a loaded machine does not distort. */
  cpuSeconds: number;
  filesPerCpuSecond: number;
  /** The same files parsed with `yaml` alone (parseAllDocuments, nothing else) in a fresh process. */
  parseOnlyFilesPerCpuSecond: number;
}

/** Reports the process's own CPU time on exit (wall time alone lies on a busy machine). */
const CPU_ON_EXIT = `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, '\\ncpu-us ' + (u.user + u.system) + '\\n'); });\n`;

/** Runs a script on one core (where taskset exists) three times: the best wall and CPU milliseconds. */
function bestOfThree(script: string, args: string[]): { wallMs: number; cpuMs: number } {
  const oneCore = spawnSync('taskset', ['--version']).status === 0;
  const all = [script, ...args];
  const [command, argv] = oneCore ? ['taskset', ['-c', '0', process.execPath, ...all]] : [process.execPath, all];
  let wallMs = Infinity;
  let cpuMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(command, argv, { maxBuffer: 256 * 2 ** 20, cwd: REPO });
    const ms = performance.now() - t0;
    const stderr = r.stderr?.toString() ?? '';
    if (r.status !== 0 && r.status !== 1) throw new Error(`${script} failed: ${stderr}`);
    const m = /cpu-us (\d+)/.exec(stderr);
    wallMs = Math.min(wallMs, ms);
    if (m) cpuMs = Math.min(cpuMs, Number(m[1]) / 1000);
  }
  return { wallMs, cpuMs };
}

/**
 * The CLI over the whole corpus on one core: the shipped bundle, best of three; and for scale, the
 * same files merely parsed with `yaml` in a fresh process.
 */
function cliThroughput(): CliResult | undefined {
  const files = corpusFiles();
  if (files.length === 0) return undefined;
  // the CLI as installed (bin/sidecar-pods.js, code cache included); the first of the three runs
  // writes the cache if there is none yet
  const cliScript = join(WORK, 'cli-timed.js');
  writeFileSync(cliScript, CPU_ON_EXIT + `require(${JSON.stringify(join(REPO, 'bin', 'sidecar-pods.js'))});\n`);
  const parseScript = join(WORK, 'parse-timed.js');
  writeFileSync(
    parseScript,
    CPU_ON_EXIT +
      `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml'))});\n` +
      `for (const f of process.argv.slice(2)) parseAllDocuments(require('fs').readFileSync(f, 'utf8'));\n`,
  );
  const cli = bestOfThree(cliScript, ['lint', '--format', 'json', ...files]);
  const parse = bestOfThree(parseScript, files);
  return {
    files: files.length,
    seconds: round(cli.wallMs / 1000, 2),
    filesPerSecond: round(files.length / (cli.wallMs / 1000), 0),
    cpuSeconds: round(cli.cpuMs / 1000, 2),
    filesPerCpuSecond: round(files.length / (cli.cpuMs / 1000), 0),
    parseOnlyFilesPerCpuSecond: round(files.length / (parse.cpuMs / 1000), 0),
  };
}

/**
 * Activation to a running server, as the extension-host tests measured it in a real editor
 * (code-server) during the last `npm test` or `scripts/e2e.sh`: starting an editor belongs there,
 * not here. Undefined when no such run left its results.
 */
function activationMs(): { ms: number; source: string } | undefined {
  const file = join(REPO, '.e2e', 'results-int.json');
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8')) as { metrics?: Record<string, number> };
  const ms = results.metrics?.['activationToRunningMs'];
  if (typeof ms !== 'number') return undefined;
  return { ms, source: `extension-host tests of ${statSync(file).mtime.toISOString()}` };
}

function vsixSize(): number | undefined {
  const out = join(WORK, 'sidecar-pods.vsix');
  try {
    execFileSync(join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], {
      cwd: REPO,
      stdio: 'ignore',
    });
    return statSync(out).size;
  } catch {
    return undefined;
  }
}

function budgetLine(name: string, value: number, limit: number, unit: string, atLeast = false): string {
  const ok = atLeast ? value >= limit : value <= limit;
  return `${ok ? 'PASS' : 'MISS'}  ${name}: ${value} ${unit} (budget ${atLeast ? 'at least' : 'at most'} ${limit} ${unit})`;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  mkdirSync(EMPTY_ROOT, { recursive: true });
  if (!existsSync(join(REPO, 'dist', 'server.js'))) throw new Error('dist/ is missing: run `npm run build`');
  // our server and CLI keep V8's code cache here (see server/src/engine/code-cache.ts): empty at
  // the start, written by the first server and CLI run, used by the later ones, as on a user's machine
  rmSync(CODE_CACHE, { recursive: true, force: true });
  process.env[CACHE_DIR_ENV] = CODE_CACHE;
  const specs = servers();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${round(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
  console.log(`Sidecar Pods benchmark on ${machine}`);
  /** What the run prints, in Markdown paragraphs: the results block of bench/README.md. */
  const markdown: string[] = [];
  const sizes: Record<string, unknown>[] = [];
  const budgets: string[] = [];
  /** Figures that explain the budgets, not budgets themselves. */
  const context: string[] = [];
  // `---`-separated workloads at each size, the same workloads as one List (kubectl's output), real
  // manifests that no generator wrote (the corpus's pod documents, one after another), and files of
  // the user's own
  const cases: Case[] = [
    ...opts.sizes.map((lines): Case => ({ kind: 'generated', lines })),
    ...(opts.list > 0 ? [{ kind: 'list', lines: opts.list } as const] : []),
    ...(opts.real > 0 ? [{ kind: 'real', lines: opts.real } as const] : []),
    ...opts.files.map((path): Case => ({ kind: 'file', path })),
  ];
  for (const c of cases) {
    const input = caseInput(c);
    if (!input) continue;
    const { file, text, documents } = input;
    const list = c.kind === 'list';
    const real = c.kind === 'real';
    const floor = parseFloor(file);
    const coldFloor = coldParseFloor(file);
    const actualLines = text.split('\n').length;
    const what =
      c.kind === 'file'
        ? `${documents} documents in ${file}`
        : `${documents} ${real ? 'real pod documents from the corpus' : 'workloads'}${list ? ' in one kind: List' : ''}`;
    const heading =
      `${actualLines} lines, ${what}; yaml parse of the whole file: ` +
      `${floor} ms (median of the first 5 in a fresh process), ${coldFloor} ms (the first alone)`;
    console.log(`\n${heading}`);
    const results: Record<string, ServerResult> = {};
    for (const spec of specs) {
      process.stdout.write(`  ${spec.name}... `);
      results[spec.name] = await measure(spec, file, text, opts);
      console.log('done');
    }
    const ours = results['sidecar-pods']!;
    const peer = results['yaml-language-server']!;
    const ratio = (a: number, b: number): number => round(a / b, 2);
    const rows: [string, number, number][] = [
      ['open to diagnostics (ms)', ours.openMs, peer.openMs],
      ['reopen to diagnostics (ms)', ours.reopenMs, peer.reopenMs],
      ['keystroke median (ms)', ours.keystroke.median, peer.keystroke.median],
      ['keystroke p95 (ms)', ours.keystroke.p95, peer.keystroke.p95],
      ...(ours.keystroke.cpuMs !== undefined && peer.keystroke.cpuMs !== undefined
        ? [['keystroke server CPU (ms)', ours.keystroke.cpuMs, peer.keystroke.cpuMs] as [string, number, number]]
        : []),
      ['hover p95 (ms)', ours.hover.p95, peer.hover.p95],
      ['completion p95 (ms)', ours.completion.p95, peer.completion.p95],
      ['peak RSS (MiB)', ours.peakRssMiB, peer.peakRssMiB],
      ['server start (ms)', ours.startMs, peer.startMs],
    ];
    console.log(`  ${'measure'.padEnd(28)}${'ours'.padStart(10)}${'peer'.padStart(10)}${'ours/peer'.padStart(11)}`);
    for (const [name, a, b] of rows) {
      console.log(
        `  ${name.padEnd(28)}${String(a).padStart(10)}${String(b).padStart(10)}${String(ratio(a, b)).padStart(11)}`,
      );
    }
    markdown.push(
      `**${heading}**`,
      markdownTable(
        ['measure', 'ours', 'yaml-language-server', 'ours/peer'],
        rows.map(([name, a, b]) => [name, a, b, ratio(a, b)]),
      ),
    );
    const notes: string[] = [];
    if (ours.serverClock) {
      notes.push(
        `ours by the server's clock: open ${ours.serverClock.openMs} ms = ${ours.serverClock.openOverFloor} x the parse floor ` +
          `timed right before each open (median ${ours.serverClock.pairedFloorMs} ms; ${ratio(ours.serverClock.openMs, floor)} x the floor above) ` +
          `(${ratio(ours.serverClock.openMs, coldFloor)} x a fresh process's first parse); ` +
          `reopen ${ours.serverClock.reopenMs} ms = ${ratio(ours.serverClock.reopenMs, floor)} x the parse floor; ` +
          `keystroke median ${ours.serverClock.keystrokeMedian} ms, p95 ${ours.serverClock.keystrokeP95} ms`,
      );
    }
    if (!ours.hover.answered || !ours.completion.answered) {
      notes.push('note: our server gave no hover or completion at the probe positions');
    }
    for (const note of notes) console.log(`  ${note}`);
    markdown.push(...notes);
    sizes.push({
      lines: actualLines,
      documents,
      list,
      real,
      ...(c.kind === 'file' ? { file } : {}),
      yamlParseMs: floor,
      yamlColdParseMs: coldFloor,
      results,
    });
    if ((real || c.kind === 'file') && ours.serverClock) {
      // the open budget on manifests no generator wrote: the corpus's, and any big file given (the
      // issue sets it for large manifests; a small file's open is a few ms of fixed costs, which a
      // ratio to its parse only magnifies)
      const name = real ? 'real manifests' : basename(file);
      if (actualLines >= LARGE_FILE_LINES) {
        budgets.push(budgetLine(`open on ${name} / yaml parse`, ours.serverClock.openOverFloor, 1.3, 'x'));
      } else {
        context.push(
          `open on ${name} (${actualLines} lines; the open budget is for files of ${LARGE_FILE_LINES} lines or more): ` +
            `${ours.serverClock.openMs} ms by the server's clock, ${ours.serverClock.openOverFloor} x its yaml parse`,
        );
      }
    }
    if (list && ours.serverClock) {
      context.push(
        `a ${actualLines}-line List: keystroke median ${ours.serverClock.keystrokeMedian} ms, p95 ${ours.serverClock.keystrokeP95} ms ` +
          `by the server's clock; peak RSS ${ours.peakRssMiB} MiB (the peer: ${peer.peakRssMiB} MiB)`,
      );
    }
    if (c.kind === 'generated' && c.lines >= 9000 && c.lines <= 11000 && ours.serverClock) {
      budgets.push(
        budgetLine('open to diagnostics / yaml parse', ours.serverClock.openOverFloor, 1.3, 'x'),
        budgetLine('keystroke median', ours.serverClock.keystrokeMedian, 10, 'ms'),
        budgetLine('keystroke p95', ours.serverClock.keystrokeP95, 25, 'ms'),
        budgetLine('hover p95', ours.hover.p95, 20, 'ms'),
        budgetLine('completion p95', ours.completion.p95, 20, 'ms'),
        budgetLine('peak RSS', ours.peakRssMiB, 120, 'MiB'),
      );
      const warm = warmCheck(text);
      const noCache = await openOnce({ ...specs[0]!, env: { [CACHE_DIR_ENV]: 'off' } }, file, text);
      context.push(
        `open to diagnostics / a fresh process's first yaml parse of the file: ${ratio(ours.serverClock.openMs, coldFloor)} x`,
        `open to diagnostics without V8's code cache (a first start ever; one server): ${round(noCache.serverMs ?? NaN)} ms = ` +
          `${ratio(noCache.serverMs ?? NaN, floor)} x the parse floor`,
        `parse and check of the file, warm, without a server (medians of 15 in this process): ${warm.checkMs} ms; ` +
          `yaml parse alone: ${warm.parseMs} ms (${ratio(warm.checkMs, warm.parseMs)} x)`,
        `reopen to diagnostics (the same check in a server that has run) / yaml parse: ${ratio(ours.serverClock.reopenMs, floor)} x`,
      );
    }
  }
  /** A line of the console that is also a paragraph of the Markdown. */
  const say = (line: string): void => {
    console.log(line);
    markdown.push(line);
  };
  let workspace: Record<string, WorkspaceResult> | undefined;
  if (opts.workspace > 0) {
    const big = generateManifest(10000).text;
    const { bigFile, service } = generateWorkspace(PROJECT, opts.workspace, big);
    const serviceText = readFileSync(service, 'utf8');
    const heading =
      `A workspace of ${opts.workspace} manifest files (Services, ConfigMaps, Deployments) and the 10k-line file, ` +
      `opened and typed into while the index reads the folder`;
    console.log(`\n${heading}`);
    workspace = {};
    for (const spec of specs) {
      process.stdout.write(`  ${spec.name}... `);
      workspace[spec.name] = await measureWorkspace(
        spec,
        PROJECT,
        opts.workspace,
        bigFile,
        big,
        service,
        serviceText,
        probes(big).type,
        opts.keystrokes,
      );
      console.log('done');
    }
    const ours = workspace['sidecar-pods']!;
    const peer = workspace['yaml-language-server']!;
    const rows: (string | number)[][] = [
      [
        'keystroke median (ms)',
        ours.keystroke.median,
        peer.keystroke.median,
        round(ours.keystroke.median / peer.keystroke.median, 2),
      ],
      ['keystroke p95 (ms)', ours.keystroke.p95, peer.keystroke.p95, round(ours.keystroke.p95 / peer.keystroke.p95, 2)],
      ['peak RSS (MiB)', ours.peakRssMiB, peer.peakRssMiB, round(ours.peakRssMiB / peer.peakRssMiB, 2)],
    ];
    for (const [name, a, b, r] of rows) {
      console.log(
        `  ${String(name).padEnd(28)}${String(a).padStart(10)}${String(b).padStart(10)}${String(r).padStart(11)}`,
      );
    }
    const notes = [
      `ours: ${ours.keystrokesWhileIndexing} of ${ours.keystroke.samples} keystrokes while the index was reading; ` +
        `index of ${ours.indexedFiles} files in ${ours.indexMs} ms (server clock); ` +
        `an edit of a Service to the set check's publication: ${ours.serviceEditMs} ms; set check median ${ours.setCheckMedianMs} ms`,
    ];
    for (const n of notes) console.log(`  ${n}`);
    markdown.push(
      `**${heading}**`,
      markdownTable(['measure', 'ours', 'yaml-language-server', 'ours/peer'], rows),
      ...notes,
    );
    budgets.push(
      budgetLine('workspace: keystroke p95 while indexing', ours.keystroke.p95, 25, 'ms'),
      budgetLine(`workspace: index of ${opts.workspace} files`, round((ours.indexMs ?? NaN) / 1000, 2), 5, 's'),
      budgetLine('workspace: peak RSS', ours.peakRssMiB, 250, 'MiB'),
      budgetLine('workspace: a Service edit re-checked', ours.serviceEditMs ?? NaN, 50, 'ms'),
    );
  }
  const cli = cliThroughput();
  if (cli) {
    console.log();
    say(
      `CLI over the corpus: ${cli.files} files in ${cli.seconds} s wall = ${cli.filesPerSecond} files/s; ` +
        `${cli.cpuSeconds} s of CPU = ${cli.filesPerCpuSecond} files per CPU second (one core)`,
    );
    budgets.push(
      budgetLine(
        'CLI over the corpus, per CPU second',
        cli.filesPerCpuSecond,
        CLI_FILES_PER_CPU_SECOND,
        'files/s',
        true,
      ),
    );
    context.push(
      `yaml alone, parsing every corpus file in a fresh process: ${cli.parseOnlyFilesPerCpuSecond} files per CPU second`,
    );
  }
  const activation = activationMs();
  if (activation) {
    say(`activation to a running server: ${activation.ms} ms (real editor, ${activation.source})`);
    budgets.push(budgetLine('activation to a running server', activation.ms, 300, 'ms'));
  } else {
    say('activation to a running server: not measured (run `npm test` or `bash scripts/e2e.sh` first)');
  }
  const vsix = vsixSize();
  if (vsix !== undefined) {
    say(`.vsix: ${round(vsix / 2 ** 20, 2)} MiB`);
    budgets.push(budgetLine('.vsix size', round(vsix / 2 ** 20, 2), 2, 'MiB'));
  }
  const budgetsTitle = 'Budgets (the generated 10k-line file, unless named):';
  if (budgets.length > 0) console.log(`\n${budgetsTitle}\n  ${budgets.join('\n  ')}`);
  if (context.length > 0) console.log(`Context:\n  ${context.join('\n  ')}`);
  const bullets = (title: string, items: string[]): string[] =>
    items.length > 0 ? [`**${title}**`, items.map((item) => `- ${item}`).join('\n')] : [];
  markdown.push(...bullets(budgetsTitle, budgets), ...bullets('Context:', context));
  const results = {
    date: new Date().toISOString(),
    machine,
    peer: peerVersion(),
    sizes,
    workspace,
    cli,
    vsixBytes: vsix,
    activationMs: activation,
    budgets,
    context,
  };
  writeFileSync(join(REPO, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwrote bench/results.json');
  if (!opts.writeReadme) {
    console.log(`left ${README} as it was (a --quick or --files run, or --no-write-readme; --write-readme writes it)`);
    return;
  }
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const header = `Measured by \`${command}\` on ${results.date}, ${machine}, against ${results.peer}; ${revision()}.`;
  try {
    replaceResults(README, [header, ...markdown].join('\n\n'));
  } catch (e) {
    throw new Error(
      `could not write the results into ${README} (bench/results.json has them): ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  console.log(`wrote the results into ${README}, between ${RESULTS_START} and ${RESULTS_END}`);
}

/** A Markdown table, numbers right-aligned. */
function markdownTable(head: string[], rows: (string | number)[][]): string {
  const align = rows[0]?.map((cell) => (typeof cell === 'number' ? '---:' : '---')) ?? head.map(() => '---');
  return [head, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** Puts `block` between the results markers of `file` (a file without them is an error, not skipped). */
function replaceResults(file: string, block: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start < 0 || end < start) throw new Error(`it has no ${RESULTS_START} ... ${RESULTS_END} block`);
  writeFileSync(file, `${text.slice(0, start + RESULTS_START.length)}\n${block}\n${text.slice(end)}`);
}

/** The commit measured, and whether the checkout had changes on top of it. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === ''
      ? `commit ${commit}`
      : `commit ${commit} with uncommitted changes`;
  } catch {
    return 'commit unknown (no git)';
  }
}

function peerVersion(): string {
  const manifest = join(REPO, 'node_modules', 'yaml-language-server', 'package.json');
  return `yaml-language-server ${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

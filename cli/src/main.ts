// sidecar-pods: the same rules as the editor, for CI.
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeSettings, parseMinorVersion, type Settings } from '../../shared/src/settings';
import {
  configLine,
  Engine,
  type Finding,
  positionsOf,
  ruleCatalogue,
  tooLargeFinding,
  type LoadedConfig,
  type Origin,
} from '../../server/src/engine';
import { DIAGRAM_USAGE, diagram } from './diagram';
import { lintOverlays } from './overlays';
import { collectFiles, isTooLargeError, readBounded, reason } from './files';
import { ruleTable } from './rule-table';
import {
  formatJson,
  formatSarif,
  formatText,
  STDIN_NAME,
  type CliFinding,
  type CliLocation,
  type Format,
} from './report';

declare const SIDECAR_PODS_VERSION: string | undefined;
/** One decoder for every file (invalid UTF-8 becomes U+FFFD, as an editor shows it). */
const UTF8 = new TextDecoder('utf-8');

const VERSION = typeof SIDECAR_PODS_VERSION === 'string' ? SIDECAR_PODS_VERSION : '0.1.0';

const USAGE = `Usage: sidecar-pods lint [options] PATH...
       sidecar-pods rules [--format json]   list the rules (a Markdown table, or JSON metadata)
       sidecar-pods diagram FILE -o OUT.svg   draw the pods of a file (see diagram --help)

Checks Kubernetes pods and pod templates in YAML files (folders are searched for *.yaml and *.yml;
- reads standard input).

Options:
  --format text|json|sarif     output format (default: text)
  --kubernetes-version 1.N     the Kubernetes version the manifests target (default: 1.33;
                               overrides the config file)
  --config FILE                the config file for every path (default: the .sidecar-pods.yaml
                               nearest to each file: its folder or the closest parent folder)
  --kustomize-renderer CMD     what renders kustomize overlays: off, kubectl, kustomize or a
                               command called as kustomize is (default: kubectl, else kustomize,
                               from PATH; overrides the config file)
  -h, --help                   show this help
  -v, --version                show the version

Exit status: 0 no errors, 1 errors found, 2 bad usage, an unreadable path or a bad config file.
`;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
  cwd: string;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly usage = USAGE,
  ) {
    super(message);
  }
}

export function run(argv: readonly string[], io: CliIO): number {
  try {
    return runOrThrow(argv, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`sidecar-pods: ${(e as Error).message}\n\n${e instanceof UsageError ? e.usage : USAGE}`);
      return 2;
    }
    throw e;
  }
}

function runOrThrow(argv: readonly string[], io: CliIO): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  if (command === 'rules') {
    const { values } = parseArgs({ args: [...rest], strict: true, options: { format: { type: 'string' } } });
    if (values.format === 'json') io.stdout(JSON.stringify(ruleCatalogue(), null, 2) + '\n');
    else if (values.format === undefined || values.format === 'markdown') io.stdout(ruleTable() + '\n');
    else throw new UsageError(`rules --format must be markdown or json, not "${values.format}"`);
    return 0;
  }
  if (command === 'diagram') return runDiagram(rest, io);
  if (command !== 'lint') throw new UsageError(`unknown command "${command}"`);

  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      'kubernetes-version': { type: 'string' },
      config: { type: 'string' },
      'kustomize-renderer': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = values.format as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  }
  const version = values['kubernetes-version'];
  if (version !== undefined && parseMinorVersion(version) === undefined) {
    throw new UsageError(`--kubernetes-version expects a version such as 1.33, not "${version}"`);
  }
  if (positionals.length === 0) throw new UsageError('no PATH given');
  const { settings } = normalizeSettings({});
  const cliVersion =
    version === undefined ? undefined : normalizeSettings({ kubernetesVersion: version }).settings.kubernetesVersion;
  const renderer = values['kustomize-renderer'];
  return lint(positionals, { format, base: settings, version: cliVersion, configPath: values.config, renderer }, io);
}

function runDiagram(args: readonly string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        doc: { type: 'string' },
        theme: { type: 'string', default: 'light' },
        output: { type: 'string', short: 'o' },
        'kubernetes-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, DIAGRAM_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(DIAGRAM_USAGE);
    return 0;
  }
  const usage = (message: string): never => {
    throw new UsageError(message, DIAGRAM_USAGE);
  };
  if (positionals.length !== 1) usage(positionals.length === 0 ? 'no FILE given' : 'give one FILE');
  const theme = values.theme as string;
  if (theme !== 'light' && theme !== 'dark') usage(`--theme must be light or dark, not "${theme}"`);
  if (values.output === undefined) usage('no output file given (-o OUT.svg, or -o - for standard output)');
  let doc: number | undefined;
  if (values.doc !== undefined) {
    doc = /^[1-9][0-9]*$/.test(values.doc)
      ? Number(values.doc)
      : usage(`--doc expects a document number from 1, not "${values.doc}"`);
  }
  const version = values['kubernetes-version'];
  if (version !== undefined && parseMinorVersion(version) === undefined) {
    usage(`--kubernetes-version expects a version such as 1.33, not "${version}"`);
  }
  return diagram(
    {
      file: positionals[0]!,
      ...(doc !== undefined ? { doc } : {}),
      theme: theme as 'light' | 'dark',
      output: values.output!,
      settings: normalizeSettings({}).settings,
      ...(version !== undefined
        ? { kubernetesVersion: normalizeSettings({ kubernetesVersion: version }).settings.kubernetesVersion }
        : {}),
      cwd: io.cwd,
    },
    io,
  );
}

interface LintOptions {
  format: Format;
  base: Settings;
  /** --kubernetes-version, which says the last word over config files. */
  version: string | undefined;
  /** --config: one config file for every path. */
  configPath: string | undefined;
  /** --kustomize-renderer: what renders overlays, over any config file. */
  renderer: string | undefined;
}

function lint(paths: string[], options: LintOptions, io: CliIO): number {
  const { files, problems, empty } = collectFiles(paths);
  // a typo'd or misplaced folder would otherwise pass unnoticed (`0 files checked` in CI)
  for (const dir of empty) io.stderr(`sidecar-pods: ${dir}: no .yaml or .yml file in this folder\n`);
  const engine = new Engine({ log: (m) => io.stderr(`sidecar-pods: internal error: ${m}\n`) });
  /** The files checked, in order, with their text (set rules read them all; positions need it). */
  const checked: { file: string; text: string | undefined; settings: Settings; findings: Finding[] }[] = [];
  /** The settings of a file (undefined: standard input) under its config file; undefined when it ignores the file. */
  const settingsFor = (path: string | undefined): Settings | undefined => {
    const origin: Origin = { folder: io.cwd };
    if (path !== undefined) origin.path = path;
    if (options.configPath !== undefined) origin.configPath = resolve(io.cwd, options.configPath);
    const governed = engine.govern(origin, options.base);
    if (governed.ignored) return undefined;
    // the command line says the last word
    return options.version === undefined
      ? governed.settings
      : { ...governed.settings, kubernetesVersion: options.version };
  };
  for (const file of files) {
    const settings = settingsFor(file === '-' ? undefined : resolve(io.cwd, file));
    if (!settings) continue;
    let text: string | undefined;
    try {
      const bytes = file === '-' ? Buffer.from(io.readStdin(), 'utf8') : readBounded(file);
      if (bytes.includes(0)) {
        io.stderr(`sidecar-pods: ${file}: skipped, not a text file\n`);
        continue;
      }
      text = UTF8.decode(bytes);
    } catch (e) {
      if (!isTooLargeError(e)) {
        problems.push(`${file}: ${reason(e, file)}`);
        continue;
      }
    }
    // a file past what is read is too large to check, as one the editor has open would be
    checked.push({ file, text, settings, findings: text === undefined ? [tooLargeFinding(undefined)] : [] });
  }
  // the SidecarSets of every file inject into the pods they select in the others
  const sidecarSets = checked.map((c, i) => (c.text === undefined ? [] : engine.sidecarSetsIn(c.text, String(i))));
  const everySidecarSet = sidecarSets.flat();
  for (const [i, c] of checked.entries()) {
    if (c.text === undefined) continue;
    // those of the other files (most files write none: the same list for them all)
    const key = String(i);
    const others = sidecarSets[i]!.length === 0 ? everySidecarSet : everySidecarSet.filter((s) => s.key !== key);
    const around = { sidecarSets: others };
    // keyed as checkSet below keys it, so the set rules find its documents parsed and read
    c.findings = engine.check(c.text, c.settings, key, around);
  }
  // rules between files (a Service and its pods) read the files given, as one set
  if (engine.hasSetRules(checked.map((c) => c.settings))) {
    const members = checked.flatMap((c, i) =>
      c.text === undefined ? [] : [{ key: String(i), text: c.text, settings: c.settings }],
    );
    for (const [key, found] of engine.checkSet(members)) {
      const c = checked[Number(key)];
      c.findings = [...c.findings, ...found].sort((a, b) => a.range.start - b.range.start);
    }
  }
  // overlays are checked as rendered; their findings land on the files that wrote them
  lintOverlays(checked, {
    engine,
    cwd: io.cwd,
    renderer: options.renderer,
    settingsFor: (path) => {
      const origin: Origin = { folder: io.cwd, path };
      if (options.configPath !== undefined) origin.configPath = resolve(io.cwd, options.configPath);
      const governed = engine.govern(origin, options.base);
      if (governed.ignored) return undefined;
      return options.version === undefined
        ? governed.settings
        : { ...governed.settings, kubernetesVersion: options.version };
    },
  });
  const findings: CliFinding[] = [];
  const positions = checked.map((c) => positionsOf(c.text ?? ''));
  const nameOf = (file: string): string => (file === '-' ? STDIN_NAME : file);
  for (const [i, { file, findings: fileFindings }] of checked.entries()) {
    const positionAt = positions[i]!;
    for (const f of fileFindings) {
      const start = positionAt(f.range.start);
      const end = positionAt(f.range.end);
      // where another file's object is: the member named by the key given above (its index here:
      // a set rule's other object, a SidecarSet of another file)
      const related: CliLocation[] = (f.related ?? []).flatMap((r) => {
        const other = r.key === undefined ? undefined : checked[Number(r.key)];
        if (!other) return [];
        const at = Number(r.key);
        const s = positions[at]!(r.range.start);
        const e = positions[at]!(r.range.end);
        const location = { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
        return [{ file: nameOf(other.file), ...location, message: r.message }];
      });
      findings.push({
        file: nameOf(file),
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        ...(f.object ? { object: f.object } : {}),
        ...(f.template !== undefined ? templateOf(f.template, io.cwd) : {}),
        ...(related.length > 0 ? { related } : {}),
      });
    }
  }
  for (const config of engine.configs.loaded()) problems.push(...configProblems(config, options.configPath, io));
  for (const p of problems) io.stderr(`sidecar-pods: ${p}\n`);
  if (options.format === 'json') io.stdout(formatJson(findings));
  else if (options.format === 'sarif') io.stdout(formatSarif(findings, VERSION, io.cwd));
  else io.stdout(formatText(findings, checked.length));
  if (problems.length > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * The template of rendered Helm output, and its file where the workspace holds it: `helm template`
 * names it `CHART/templates/FILE.yaml`, which is found from the chart's parent folder, from the
 * chart's own folder (without the chart's name) or under `charts/`.
 */
function templateOf(template: string, cwd: string): Pick<CliFinding, 'template' | 'templateFile'> {
  const withoutChart = template.split('/').slice(1).join('/');
  for (const candidate of [template, withoutChart, `charts/${template}`]) {
    if (candidate === '' || isAbsolute(candidate) || candidate.split('/').includes('..')) continue;
    const file = resolve(cwd, candidate);
    if (isFile(file)) return { template, templateFile: relative(cwd, file) };
  }
  return { template };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A config file's errors, which fail the run (exit 2: a broken config file is never silently
 * skipped); its warnings go to standard error as they are found.
 */
function configProblems(config: LoadedConfig, named: string | undefined, io: CliIO): string[] {
  if (config.readError !== undefined)
    return [`${named !== undefined ? '--config ' : ''}${config.path}: ${reason(config.readError)}`];
  const errors: string[] = [];
  for (const p of config.problems) {
    const line = `${config.path}:${configLine(config, p.range.start)}: ${p.message}`;
    if (p.severity === 'error') errors.push(line);
    else io.stderr(`sidecar-pods: warning: ${line}\n`);
  }
  return errors;
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => readBounded(0).toString('utf8'),
    cwd: process.cwd(),
  });
}

// `node dist/cli.js ...` runs directly; bin/sidecar-pods.js calls main().
if (require.main === module) main();

import { pathToFileURL } from 'node:url';
import { relative, resolve, sep } from 'node:path';
import { objectLabel, ruleCatalogue, type ObjectRef, type Severity } from '../../server/src/engine';

/** One finding as the CLI prints it: 1-based lines and columns (UTF-16 code units, as editors count). */
export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  message: string;
  /** The Kubernetes object the finding is in, when it names a kind. */
  object?: ObjectRef;
  /** The Helm template of rendered output (its `# Source:` comment), as the renderer wrote it. */
  template?: string;
  /** That template's file relative to the current directory, when it exists there (SARIF then points at it). */
  templateFile?: string;
  /** Where the other object of a finding between objects is (a Service's pods, a pod's ConfigMap). */
  related?: CliLocation[];
}

/** A place in a file, 1-based as the finding's own. */
export interface CliLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** How the CLI names standard input in its reports. */
export const STDIN_NAME = '<stdin>';

export type Format = 'text' | 'json' | 'sarif';

export function formatText(findings: readonly CliFinding[], filesChecked: number): string {
  const lines = findings.map(
    (f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${whose(f)}${f.message} [${f.rule}]`,
  );
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(filesChecked, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`,
  );
  return lines.join('\n') + '\n';
}

/** `Deployment prod/web: `, with the Helm template it was rendered from: `Deployment web (chart/templates/web.yaml): `. */
function whose(f: CliFinding): string {
  const parts = [f.object ? objectLabel(f.object) : undefined, f.template ? `(${f.template})` : undefined];
  const label = parts.filter((p) => p !== undefined).join(' ');
  return label === '' ? '' : `${label}: `;
}

export function formatJson(findings: readonly CliFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** SARIF 2.1.0 as GitHub code scanning reads it: relative artifact URIs against %SRCROOT%. */
export function formatSarif(findings: readonly CliFinding[], version: string, cwd: string): string {
  const rules = ruleCatalogue().map((r) => ({
    id: r.id,
    name: r.id,
    shortDescription: { text: r.description },
    helpUri: r.docs,
    defaultConfiguration: { level: r.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.defaultSeverity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const uriOf = (file: string): string =>
    file === STDIN_NAME ? 'stdin' : relative(cwd, resolve(cwd, file)).split(sep).map(encodeURIComponent).join('/');
  const rendered = (f: CliFinding): object => ({
    physicalLocation: {
      artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
    },
  });
  const relatedOf = (f: CliFinding): object => {
    const locations: object[] = [];
    if (f.templateFile !== undefined) locations.push(rendered(f));
    for (const r of f.related ?? []) locations.push({ ...rendered({ ...f, ...r }), message: { text: r.message } });
    return locations.length > 0 ? { relatedLocations: locations.map((l, id) => ({ id, ...l })) } : {};
  };
  // the template's line is not known from the rendered output: its first line stands for the file
  const templateLocation = (file: string): object => ({
    physicalLocation: { artifactLocation: { uri: uriOf(file), uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sidecar-pods', version, semanticVersion: version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + sep).href } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          ...(f.object
            ? {
                logicalLocations: [
                  { name: f.object.name ?? f.object.kind, fullyQualifiedName: objectLabel(f.object), kind: 'object' },
                ],
              }
            : {}),
          // rendered Helm: the template a user edits, with the rendered line beside it
          locations: [f.templateFile !== undefined ? templateLocation(f.templateFile) : rendered(f)],
          ...relatedOf(f),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

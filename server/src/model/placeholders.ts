// Placeholders of the tools that fill in a manifest before (or while) it runs: envsubst (`${VAR}`,
// `$VAR`), Tekton's and Kubernetes' own variable references (`$(params.x)`, `$(VAR_NAME)`), Argo
// Workflows' tags (`{{inputs.parameters.x}}`, `{{=expression}}`) and sed-style `{{ name }}`. A value
// that holds one is only known once it is filled in, so value checks leave it alone; and none of
// them makes a file a Helm/Go template (see isGoTemplateAction).

/** How a placeholder is written: `${VAR}` or `$VAR`; `$(...)`; `{{...}}`. */
export type PlaceholderSyntax = 'dollar-brace' | 'dollar' | 'dollar-paren' | 'braces';

export interface Placeholder {
  syntax: PlaceholderSyntax;
  /** Offsets into the text, end exclusive. */
  start: number;
  end: number;
}

// One alternative per syntax, in this order (the capture group that matched names it):
// - `${VAR}`, also with a shell default or check (`${TAG:-latest}`, `${HOST:?unset}`);
// - `$(params.x)`, `$(params['a.b'])`, `$(params.list[*])`, `$(context.taskRun.name)`, `$(VAR_NAME)`;
// - `$VAR`;
// - `{{...}}`, whatever is inside: Argo's tags and expressions, sed-style names, and a Go template's
//   actions too (a value written by a template is not known either).
const PLACEHOLDER =
  /(\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^{}]*)?\})|(\$\([A-Za-z_][^()\s]*\))|(\$[A-Za-z_][A-Za-z0-9_]*)|(\{\{[\s\S]*?\}\})/g;
const SYNTAXES: readonly PlaceholderSyntax[] = ['dollar-brace', 'dollar-paren', 'dollar', 'braces'];

/** The placeholders in `text`, in order. `$$(VAR)` is Kubernetes' escape for a literal `$(VAR)`. */
export function findPlaceholders(text: string): Placeholder[] {
  if (text.indexOf('$') < 0 && text.indexOf('{{') < 0) return [];
  const found: Placeholder[] = [];
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m; m = PLACEHOLDER.exec(text)) {
    if (m[0].startsWith('$') && text[m.index - 1] === '$') continue;
    const group = m.slice(1).findIndex((g) => g !== undefined);
    found.push({ syntax: SYNTAXES[group]!, start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/** Whether `value` is a string that is or holds a placeholder: its real value is not known here. */
export function hasPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && findPlaceholders(value).length > 0;
}

/**
 * `text` with each placeholder replaced by one `mark` character: what is left is what is known
 * (an image `registry/${APP}:1.2` has a known tag; in `registry/${IMAGE}` the tag may be the
 * placeholder's).
 */
export function maskPlaceholders(text: string, mark = '\u0000'): string {
  let out = '';
  let at = 0;
  for (const p of findPlaceholders(text)) {
    out += text.slice(at, p.start) + mark;
    at = p.end;
  }
  return out + text.slice(at);
}

/**
 * Placeholder languages of their own, by the kinds whose documents use them. Argo Workflows'
 * expression tags (`{{=sprig.trim(inputs.parameters.x)}}`, `{{= asInt(item) + 1 }}`) look nothing like
 * a Go template's actions, yet are not a bare name either; in these kinds' documents they are
 * Argo's (https://argo-workflows.readthedocs.io/en/latest/variables/). Data, so that the checks of
 * these kinds (custom resources with pods) can reuse the list.
 */
export const PLACEHOLDER_DIALECTS: readonly {
  dialect: PlaceholderDialect;
  apiGroup: string;
  kinds: readonly string[];
}[] = [
  {
    dialect: 'argo',
    apiGroup: 'argoproj.io',
    kinds: ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'],
  },
];

export type PlaceholderDialect = 'argo';

/** The placeholder dialect of a document of this apiVersion and kind, if it has one. */
export function placeholderDialect(
  apiVersion: string | undefined,
  kind: string | undefined,
): PlaceholderDialect | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return PLACEHOLDER_DIALECTS.find((d) => d.apiGroup === group && kind !== undefined && d.kinds.includes(kind))
    ?.dialect;
}

/**
 * A bare name or dotted path: sed-style `{{ name }}`, Argo's `{{item}}`, `{{inputs.parameters.x}}`,
 * `{{workflow.name}}`, `{{steps.gen-list.outputs.result}}`. Go templates start a field with a dot
 * (`.Values.x`), a variable with `$`, and call functions with arguments (`include "x" .`): a path
 * without a leading dot is not a field in Go, and a bare name would be a function without
 * arguments, which charts do not write but for the words below.
 */
const NAME_PATH = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/;
/** Go's keywords that stand alone in an action, and Sprig's functions of no arguments. */
const GO_WORDS = new Set(['end', 'else', 'break', 'continue', 'nil', 'true', 'false', 'now', 'uuidv4']);

/**
 * Whether `{{inner}}` is an action of a Go (Helm) template, rather than another tool's placeholder.
 * Go's own syntax: trim markers (`{{- ` / ` -}}`), comments (a slash and a star after `{{`), fields (`.Values.x`, `.`),
 * variables (`$x`), keywords (`if`, `range`, `end`...), functions (`include`, `toYaml . | nindent 4`),
 * pipes, strings. Not Go: a bare name or dotted path (sed, Argo) and, in an Argo document, an Argo
 * expression (`=...`).
 */
export function isGoTemplateAction(inner: string, dialect?: PlaceholderDialect): boolean {
  if (/^-\s/.test(inner) || /\s-$/.test(inner)) return true;
  const body = inner.trim();
  if (dialect === 'argo' && body.startsWith('=')) return false;
  return !NAME_PATH.test(body) || GO_WORDS.has(body);
}

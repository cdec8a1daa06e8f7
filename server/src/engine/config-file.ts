// The project's `.sidecar-pods.yaml`: read by the server (workspace folder root) and the CLI
// (nearest folder up from each file). Pure: text in, config and problems out; callers do the I/O.
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import {
  CONFIG_RENDERERS,
  isTimeout,
  parseMinorVersion,
  RULE_LEVELS,
  type RuleLevel,
  type Settings,
} from '../../../shared/src/settings';
import { parseDocumentModel } from '../model/parse';
import { podSpecSite, type CustomPodKind } from '../model/kinds';
import type { Range } from '../model/types';
import { nodeRange } from '../model/yaml-nodes';

export const CONFIG_FILE_NAME = '.sidecar-pods.yaml';

export interface ProjectConfig {
  kubernetesVersion?: string;
  rules: Record<string, RuleLevel>;
  /** Globs of files not to lint, relative to the config file's folder. */
  ignore: string[];
  /** off, kubectl or kustomize (see Settings.kustomizeRenderer). */
  kustomizeRenderer?: string;
  kustomizeTimeoutSeconds?: number;
  /** The project's own kinds that carry pods (`customResources`). */
  customResources?: CustomPodKind[];
}

export interface ConfigProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

const KEYS = [
  'kubernetesVersion',
  'rules',
  'ignore',
  'customResources',
  'kustomizeRenderer',
  'kustomizeTimeoutSeconds',
];

/**
 * Reads a config file's text. What is malformed is dropped and reported with its range, and the
 * rest still applies: a typo in one rule's level does not undo the others.
 */
export function parseConfig(
  text: string,
  knownRules: ReadonlySet<string>,
): { config: ProjectConfig; problems: ConfigProblem[] } {
  const config: ProjectConfig = { rules: {}, ignore: [] };
  const problems: ConfigProblem[] = [];
  const problem = (node: unknown, message: string, severity: ConfigProblem['severity'] = 'error'): void => {
    problems.push({ message, range: nodeRange(node as Node), severity });
  };
  const model = parseDocumentModel(text);
  for (const e of model.syntaxErrors) problems.push({ message: e.message, range: e.range, severity: 'error' });
  if (model.syntaxErrors.length > 0) return { config, problems };
  const root = model.yaml.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, problems }; // empty file
  if (!isMap(root)) {
    problem(root, 'expected a map with kubernetesVersion, rules, ignore and customResources');
    return { config, problems };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value as Node | null;
    if (key === 'kubernetesVersion') {
      // `1.30` is a float in YAML (1.3): read what was written, not the number
      const written =
        isScalar(value) && value.range
          ? text.slice(value.range[0], value.range[1]).replace(/^["']|["']$/g, '')
          : undefined;
      if (written !== undefined && parseMinorVersion(written) !== undefined) {
        config.kubernetesVersion = written.replace(/^v/, '').split('.').slice(0, 2).join('.');
      } else {
        problem(value ?? pair.key, 'kubernetesVersion: expected a version such as "1.33"');
      }
    } else if (key === 'kustomizeRenderer') {
      const v = isScalar(value) ? value.value : undefined;
      if (typeof v === 'string' && CONFIG_RENDERERS.includes(v)) config.kustomizeRenderer = v;
      else
        problem(
          value ?? pair.key,
          `kustomizeRenderer: expected ${CONFIG_RENDERERS.join(', ')} (another command is set in the editor's settings or with --kustomize-renderer)`,
        );
    } else if (key === 'kustomizeTimeoutSeconds') {
      const v = isScalar(value) ? value.value : undefined;
      if (isTimeout(v)) config.kustomizeTimeoutSeconds = v;
      else problem(value ?? pair.key, 'kustomizeTimeoutSeconds: expected a number of seconds from 1 to 600');
    } else if (key === 'rules') {
      readRules(value, knownRules, config, problem);
    } else if (key === 'customResources') {
      readCustomResources(value, pair.key, config, problem);
    } else if (key === 'ignore') {
      if (!isSeq(value)) {
        problem(value ?? pair.key, 'ignore: expected a list of globs');
        continue;
      }
      for (const item of value.items) {
        if (!isScalar(item) || typeof item.value !== 'string' || item.value === '') {
          problem(item, 'ignore: each entry is a glob string');
        } else if (!safeGlob(item.value)) {
          problem(
            item,
            `ignore: "${item.value}" has more than ${MAX_STARS} "*" in one path segment or an extglob; it is not used`,
          );
        } else {
          config.ignore.push(item.value);
        }
      }
    } else {
      problem(pair.key, `unknown key "${String(key)}"; expected one of ${KEYS.join(', ')}`, 'warning');
    }
  }
  return { config, problems };
}

function readRules(
  value: Node | null,
  knownRules: ReadonlySet<string>,
  config: ProjectConfig,
  problem: (node: unknown, message: string, severity?: ConfigProblem['severity']) => void,
): void {
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isMap(value)) {
    problem(value, 'rules: expected a map of rule id to off, info, warning or error');
    return;
  }
  for (const pair of value.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : '';
    const level = isScalar(pair.value) ? pair.value.value : undefined;
    if (!knownRules.has(id)) {
      problem(pair.key, `unknown rule "${id}"`, 'warning');
    } else if (typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) {
      config.rules[id] = level as RuleLevel;
    } else {
      problem(pair.value ?? pair.key, `rules.${id}: expected off, info, warning or error`);
    }
  }
}

const CUSTOM_KEYS = ['apiVersion', 'kind', 'podSpecs'];
/** A dotted path of keys, `[]` after a key for every item of its list: `spec.workers[].template.spec`. */
const POD_PATH = /^[A-Za-z0-9_-]+(\[\])?(\.[A-Za-z0-9_-]+(\[\])?)*$/;

/**
 * `customResources: [{apiVersion: example.com/v1, kind: Worker, podSpecs: [spec.template.spec]}]`:
 * a project's own kinds whose pod specs are checked as a Deployment's. An entry with a mistake is
 * dropped whole, with a message on what is wrong; the others apply.
 */
function readCustomResources(
  value: Node | null,
  key: unknown,
  config: ProjectConfig,
  problem: (node: unknown, message: string, severity?: ConfigProblem['severity']) => void,
): void {
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isSeq(value)) {
    problem(
      value ?? key,
      'customResources: expected a list of entries such as {apiVersion: example.com/v1, kind: Worker, podSpecs: [spec.template.spec]}',
    );
    return;
  }
  value.items.forEach((item, i) => {
    const at = `customResources[${i}]`;
    if (!isMap(item)) {
      problem(item, `${at}: expected a map with apiVersion, kind and podSpecs`);
      return;
    }
    let ok = true;
    const fail = (node: unknown, message: string): void => {
      problem(node, `${at}.${message}`);
      ok = false;
    };
    const field = (name: string): Node | undefined => {
      const pair = item.items.find((p) => isScalar(p.key) && p.key.value === name);
      return (pair?.value as Node | null | undefined) ?? undefined;
    };
    for (const pair of item.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!CUSTOM_KEYS.includes(name))
        problem(pair.key, `${at}: unknown key "${name}"; expected ${CUSTOM_KEYS.join(', ')}`, 'warning');
    }
    const apiVersion = field('apiVersion');
    const api = isScalar(apiVersion) && typeof apiVersion.value === 'string' ? apiVersion.value : undefined;
    const group = api?.includes('/') ? api.slice(0, api.indexOf('/')) : undefined;
    // the built-in groups (core, apps, batch) have no dot: their kinds are the product's own
    if (api === undefined || group === undefined || !group.includes('.') || !/^[^/]+\/[A-Za-z0-9]+$/.test(api))
      fail(apiVersion ?? item, 'apiVersion: expected GROUP/VERSION of a custom API group, e.g. example.com/v1');
    const kind = field('kind');
    const kindName = isScalar(kind) && typeof kind.value === 'string' ? kind.value : undefined;
    if (kindName === undefined || !/^[A-Z][A-Za-z0-9]*$/.test(kindName))
      fail(kind ?? item, 'kind: expected a kind name such as Worker');
    const podSpecs = field('podSpecs');
    const paths: string[] = [];
    if (!isSeq(podSpecs) || podSpecs.items.length === 0) {
      fail(podSpecs ?? item, 'podSpecs: expected a list of paths to PodSpecs, e.g. [spec.template.spec]');
    } else {
      for (const p of podSpecs.items) {
        const text = isScalar(p) && typeof p.value === 'string' ? p.value : undefined;
        if (text === undefined || !POD_PATH.test(text))
          fail(
            p,
            `podSpecs: "${String(isScalar(p) ? p.value : '?')}" is not a path such as spec.template.spec (keys joined by dots, [] after a list)`,
          );
        else paths.push(text);
      }
    }
    if (!ok || api === undefined || group === undefined || kindName === undefined) return;
    (config.customResources ??= []).push({
      group,
      apiVersion: api,
      kinds: [kindName],
      sites: paths.map(podSpecSite),
      docs: 'https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/',
    });
  });
}

/** Editor settings overridden by what the config file says (rule by rule). */
export function applyConfig(settings: Settings, config: ProjectConfig | undefined): Settings {
  if (!config) return settings;
  return {
    ...settings,
    kubernetesVersion: config.kubernetesVersion ?? settings.kubernetesVersion,
    rules: { ...settings.rules, ...config.rules },
    ...(config.kustomizeRenderer !== undefined ? { kustomizeRenderer: config.kustomizeRenderer } : {}),
    ...(config.kustomizeTimeoutSeconds !== undefined
      ? { kustomizeTimeoutSeconds: config.kustomizeTimeoutSeconds }
      : {}),
  };
}

/**
 * Globs compile to backtracking regular expressions: `*a*a*a*a*a*a*b` against a long name, or
 * nested extglobs, take seconds to fail, and a config file comes with the workspace (possibly an
 * untrusted one). Real ignore globs (`*.tpl.yaml`, `charts/**`, `**\/*-values.yaml`) have one or
 * two stars per segment; a pattern with more, or with an extglob, is refused with a message.
 */
const MAX_STARS = 3;

function safeGlob(glob: string): boolean {
  if (/[@!?+*]\(/.test(glob)) return false;
  return glob.split('/').every((segment) => segment === '**' || (segment.match(/\*/g)?.length ?? 0) <= MAX_STARS);
}

/**
 * A matcher for the config's ignore globs, given paths relative to the config file's folder with
 * `/` separators. Globs follow .gitignore habits: one without a slash matches a file name at any
 * depth (`*.tpl.yaml`), a folder is ignored with what is under it (`charts/**`), dot files count.
 */
export function ignoreMatcher(config: ProjectConfig): (relativePath: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  // picomatch's `basename` option applies to every pattern of a list, slashes or not (4.0.7), so
  // the two kinds get a matcher each.
  const globs = config.ignore.filter(safeGlob);
  const byName = globs.filter((g) => !g.includes('/'));
  const byPath = globs.filter((g) => g.includes('/')).map((g) => g.replace(/^\.?\//, ''));
  const options = { dot: true, noextglob: true };
  const matchers = [
    ...(byName.length > 0 ? [picomatch(byName, { ...options, basename: true })] : []),
    ...(byPath.length > 0 ? [picomatch(byPath, options)] : []),
  ];
  return (relativePath) => !relativePath.startsWith('../') && matchers.some((m) => m(relativePath));
}

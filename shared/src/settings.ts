// Settings shared by the client (reads VS Code configuration), the server (workspace/configuration)
// and the CLI (flags). No vscode, no Node built-ins here.

export type RuleLevel = 'off' | 'info' | 'warning' | 'error';
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

export interface Settings {
  /** Target Kubernetes version as `1.MINOR`. */
  kubernetesVersion: string;
  /** Severity overrides per rule id. */
  rules: Record<string, RuleLevel>;
  /**
   * Set by the engine, never by a user: the file is a kustomize patch (the kustomization naming it
   * is given), a partial object, so no required field is missing and rules that need the whole pod
   * do not run.
   */
  patchOf?: string;
  /**
   * Set by the engine, never by a user: the file is a kustomization (kustomization.yaml,
   * kustomization.yml or Kustomization) at this absolute path, which the kustomization rule checks
   * against the folder it sits in.
   */
  kustomization?: string;
}

export const DEFAULT_KUBERNETES_VERSION = '1.33';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  rules: {},
});

/** Parses `1.33` (also `v1.33`, `1.33.2`) into its minor number; undefined when it is not a 1.x version. */
export function parseMinorVersion(version: string): number | undefined {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * Turns untrusted input (JSON from an editor, a config file) into Settings, dropping what is
 * malformed and reporting each problem, so a typo in one rule never disables the others.
 */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, rules: {} };
  if (raw === null || raw === undefined) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('settings must be an object');
    return { settings, problems };
  }
  const obj = raw as Record<string, unknown>;
  const version = obj['kubernetesVersion'];
  if (version !== undefined && version !== null && version !== '') {
    const text = String(version);
    if (parseMinorVersion(text) === undefined) {
      problems.push(`kubernetesVersion: expected a version such as "1.33", got ${JSON.stringify(version)}`);
    } else {
      settings.kubernetesVersion = text.replace(/^v/, '').split('.').slice(0, 2).join('.');
    }
  }
  const rules = obj['rules'];
  if (rules !== undefined && rules !== null) {
    if (typeof rules !== 'object' || Array.isArray(rules)) {
      problems.push('rules: expected an object of rule id to off|info|warning|error');
    } else {
      for (const [id, level] of Object.entries(rules as Record<string, unknown>)) {
        if (typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) {
          settings.rules[id] = level as RuleLevel;
        } else {
          problems.push(`rules.${id}: expected off, info, warning or error, got ${JSON.stringify(level)}`);
        }
      }
    }
  }
  return { settings, problems };
}

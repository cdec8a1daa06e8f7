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
   * What renders a kustomize overlay: `off`, `kubectl`, `kustomize`, or a command (the editor's
   * setting and the CLI's flag only; a config file may name only the first three, as a file that
   * comes with a repository must not choose what program the editor runs). Unset: kubectl, else
   * kustomize, from PATH.
   */
  kustomizeRenderer?: string;
  /** How many seconds a render may take before it is stopped (30 unless set). */
  kustomizeTimeoutSeconds?: number;
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
  const renderer = obj['kustomizeRenderer'];
  if (renderer !== undefined && renderer !== null && renderer !== '') {
    if (typeof renderer === 'string') settings.kustomizeRenderer = renderer.trim();
    else
      problems.push(
        `kustomizeRenderer: expected off, kubectl, kustomize or a command, got ${JSON.stringify(renderer)}`,
      );
  }
  const timeout = obj['kustomizeTimeoutSeconds'];
  if (timeout !== undefined && timeout !== null) {
    if (isTimeout(timeout)) settings.kustomizeTimeoutSeconds = timeout;
    else
      problems.push(
        `kustomizeTimeoutSeconds: expected a number of seconds from 1 to 600, got ${JSON.stringify(timeout)}`,
      );
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

/** A render's time limit in seconds: 1 to 600 (fractions allowed, for tests of the limit). */
export function isTimeout(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 600;
}

/** The renderers a config file may name (a command is the user's own setting to choose). */
export const CONFIG_RENDERERS: readonly string[] = ['off', 'kubectl', 'kustomize'];

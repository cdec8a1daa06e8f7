import type { Settings } from '../../../shared/src/settings';
import type { ObjectRef } from '../model/objects';
import type { ServiceSummary } from '../model/services';
import type { DocumentModel, FileModel, PodModel, Range } from '../model/types';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  range: Range;
  message: string;
  /**
   * The set member the range is in (set rules: the other object's file), by its key; absent, the
   * file of the finding itself.
   */
  key?: string;
}

/** One text replacement; offsets relative to the document the rule ran on, end exclusive. */
export interface TextEditSpec {
  range: Range;
  newText: string;
}

/**
 * A quick fix, recorded with the finding (as ESLint does): computed from the same model the rule
 * looked at, so it cannot drift from what was reported.
 */
export interface Fix {
  title: string;
  /** Non-overlapping edits, applied together. */
  edits: TextEditSpec[];
  /** Safe to apply unattended (source.fixAll): no judgement call, no placeholder left to fill in. */
  safe: boolean;
  /** The fix an editor may offer first (LSP CodeAction.isPreferred). */
  preferred?: boolean;
}

/** What a rule reports; ranges are relative to the document it ran on. */
export interface Report {
  message: string;
  range: Range;
  /** Overrides the rule's default severity for this finding (e.g. unknown fields are warnings). */
  severity?: Severity;
  related?: RelatedLocation[];
  /** What a quick fix needs; goes into Diagnostic.data. */
  data?: Record<string, unknown>;
  /** Quick fixes; computed lazily, only when an editor asks for code actions. */
  fixes?: () => Fix[];
  /**
   * The object the finding is in, when the rule knows it without the syntax tree (a set rule's
   * facts); else the linter looks it up.
   */
  object?: ObjectRef;
}

export interface Finding extends Report {
  rule: string;
  severity: Severity;
  /** The Helm template a rendered document came from (its `# Source:` comment), for output a renderer wrote. */
  template?: string;
}

export interface RuleContext {
  settings: Settings;
  /** The minor number of the target Kubernetes version (33 for 1.33). */
  minor: number;
  document: DocumentModel;
  /** The Services written in the same file, which say who receives the pod's traffic. */
  services: readonly ServiceSummary[];
  report(report: Report): void;
}

export interface RuleMeta {
  id: string;
  /** One line: what it checks. */
  description: string;
  defaultSeverity: Severity | 'off';
  fixable: boolean;
  /** A page that explains the why. */
  docs: string;
  /**
   * A posture rule states a fact about a manifest that may well be deliberate (a node agent mounts
   * /proc on purpose): it is never an error, and real manifests may trip it, unlike correctness rules.
   */
  posture?: boolean;
  /**
   * Needs the whole pod to judge (a mount's volume, every container's memory): not run on a
   * kustomize patch, which holds only what it changes.
   */
  wholePod?: boolean;
  /**
   * An object rule that also runs on documents that hold no pod (a Service, a ConfigMap): the
   * others run on pod documents only.
   */
  allKinds?: boolean;
}

export interface ObjectRule {
  meta: RuleMeta;
  scope: 'object';
  check(document: DocumentModel, ctx: RuleContext): void;
}

export interface PodRule {
  meta: RuleMeta;
  scope: 'pod';
  check(pod: PodModel, ctx: RuleContext): void;
}

/** Runs once per file; ranges are file offsets. */
export interface FileRule {
  meta: RuleMeta;
  scope: 'file';
  check(file: FileModel, ctx: Omit<RuleContext, 'document'>): void;
}

/** A file of the set a set rule reads, with the settings that govern it. */
export interface SetMember {
  /** How the caller names the file (a path, a URI); findings come back under it. */
  key: string;
  file: FileModel;
  settings: Settings;
}

/**
 * What a set check depended on (workspace/relations.ts keeps it): what each member's subjects
 * read of the set, as keys comparable with what members write (SetChange.written).
 */
export interface SetDependencies {
  readsOf(key: string): ReadonlySet<string> | undefined;
  /** A rule read the set outside its iteration of subjects: the reads do not cover all it read. */
  readonly untracked: boolean;
}

/**
 * What changed in a set kept between checks: the members read again (a new file, or gone), and
 * the keys they wrote before or write now. Whoever read one of those keys may find otherwise now.
 */
export interface SetChange {
  changed: ReadonlySet<string>;
  written: ReadonlySet<string>;
}

/** The findings of a set check by member key, with what they depended on. */
export interface SetCheck {
  findings: Map<string, Finding[]>;
  dependencies: SetDependencies;
}

export interface SetContext {
  /** Files a finding on member `key` (file offsets), at the level that member's settings give it. */
  report(key: string, report: Report): void;
}

/**
 * Runs once over a set of files, for what holds between objects of different documents or files
 * (a Service and the pods it selects). The CLI's set is the files it is given.
 */
export interface SetRule {
  meta: RuleMeta;
  scope: 'set';
  /**
   * The rule reads the set only through relationsOf(members), within its iteration of subjects
   * (routingServices(), references()): what it read is recorded, so a check can be narrowed to
   * the members a change affects. A rule without it makes every check of the whole set.
   */
  tracked?: true;
  check(members: readonly SetMember[], ctx: SetContext): void;
}

/** Scopes: a pod, an object (one YAML document), a file, or a set of files. */
export type Rule = FileRule | ObjectRule | PodRule | SetRule;

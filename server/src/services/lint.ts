import { parseMinorVersion, type Settings } from '../../../shared/src/settings';
import type { DocumentModel, FileModel, Range } from '../model/types';
import { RULES } from '../rules';
import type { Finding, Fix, Report, Rule, RuleContext } from '../rules/types';
import { findSuppressions, isSuppressed, type Suppressions } from './suppression';

export type Logger = (message: string) => void;

interface CachedFindings {
  settingsKey: string;
  /** Without their fixes: a fix closes over the syntax tree, which the cache must not keep alive. */
  findings: Finding[];
}

export interface LintOptions {
  /**
   * Check again and return findings with their quick fixes (for code actions). Without it, findings
   * come from the per-document cache and carry no fixes.
   */
  withFixes?: boolean;
}

/**
 * Runs every enabled rule over a file. Findings of each document are cached with its model, so a
 * keystroke re-checks only the document it touched; the cache keeps no syntax tree, so a model may
 * drop its parse once checked (ModelCache.release) and a big file costs its text and its findings.
 * Each rule runs in its own try/catch: a broken rule is logged and the others still report.
 */
export class Linter {
  private readonly perDocument = new WeakMap<DocumentModel, CachedFindings>();
  private readonly suppressions = new WeakMap<DocumentModel, Suppressions>();
  /** Counts documents checked to fill the cache (not served from it), for tests of incrementality. */
  checkCount = 0;

  constructor(
    private readonly rules: readonly Rule[] = RULES,
    private readonly log: Logger = () => undefined,
  ) {}

  /** The documents of `file` whose findings under `settings` are not cached yet (what lint() would check). */
  unchecked(file: FileModel, settings: Settings): FileModel['documents'] {
    if (file.template) return [];
    const settingsKey = JSON.stringify(settings);
    return file.documents.filter((doc) => this.perDocument.get(doc.model)?.settingsKey !== settingsKey);
  }

  /**
   * Findings in file offsets, suppression comments applied. With `withFixes`, fixes travel with
   * their finding, their edits in file offsets too.
   */
  lint(file: FileModel, settings: Settings, { withFixes = false }: LintOptions = {}): Finding[] {
    const settingsKey = JSON.stringify(settings);
    const minor = parseMinorVersion(settings.kubernetesVersion) ?? 33;
    const fileFindings: Finding[] = [];
    for (const rule of this.rules) {
      if (rule.scope !== 'file') continue;
      const ctx = this.context(rule, settings, minor, fileFindings);
      if (ctx) this.guarded(rule, () => rule.check(file, ctx));
    }
    const findings: Finding[] = [];
    for (const f of fileFindings) {
      // a file rule's finding obeys the comments of the document it lands in
      const doc = documentAt(file, f.range.start);
      if (doc && this.suppressed(doc.model, f.rule, shiftRange(f.range, -doc.offset))) continue;
      findings.push(f);
    }
    if (file.template) return findings;
    for (const doc of file.documents) {
      let docFindings: Finding[];
      const cached = this.perDocument.get(doc.model);
      if (withFixes) {
        docFindings = this.lintDocument(doc.model, settings, minor);
      } else if (cached && cached.settingsKey === settingsKey) {
        docFindings = cached.findings;
      } else {
        docFindings = this.lintDocument(doc.model, settings, minor).map(withoutFixes);
        this.perDocument.set(doc.model, { settingsKey, findings: docFindings });
        this.checkCount++;
      }
      for (const f of docFindings) findings.push(shift(f, doc.offset));
    }
    // in reading order, as a person goes through them (sort is stable: rule order breaks ties)
    return findings.sort((a, b) => a.range.start - b.range.start);
  }

  /**
   * One context per rule and document, shared by the rule's checks of each pod in it: this runs for
   * every rule on every pod of a file, so it builds nothing per pod but the guard.
   */
  private lintDocument(document: DocumentModel, settings: Settings, minor: number): Finding[] {
    const findings: Finding[] = [];
    if (!document.isPodDocument) return findings;
    for (const rule of this.rules) {
      if (rule.scope === 'file') continue;
      const base = this.context(rule, settings, minor, findings);
      if (!base) continue;
      const ctx: RuleContext = { ...base, document };
      if (rule.scope === 'document') this.guarded(rule, () => rule.check(document, ctx));
      else for (const pod of document.pods) this.guarded(rule, () => rule.check(pod, ctx));
    }
    return findings.filter((f) => !this.suppressed(document, f.rule, f.range));
  }

  private suppressed(document: DocumentModel, rule: string, range: Range): boolean {
    let s = this.suppressions.get(document);
    if (!s) {
      s = findSuppressions(document.text);
      this.suppressions.set(document, s);
    }
    return isSuppressed(s, document.text, rule, range);
  }

  /** What a rule's checks get, reporting into `out`; undefined when the settings turn the rule off. */
  private context(
    rule: Rule,
    settings: Settings,
    minor: number,
    out: Finding[],
  ): Omit<RuleContext, 'document'> | undefined {
    const level = settings.rules[rule.meta.id];
    if (level === 'off' || (level === undefined && rule.meta.defaultSeverity === 'off')) return undefined;
    const id = rule.meta.id;
    const fallback = rule.meta.defaultSeverity as Finding['severity'];
    const report = (r: Report): void => {
      out.push({ ...r, rule: id, severity: level ?? r.severity ?? fallback });
    };
    return { settings, minor, report };
  }

  /** Runs one check of a rule; a rule that throws is logged, and the other rules still report. */
  private guarded(rule: Rule, check: () => void): void {
    try {
      check();
    } catch (e) {
      this.log(`rule ${rule.meta.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}

/** What the linter's cache keeps of a finding: everything but its fixes. */
export function withoutFixes(f: Finding): Finding {
  if (!f.fixes) return f;
  const { fixes: _fixes, ...rest } = f;
  return rest;
}

function shiftRange(r: Range, offset: number): Range {
  return { start: r.start + offset, end: r.end + offset };
}

function shift(f: Finding, offset: number): Finding {
  if (offset === 0) return f;
  const out: Finding = { ...f, range: shiftRange(f.range, offset) };
  if (f.related) out.related = f.related.map((r) => ({ ...r, range: shiftRange(r.range, offset) }));
  const fixes = f.fixes;
  if (fixes) out.fixes = () => fixes().map((fix) => shiftFix(fix, offset));
  return out;
}

function shiftFix(fix: Fix, offset: number): Fix {
  return { ...fix, edits: fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, offset) })) };
}

function documentAt(file: FileModel, offset: number): FileModel['documents'][number] | undefined {
  let found: FileModel['documents'][number] | undefined;
  for (const d of file.documents) if (d.offset <= offset) found = d;
  return found;
}

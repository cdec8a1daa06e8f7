import { parseMinorVersion, type Settings } from '../../../shared/src/settings';
import { isPartialPod } from '../model/kinds';
import { topLevelKinds } from '../model/kind-lines';
import { objectAt, sourceTemplate } from '../model/objects';
import type { ServiceSummary } from '../model/services';
import { isSidecarSetKind, selectsPod, withSidecarSets, type PlacedSidecarSet } from '../model/sidecar-sets';
import type { DocumentModel, FileModel, PlacedDocument, Range } from '../model/types';
import { documentFacts } from '../workspace/relations';
import { RULES } from '../rules';
import { adoptRelations, relationsOf, type Relations } from '../workspace/relations';
import type {
  Finding,
  Fix,
  ObjectRule,
  PodRule,
  Report,
  Rule,
  RuleContext,
  SetChange,
  SetCheck,
  SetMember,
  SetRule,
} from './types';

/** How a set check is narrowed (the editor's workspace; the CLI checks the whole set). */
export interface SetOptions {
  /** Relations kept between checks by the caller, updated to the members (else made for the check). */
  relations?: Relations;
  /**
   * The members whose findings are computed, chosen from what changed since the relations'
   * last update (undefined: a new set); all when it gives none.
   */
  scope?: (change: SetChange | undefined) => ReadonlySet<string> | undefined;
}
import { findSuppressions, isSuppressed, type Suppressions } from './suppression';

export type Logger = (message: string) => void;

/** The object and pod rules some settings enable (Linter.documentRules). */
interface DocumentRules {
  pods: readonly (ObjectRule | PodRule)[];
  allKinds: readonly (ObjectRule | PodRule)[];
}

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
  /**
   * The Services of the whole file (servicesInFile), when `file` is a part of it: pod rules read
   * them, so a document's cached findings hold only while they stay the same.
   */
  services?: readonly ServiceSummary[];
  /**
   * The SidecarSets that may inject into the file's pods: the whole file's (sidecarSetsInFile,
   * when `file` is a part of it) and those of other files the caller holds. The pod rules see a
   * pod with the containers of those that select it, so a document's cached findings hold only
   * while those stay the same (and where they are written: findings point at them).
   */
  sidecarSets?: readonly PlacedSidecarSet[];
  /** cacheKey(settings, services), when the caller has it already (Engine.checkSteps). */
  key?: string;
}

const NO_SERVICES: readonly ServiceSummary[] = [];
const NO_SIDECAR_SETS: readonly PlacedSidecarSet[] = [];

/**
 * Where a Service is written (its ranges, its document's offset) is for the diagram's arrows and
 * jumps; a pod's findings do not depend on it, so an edit that only moves a Service (a line typed
 * above it) keeps every other document's findings cached.
 */
const SERVICE_PLACES = new Set(['range', 'ranges', 'targetRange', 'nameRange', 'offset']);

/**
 * What a document's cached findings depend on besides its text. A check of a file computes it once
 * for all its documents: with the Services of a file written into it, it is not short.
 */
export function cacheKey(settings: Settings, services: readonly ServiceSummary[] = NO_SERVICES): string {
  const key = JSON.stringify(settings);
  if (services.length === 0) return key;
  return `${key}|${JSON.stringify(services, (k, v: unknown) => (SERVICE_PLACES.has(k) ? undefined : v))}`;
}

/**
 * The SidecarSets of `sets` that select a pod of `doc`, judged on what the document says of its
 * pods as plain data (relations.ts, documentFacts), so a document whose parse was dropped is not
 * parsed again to tell; and what its cached findings depend on of them. A SidecarSet of the same
 * file is keyed by where it is from the document (its ranges are reported relative to it), one of
 * another file by that file and its place there.
 */
function sidecarSetsOfDocument(
  doc: PlacedDocument,
  sets: readonly PlacedSidecarSet[],
): { sets: readonly PlacedSidecarSet[]; key: string } {
  if (sets.length === 0) return { sets: NO_SIDECAR_SETS, key: '' };
  const selecting = sets.filter((placed) => selectsDocument(doc.model, placed.set));
  if (selecting.length === 0) return { sets: NO_SIDECAR_SETS, key: '' };
  let key = '|sidecarSets';
  for (const p of selecting)
    key += `|${p.key === undefined ? `@${p.offset - doc.offset}` : `${p.key}@${p.offset}`}:${summaryKey(p.set)}`;
  return { sets: selecting, key };
}

/** Whether a SidecarSet selects a pod of a document, once per document model and summary (both are made per text). */
const selections = new WeakMap<DocumentModel, WeakMap<PlacedSidecarSet['set'], boolean>>();

function selectsDocument(model: DocumentModel, set: PlacedSidecarSet['set']): boolean {
  let known = selections.get(model);
  if (!known) selections.set(model, (known = new WeakMap()));
  let selects = known.get(set);
  if (selects === undefined) {
    const objects = (documentFacts(model)?.objects ?? []).filter((o) => !isSidecarSetKind(o.kind));
    selects = objects.some((o) => o.pods.some((p) => selectsPod(set, p.labels, o.namespace || undefined)));
    known.set(set, selects);
  }
  return selects;
}

/** A SidecarSet's summary as text, once per summary (one is made per document text: see sidecar-sets.ts). */
const summaryKeys = new WeakMap<PlacedSidecarSet['set'], string>();

function summaryKey(set: PlacedSidecarSet['set']): string {
  let key = summaryKeys.get(set);
  if (key === undefined) summaryKeys.set(set, (key = JSON.stringify(set)));
  return key;
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
  /** documentRules() by the settings' rule levels (as JSON). */
  private readonly rulesByLevels = new Map<string, DocumentRules>();
  /** Counts documents checked to fill the cache (not served from it), for tests of incrementality. */
  checkCount = 0;

  constructor(
    private readonly rules: readonly Rule[] = RULES,
    private readonly log: Logger = () => undefined,
  ) {}

  /** The documents of `file` whose findings under `settings` are not cached yet (what lint() would check). */
  unchecked(
    file: FileModel,
    settings: Settings,
    services: readonly ServiceSummary[] = NO_SERVICES,
    sidecarSets: readonly PlacedSidecarSet[] = NO_SIDECAR_SETS,
    settingsKey = cacheKey(settings, services),
  ): FileModel['documents'] {
    if (file.template) return [];
    return file.documents.filter(
      (doc) =>
        this.perDocument.get(doc.model)?.settingsKey !== settingsKey + sidecarSetsOfDocument(doc, sidecarSets).key,
    );
  }

  /**
   * Checks one document of a file and caches its findings, which lint() of the file then serves
   * (the file's own rules run there): what a check in steps does, a document a step.
   */
  checkDocument(
    placed: PlacedDocument,
    settings: Settings,
    services: readonly ServiceSummary[] = NO_SERVICES,
    sidecarSets: readonly PlacedSidecarSet[] = NO_SIDECAR_SETS,
    settingsKey = cacheKey(settings, services),
  ): void {
    const minor = parseMinorVersion(settings.kubernetesVersion) ?? 33;
    this.cachedFindings(placed, settings, minor, services, sidecarSets, settingsKey);
  }

  /** A document's findings without fixes: from the cache, else checked and cached. */
  private cachedFindings(
    placed: PlacedDocument,
    settings: Settings,
    minor: number,
    services: readonly ServiceSummary[],
    sidecarSets: readonly PlacedSidecarSet[],
    settingsKey: string,
  ): Finding[] {
    const injecting = sidecarSetsOfDocument(placed, sidecarSets);
    const docKey = settingsKey + injecting.key;
    const cached = this.perDocument.get(placed.model);
    if (cached && cached.settingsKey === docKey) return cached.findings;
    const findings = this.lintDocument(placed, settings, minor, services, injecting.sets).map(withoutFixes);
    this.perDocument.set(placed.model, { settingsKey: docKey, findings });
    this.checkCount++;
    return findings;
  }

  /**
   * Findings in file offsets, suppression comments applied. With `withFixes`, fixes travel with
   * their finding, their edits in file offsets too.
   */
  lint(
    file: FileModel,
    settings: Settings,
    { withFixes = false, services = NO_SERVICES, sidecarSets = NO_SIDECAR_SETS, key }: LintOptions = {},
  ): Finding[] {
    const settingsKey = key ?? cacheKey(settings, services);
    const minor = parseMinorVersion(settings.kubernetesVersion) ?? 33;
    const fileFindings: Finding[] = [];
    for (const rule of this.rules) {
      if (rule.scope !== 'file' || !enabled(rule, settings)) continue;
      const ctx = new Context(rule, settings, minor, undefined, services, fileFindings);
      this.guarded(rule, () => rule.check(file, ctx));
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
      const docFindings = withFixes
        ? this.lintDocument(doc, settings, minor, services, sidecarSetsOfDocument(doc, sidecarSets).sets)
        : this.cachedFindings(doc, settings, minor, services, sidecarSets, settingsKey);
      for (const f of docFindings) findings.push(shift(f, doc.offset));
    }
    // in reading order, as a person goes through them (sort is stable: rule order breaks ties)
    return findings.sort((a, b) => a.range.start - b.range.start);
  }

  /**
   * One context per rule and document, shared by the rule's checks of each pod in it: this runs for
   * every rule on every pod of a file, so it builds nothing per pod but the guard. The pod rules
   * see each pod with what the SidecarSets that select it inject (`sidecarSets`, already those).
   */
  private lintDocument(
    placed: PlacedDocument,
    settings: Settings,
    minor: number,
    services: readonly ServiceSummary[],
    sidecarSets: readonly PlacedSidecarSet[],
  ): Finding[] {
    const document = placed.model;
    const findings: Finding[] = [];
    // a document that holds no pod is read by the rules for every kind, if it names a kind at all
    const isPodDocument = document.isPodDocument;
    if (!isPodDocument && topLevelKinds(document.text).length === 0) return findings;
    const rules = this.documentRules(settings);
    const pods = !isPodDocument
      ? []
      : sidecarSets.length === 0
        ? document.pods
        : document.pods.map((p) => withSidecarSets(p, sidecarSets, placed.offset));
    // indexed loops: this runs for every rule and pod, mostly before V8 optimises it
    const list = isPodDocument ? rules.pods : rules.allKinds;
    for (let r = 0; r < list.length; r++) {
      const rule = list[r]!;
      // a kustomize patch holds only what it changes (see isPartialPod for pods)
      if (rule.scope === 'object' && rule.meta.wholePod && settings.patchOf !== undefined) continue;
      const ctx = new Context(rule, settings, minor, document, services, findings);
      if (rule.scope === 'object') this.guarded(rule, () => rule.check(document, ctx));
      else {
        for (let p = 0; p < pods.length; p++) {
          const pod = pods[p]!;
          if (rule.meta.wholePod && isPartialPod(pod, settings)) continue;
          this.guarded(rule, () => rule.check(pod, ctx));
        }
      }
    }
    const kept = findings.filter((f) => !this.suppressed(document, f.rule, f.range));
    // whose finding it is: a line of a long stream says little by itself
    const template = kept.length > 0 ? sourceTemplate(document) : undefined;
    for (const f of kept) {
      const object = objectAt(document, f.range.start);
      if (object) f.object = object;
      if (template !== undefined) f.template = template;
    }
    return kept;
  }

  /**
   * The object and pod rules `settings` enable, in registry order: those for a document with pods,
   * and those for one without (the rules for every kind). Kept per set of rule levels: every
   * document of every file asks.
   */
  private documentRules(settings: Settings): DocumentRules {
    const key = JSON.stringify(settings.rules);
    let found = this.rulesByLevels.get(key);
    if (!found) {
      const pods = this.rules.filter(
        (r): r is ObjectRule | PodRule => (r.scope === 'object' || r.scope === 'pod') && enabled(r, settings),
      );
      found = { pods, allKinds: pods.filter((r) => r.scope === 'object' && r.meta.allKinds) };
      this.rulesByLevels.set(key, found);
    }
    return found;
  }

  /** Whether any set rule is on under some of `settings`: only then must a caller keep a set of files. */
  hasSetRules(settings: readonly Settings[]): boolean {
    return this.rules.some((r) => r.scope === 'set' && settings.some((s) => enabled(r, s)));
  }

  /**
   * The set rules' findings over `members`, by member key, in file offsets: each at the level the
   * settings of the member it lands on give it (none where they turn the rule off), and obeying
   * that member's suppression comments. A file that is a template is not read. With a scope,
   * only the subjects (Services, pods' references) of the members in it are checked: the
   * others' findings are the caller's from before (see SetOptions, SetDependencies).
   */
  lintSet(members: readonly SetMember[], options: SetOptions = {}): SetCheck {
    const byKey = new Map(members.map((m) => [m.key, m]));
    const out = new Map<string, Finding[]>();
    const readable = members.filter((m) => !m.file.template);
    // the rules' relationsOf(readable) is this one: made once for the check, or the caller's updated
    let relations: Relations;
    let change: SetChange | undefined;
    if (options.relations) {
      relations = options.relations;
      change = relations.update(readable);
      adoptRelations(readable, relations);
    } else relations = relationsOf(readable);
    const on = this.rules.filter(
      (r): r is SetRule => r.scope === 'set' && readable.some((m) => enabled(r, m.settings)),
    );
    // a rule that reads the set otherwise than it records needs every check of the whole set
    const narrowable = on.every((r) => r.tracked);
    relations.track(narrowable ? options.scope?.(change) : undefined);
    if (!narrowable) relations.untracked = true;
    for (const rule of on) {
      const report = (key: string, r: Report): void => {
        const member = byKey.get(key);
        if (!member || !enabled(rule, member.settings)) return;
        const doc = documentAt(member.file, r.range.start);
        if (doc && this.suppressed(doc.model, rule.meta.id, shiftRange(r.range, -doc.offset))) return;
        const finding = findingOf(rule, levelOf(rule, member.settings), r);
        const object = finding.object ?? (doc && objectAt(doc.model, r.range.start - doc.offset));
        if (object) finding.object = object;
        out.set(key, [...(out.get(key) ?? []), finding]);
      };
      this.guarded(rule, () => rule.check(readable, { report }));
    }
    return { findings: out, dependencies: relations };
  }

  private suppressed(document: DocumentModel, rule: string, range: Range): boolean {
    let s = this.suppressions.get(document);
    if (!s) {
      s = findSuppressions(document.text);
      this.suppressions.set(document, s);
    }
    return isSuppressed(s, document.text, rule, range);
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

function enabled(rule: Rule, settings: Settings): boolean {
  const level = settings.rules[rule.meta.id];
  return !(level === 'off' || (level === undefined && rule.meta.defaultSeverity === 'off'));
}

/**
 * What a rule's checks get: the settings, the document (none for a file rule), and report(), which
 * files a finding under the rule's id at the level the settings give it. A class rather than an
 * object literal with a closure: one is made per rule and document, which on a big file's first
 * check is thousands, and a spread or a closure each time showed in its profile.
 */
class Context<D extends DocumentModel | undefined> implements Omit<RuleContext, 'document'> {
  private readonly level: Finding['severity'] | undefined;

  constructor(
    private readonly rule: Rule,
    readonly settings: Settings,
    readonly minor: number,
    // a file rule's context has none (FileRule's check is typed without it)
    readonly document: D,
    readonly services: readonly ServiceSummary[],
    private readonly out: Finding[],
  ) {
    this.level = levelOf(rule, settings);
  }

  report(r: Report): void {
    this.out.push(findingOf(this.rule, this.level, r));
  }
}

/** The level the settings give a rule, if they name one. */
function levelOf(rule: Rule, settings: Settings): Finding['severity'] | undefined {
  return settings.rules[rule.meta.id] as Finding['severity'] | undefined;
}

/** A rule's report as a finding: at the settings' level, else the report's own, else the rule's default. */
function findingOf(rule: Rule, level: Finding['severity'] | undefined, r: Report): Finding {
  const severity = level ?? r.severity ?? (rule.meta.defaultSeverity as Finding['severity']);
  return { ...r, rule: rule.meta.id, severity };
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
  // a location in another file (`key`) is in that file's offsets already
  if (f.related)
    out.related = f.related.map((r) => (r.key !== undefined ? r : { ...r, range: shiftRange(r.range, offset) }));
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

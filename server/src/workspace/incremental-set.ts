// The set check of a workspace, re-run on each change for only the members whose findings the
// change can affect. A set rule's findings on member G depend on G and on what G's subjects read
// of the others (relations.ts records it: SetDependencies). So after a change of members C
// (a new text, new settings, added, removed), the members to check again are C and every member
// that read a key some member of C wrote before the change or writes after it (SetChange); the
// other members keep their findings. The relations are kept too, and read again only for C. The
// first check, one after reset(), and one after a check whose rules read outside what is recorded
// are of the whole set.
//
// An edit of a Service re-checks the Service's file alone (no rule reads what a Service is); an
// edit of a Deployment re-checks it and the Services whose selector labels its pods carry, and
// the pods whose references name an object of it. Pure: no LSP, no timers (lsp/workspace-set.ts
// drives it).
import type { Finding, SetChange, SetCheck, SetMember } from '../engine/types';
import type { SetOptions } from '../engine/linter';
import { Relations } from './relations';

const NONE: ReadonlySet<string> = new Set();

export class IncrementalSet {
  private readonly relations = new Relations();
  private members = new Map<string, SetMember>();
  private readonly reads = new Map<string, ReadonlySet<string>>();
  /** Who read each key: the reverse of `reads`. */
  private readonly readers = new Map<string, Set<string>>();
  private findings = new Map<string, Finding[]>();
  /** The reads cover everything the last check read: a change can be narrowed down. */
  private complete = false;

  /** The member of the last check under `key` (a caller reuses it where nothing changed). */
  member(key: string): SetMember | undefined {
    return this.members.get(key);
  }

  /** Forgets what was checked: the next check is of the whole set (settings changed). */
  reset(): void {
    this.complete = false;
  }

  /**
   * Checks `members` by `run` (Engine.checkOpenedSet), narrowed to the members a change since the
   * last check can affect. Returns every member's findings (kept ones too) and how many members
   * were checked.
   */
  check(
    members: readonly SetMember[],
    run: (members: readonly SetMember[], options: SetOptions) => SetCheck,
  ): { findings: ReadonlyMap<string, Finding[]>; checked: number } {
    const previous = this.members;
    const next = new Map(members.map((m) => [m.key, m]));
    let scope: ReadonlySet<string> | undefined;
    const result = run(members, {
      relations: this.relations,
      scope: (change) => (scope = this.complete && change ? this.affected(previous, next, change) : undefined),
    });
    this.members = next;
    this.keep(result, next, scope);
    return { findings: this.findings, checked: scope?.size ?? next.size };
  }

  /** The members changed (file or settings; added or gone) and those that read what they wrote. */
  private affected(
    previous: ReadonlyMap<string, SetMember>,
    next: ReadonlyMap<string, SetMember>,
    change: SetChange,
  ): Set<string> {
    const out = new Set(change.changed);
    const written = new Set(change.written);
    // a template file is no member of the relations: its own change counts all the same; a
    // member's settings are read by others (whether it is a kustomize patch) as its objects are
    for (const [key, m] of next) {
      const before = previous.get(key);
      if (before && (before.file === m.file || before.file.text === m.file.text) && sameSettings(before, m)) continue;
      out.add(key);
      for (const w of this.relations.writesOf(key) ?? NONE) written.add(w);
    }
    for (const key of previous.keys()) if (!next.has(key)) out.add(key);
    for (const w of written) for (const reader of this.readers.get(w) ?? NONE) out.add(reader);
    return out;
  }

  private keep(result: SetCheck, next: ReadonlyMap<string, SetMember>, scope: ReadonlySet<string> | undefined): void {
    const deps = result.dependencies;
    const findings = new Map<string, Finding[]>();
    for (const key of next.keys()) {
      const checked = scope === undefined || scope.has(key);
      findings.set(key, checked ? (result.findings.get(key) ?? []) : (this.findings.get(key) ?? []));
      if (checked) this.setReads(key, deps.readsOf(key) ?? NONE);
    }
    for (const key of [...this.reads.keys()]) if (!next.has(key)) this.setReads(key, undefined);
    this.findings = findings;
    this.complete = !deps.untracked;
  }

  private setReads(key: string, reads: ReadonlySet<string> | undefined): void {
    const before = this.reads.get(key) ?? NONE;
    if (before === reads) return;
    for (const r of before) {
      if (reads?.has(r)) continue;
      const who = this.readers.get(r);
      who?.delete(key);
      if (who?.size === 0) this.readers.delete(r);
    }
    for (const r of reads ?? NONE) {
      let who = this.readers.get(r);
      if (!who) this.readers.set(r, (who = new Set()));
      who.add(key);
    }
    if (reads) this.reads.set(key, reads);
    else this.reads.delete(key);
  }
}

/** Settings as text, once per settings object (an open document's are made afresh at each check). */
const settingsText = new WeakMap<object, string>();

/** The same settings: the same object (a file on disk's are looked up once), else the same values. */
function sameSettings(a: SetMember, b: SetMember): boolean {
  if (a.settings === b.settings) return true;
  const text = (s: SetMember['settings']): string => {
    let t = settingsText.get(s);
    if (t === undefined) settingsText.set(s, (t = JSON.stringify(s)));
    return t;
  };
  return text(a.settings) === text(b.settings);
}

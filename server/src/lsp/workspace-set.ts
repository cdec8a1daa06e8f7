import picomatch from 'picomatch';
import type { Connection, FileEvent, Location } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { relative, sep } from 'node:path';
import type { Settings } from '../../../shared/src/settings';
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';
import { positionsOf, type Engine, type FileModel, type Finding, type SetMember, type TextPosition } from '../engine';
import type { SetPlace } from '../services/across';
import { documentFacts, Relations, selects } from '../workspace/relations';
import { nextTurn } from '../platform/next-turn';
import { servicesInFile, sidecarSetsInFile, type SidecarSetElsewhere, type ServiceElsewhere } from '../engine';
import { FileIndex, type IndexFs } from '../workspace/file-index';
import { IncrementalSet } from '../workspace/incremental-set';
import type { ConfigStore } from './config-store';
import type { SettingsStore } from './settings-store';

/** The set findings of one file, with the text they were computed on (a later text gets none of them). */
interface SetResult {
  text: string;
  findings: Finding[];
  /** What the findings say, to tell whether a new check changed them. */
  digest: string;
}

/** How long a set check's reading of files works before it lets a keystroke or a request in. */
const SLICE_MS = 8;

const SIDECAR_SET = /^kind:[ \t]*["']?SidecarSet\b/m;

/** The files whose change can change other files' settings: config files and kustomizations. */
const GOVERNING = /\/(\.sidecar-pods\.ya?ml|kustomization\.ya?ml|Kustomization)$/;

/** Always left out, whatever the editor's exclude settings say: installed packages and VCS internals. */
const ALWAYS_EXCLUDED = ['**/node_modules', '**/.git', '**/.hg', '**/.svn'];

/**
 * Changes closer together than this are a burst: the set check waits until they pause this long.
 * People type keys 100 ms and more apart, so a check still follows each of their keystrokes.
 */
const BURST_MS = 30;
/** The longest a burst holds the set check back. */
const BURST_MAX_MS = 500;

/**
 * The editor's side of the set rules (a Service and the pods it selects, in different files): the
 * workspace index, a check of the set when it changes, and the findings per file for the
 * diagnostics to publish beside each file's own. Only files whose set findings changed are
 * published again. Nothing happens unless a set rule is on.
 */
export class WorkspaceSet {
  readonly index: FileIndex;
  private results = new Map<string, SetResult>();
  /** The set check, narrowed on each change to the members it can affect. */
  private readonly incremental = new IncrementalSet();
  /**
   * The settings of each file on disk, looked up once (null: its config file ignores it). A lookup
   * walks the folders up to the root for config files and kustomizations, which for thousands of
   * files on every check would cost more than the rules.
   */
  private readonly governed = new Map<string, Settings | null>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the index last changed (performance.now()), to tell a burst of changes (see BURST_MS). */
  private lastChange = -Infinity;
  /** When the last check was started, by the same clock. */
  private lastRun = -Infinity;
  /** The first scan of the folders, once start() has been called. */
  private started: Promise<void> | undefined;
  private running = false;
  private again = false;
  /** Workspace folders as paths, with the URI their settings are pulled for. */
  private folders: { path: string; uri: string }[] = [];
  private excluded: ((path: string) => boolean) | undefined;
  /** Each indexed file's model, for the text it was made of (a file's model is made once per text). */
  private readonly models = new Map<string, { text: string; file: FileModel | undefined }>();
  /** Files whose model was made since the last release(). */
  private readonly unreleased = new Set<string>();
  /** Line starts of members' texts, for locations (made on first use, per text). */
  private readonly positions = new Map<string, { text: string; at: (offset: number) => TextPosition }>();
  /** The relations of members() for the features across objects, updated when they change. */
  private readonly related: { relations: Relations; of: readonly SetMember[] | undefined } = {
    relations: new Relations(),
    of: undefined,
  };
  /** The set as the features across objects read it, made once per change of the index. */
  private view: { generation: number; members: SetMember[] } | undefined;
  /** Each file model's SidecarSets (a keystroke changes one file: the others are not read again). */
  private readonly sidecarSetsOf = new WeakMap<FileModel, SidecarSetElsewhere[]>();
  /** The SidecarSets of the set's files, each under its file's URI, made once per change of the index. */
  private sidecarSets: { generation: number; sets: SidecarSetElsewhere[]; digest: string } | undefined;
  /**
   * What the SidecarSets were when the open files were last checked with them: the pod rules of
   * every open file see those of the other files (sidecarSetsElsewhere), so a change of one, in
   * any file, checks the open files again (their documents that no SidecarSet selects are cached).
   */
  private checkedSidecarSets = JSON.stringify([]);
  /** How long the first scan of the workspace took, once it has ended (for the stats request and the bench). */
  scanMs: number | null = null;
  /** The latest set checks: milliseconds, and files whose findings each computed (stats, bench). */
  readonly durations: { ms: number; files: number }[] = [];
  /** Called when the findings of some file changed (open or not): a rendered overlay's depend on them. */
  onChange: () => void = () => undefined;

  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly configs: ConfigStore,
    private readonly settings: SettingsStore,
    /** Publishes a file's diagnostics again (its set findings changed). */
    private readonly republish: (uri: string) => void,
    /** Whether an editor has the file open: only open files get diagnostics. */
    private readonly isOpen: (uri: string) => boolean,
    /** Where the files on disk are (none in the browser: the set is the open documents) and a URI's path. */
    private readonly files: { fs: IndexFs | undefined; pathOf(uri: string): string | undefined },
  ) {
    this.index = new FileIndex({
      ...(files.fs ? { fs: files.fs } : {}),
      isExcluded: (path) => this.excluded?.(path) ?? false,
      log: (m) => connection.console.info(m),
      pause: () => this.pause(),
    });
    // a change after a pause at once: a check computes only what the change can affect
    // (incremental-set.ts). Changes that come faster than BURST_MS apart (a key held down, a tool
    // writing files, keystrokes sent back to back) wait until they pause: each check's findings
    // would be replaced by the next change's, and it would hold up that change's own diagnostics
    this.index.onChange(() => {
      const now = performance.now();
      const inBurst = now - this.lastChange < BURST_MS;
      this.lastChange = now;
      // a long burst is checked now and then all the same
      this.schedule(inBurst && now - this.lastRun < BURST_MAX_MS ? BURST_MS : 0);
    });
  }

  /**
   * Settles when the open documents' own checks are done (DiagnosticsHandler.idle): the scan and
   * the set check wait for it between slices, so background work never holds up a keystroke.
   */
  yieldTo: () => Promise<void> = () => Promise.resolve();

  /** A turn of the event loop for what is waiting, then no check of an open document under way. */
  private async pause(): Promise<void> {
    await new Promise<void>((resolve) => nextTurn(resolve));
    await this.yieldTo();
  }

  /** Indexes the workspace folders (URIs) in the background. */
  start(folderUris: readonly string[]): Promise<void> {
    const run = this.scanFolders(folderUris);
    this.started ??= run.catch(() => undefined);
    return run;
  }

  private async scanFolders(folderUris: readonly string[]): Promise<void> {
    this.folders = folderUris.flatMap((uri) => {
      const path = this.files.pathOf(uri);
      return path === undefined ? [] : [{ path, uri }];
    });
    this.excluded = await this.exclusions(folderUris);
    const t0 = performance.now();
    await this.index.scan(this.folders.map((f) => f.path));
    this.scanMs ??= performance.now() - t0;
    this.schedule(0);
    this.connection.console.info(
      `indexed ${this.index.size} YAML file(s) of the workspace in ${Math.round(this.scanMs)} ms`,
    );
  }

  /** The kustomization files of the workspace folders, once the first scan has ended (undefined: no scan was started). */
  async kustomizations(): Promise<readonly string[] | undefined> {
    if (!this.started) return undefined;
    await this.started;
    await this.index.settled();
    return this.index.kustomizations();
  }

  opened(uri: string, text: string): void {
    this.index.opened(uri, text);
  }

  closed(uri: string): Promise<void> {
    return this.index.closed(uri);
  }

  async fileEvents(changes: readonly FileEvent[]): Promise<void> {
    // a config file or a kustomization governs the files below it: look their settings up again
    const governing = changes.some((c) => GOVERNING.test(c.uri));
    if (governing) {
      this.governed.clear();
      this.incremental.reset();
      this.schedule(0);
    }
    for (const c of changes) {
      const type =
        c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      await this.index.fileEvent(c.uri, type);
    }
  }

  /** The set findings of a file, if they were computed on `text` (the diagnostics' current text). */
  findingsOf(uri: string, text: string): Finding[] {
    const r = this.results.get(uri);
    return r && r.text === text ? r.findings : [];
  }

  /** Settings changed: every member's level may have. */
  recheck(): void {
    this.governed.clear();
    this.incremental.reset();
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = performance.now();
      void this.run();
    }, delay);
  }

  /**
   * One set check at a time; a change meanwhile asks for one more after it. None before the first
   * scan has read the workspace: a Service whose pods are not read yet would select nothing.
   */
  private async run(): Promise<void> {
    if (this.scanMs === null) return; // the scan's end checks the set
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      await this.check();
    } catch (e) {
      this.connection.console.error(
        `checking the workspace set failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async check(): Promise<void> {
    const pause = slices(() => this.pause());
    await this.prepare(pause);
    this.sidecarSetsChanged();
    const members: SetMember[] = [];
    const folderSettings = new Map<string, Promise<Settings>>();
    // one look at each folder's config file and kustomizations for the whole pass
    const release = this.engine.holdLookups();
    try {
      for (const m of this.members()) {
        // the first check looks up the settings of thousands of files
        await pause();
        // an open document has its own settings (pulled per resource); a file on disk its folder's
        const open = this.isOpen(m.key);
        const known = open ? undefined : this.governed.get(m.key);
        const settings =
          known !== undefined
            ? (known ?? undefined)
            : open
              ? await this.configs.get(m.key).then((d) => (d.ignored ? undefined : d.settings))
              : await this.onDisk(m.key, folderSettings);
        if (!settings) continue;
        // the member of the last check where nothing changed (the set's relations keep it)
        const last = this.incremental.member(m.key);
        members.push(last && last.file === m.file && last.settings === settings ? last : { ...m, settings });
      }
    } finally {
      release();
    }
    if (!this.engine.hasSetRules(members.map((m) => m.settings))) {
      this.incremental.reset();
      this.replace(new Map(), members);
      return;
    }
    const t0 = performance.now();
    const { findings, checked } = this.incremental.check(members, (all, options) =>
      this.engine.checkOpenedSet(all, options),
    );
    this.record(performance.now() - t0, checked);
    this.release();
    this.replace(findings, members);
  }

  /**
   * Opens the index's new texts and reads what the set rules need of them (relations.ts), a slice
   * at a time: the first check reads thousands of files, which at once would hold up keystrokes
   * for a second. The parses of files on disk are dropped once read (see release()).
   */
  private async prepare(pause: () => Promise<void>): Promise<void> {
    for (const f of [...this.index.files()]) {
      if (this.models.get(f.uri)?.text === f.text) continue;
      const file = this.engine.open(f.text, f.uri);
      this.models.set(f.uri, { text: f.text, file });
      if (!file) continue;
      // what the rules across objects and the SidecarSets' injections read, before the parse goes
      sidecarSetsInFile(file);
      for (const doc of file.documents) {
        documentFacts(doc.model);
        if (!this.isOpen(f.uri)) doc.model.release?.();
      }
      await pause();
    }
  }

  /**
   * The set of the workspace's files as models, made again only for the files whose text changed
   * since the last time (settings are the defaults: the features across objects read no settings).
   */
  members(): SetMember[] {
    if (this.view?.generation === this.index.generation) return this.view.members;
    const members: SetMember[] = [];
    const seen = new Set<string>();
    for (const f of this.index.files()) {
      seen.add(f.uri);
      let known = this.models.get(f.uri);
      if (known?.text !== f.text) {
        known = { text: f.text, file: this.engine.open(f.text, f.uri) };
        this.models.set(f.uri, known);
        this.unreleased.add(f.uri);
      }
      if (known.file) members.push({ key: f.uri, file: known.file, settings: DEFAULT_SETTINGS });
    }
    for (const uri of this.models.keys()) {
      if (!seen.has(uri)) {
        this.models.delete(uri);
        this.positions.delete(uri);
        this.engine.forget(uri);
      }
    }
    this.view = { generation: this.index.generation, members };
    return members;
  }

  /** Who selects, reaches and refers to what, across the workspace's files (read again only where they changed). */
  relations(): Relations {
    const members = this.members();
    if (this.related.of !== members) {
      this.related.relations.update(members);
      this.related.of = members;
    }
    return this.related.relations;
  }

  /** The relations, when the set holds `uri` at `text` (else its offsets would not be the document's). */
  relationsFor(uri: string, text: string): Relations | undefined {
    const relations = this.relations();
    return this.models.get(uri)?.text === text ? relations : undefined;
  }

  /**
   * The Services of other files that select a pod of `uri` (at `text`), for the diagram to draw at
   * the pod's edge, each with where it is written.
   */
  servicesSelecting(uri: string, text: string): ServiceElsewhere[] {
    const relations = this.relationsFor(uri, text);
    if (!relations) return [];
    const pods = relations.objects.filter((o) => o.key === uri && o.object.pods.length > 0);
    if (pods.length === 0) return [];
    const out: ServiceElsewhere[] = [];
    // one Service by namespace and name: the file's own copy wins, then the first found (a copy of a
    // manifest in another folder is the same object, not a second Service)
    const named = (o: { object: { namespace: string; name?: string } }): string =>
      `${o.object.namespace}\u0000${o.object.name ?? ''}`;
    const seen = new Set(
      relations.objects.filter((o) => o.key === uri && o.object.service && o.object.name !== undefined).map(named),
    );
    for (const { service, fact } of relations.routingServices()) {
      if (service.key === uri || fact.selector.size === 0 || !fact.selectorKnown) continue;
      if (service.object.name !== undefined && seen.has(named(service))) continue;
      const selecting = pods.some(
        (o) =>
          o.object.namespace === service.object.namespace &&
          o.object.pods.some((p) => selects(fact.selector, p.labels)),
      );
      if (!selecting) continue;
      const summary = servicesInFile(service.member.file).find((s) => s.offset === service.offset);
      if (!summary) continue;
      if (service.object.name !== undefined) seen.add(named(service));
      const key = service.key;
      out.push({
        service: summary,
        uri: key,
        positionAt: (offset) => this.location({ key, range: { start: offset, end: offset } })!.range.start,
      });
    }
    return out;
  }

  /**
   * The SidecarSets written in the workspace's other files, each placed under its file's URI: they
   * inject into the pods they select (the pod rules and the diagram of `uri` see them).
   */
  sidecarSetsElsewhere(uri: string): SidecarSetElsewhere[] {
    return this.workspaceSidecarSets().sets.filter((p) => p.key !== uri);
  }

  private workspaceSidecarSets(): { sets: SidecarSetElsewhere[]; digest: string } {
    const members = this.members();
    if (this.sidecarSets?.generation === this.index.generation) return this.sidecarSets;
    const sets: SidecarSetElsewhere[] = [];
    for (const m of members) {
      let found = this.sidecarSetsOf.get(m.file);
      // a file on disk whose lines name no SidecarSet is not read for them (most of the set); an
      // open file's documents are looked at one by one (each remembers its answer: a keystroke
      // in a big file asks again of one document, not of the whole text)
      if (!found) {
        found = this.isOpen(m.key) || SIDECAR_SET.test(m.file.text) ? sidecarSetsInFile(m.file, m.key) : [];
        this.sidecarSetsOf.set(m.file, found);
      }
      sets.push(...found);
    }
    this.sidecarSets = { generation: this.index.generation, sets, digest: JSON.stringify(sets) };
    return this.sidecarSets;
  }

  /** Checks the open files again when a SidecarSet of the workspace changed (see checkedSidecarSets). */
  private sidecarSetsChanged(): void {
    const { digest } = this.workspaceSidecarSets();
    if (digest === this.checkedSidecarSets) return;
    this.checkedSidecarSets = digest;
    for (const m of this.members()) if (this.isOpen(m.key)) this.republish(m.key);
  }

  /** A place of the set as an LSP location (its member's text gives the lines). */
  location(place: SetPlace): Location | undefined {
    const text = this.models.get(place.key)?.text;
    if (text === undefined) return undefined;
    let positions = this.positions.get(place.key);
    if (positions?.text !== text) {
      positions = { text, at: positionsOf(text) };
      this.positions.set(place.key, positions);
    }
    return { uri: place.key, range: { start: positions.at(place.range.start), end: positions.at(place.range.end) } };
  }

  /** How a hover names another file: relative to its workspace folder. */
  displayName(uri: string): string {
    const path = this.files.pathOf(uri);
    if (path === undefined) return uri;
    const folder = this.folders.find((f) => path.startsWith(f.path + sep));
    return folder ? relative(folder.path, path).split(sep).join('/') : path;
  }

  /**
   * Drops the syntax trees of the files on disk once the set rules have read them: what the rules
   * read of them is kept as plain data (relations.ts), and thousands of parsed files would hold far
   * more memory than their texts. A fix or a feature that needs one again parses it again.
   */
  private release(): void {
    for (const uri of this.unreleased) {
      const file = this.models.get(uri)?.file;
      if (file && !this.isOpen(uri)) for (const doc of file.documents) doc.model.release?.();
    }
    this.unreleased.clear();
  }

  /** Keeps the new findings and publishes again the open files whose set findings changed. */
  private replace(found: ReadonlyMap<string, Finding[]>, members: readonly SetMember[]): void {
    const previous = this.results;
    const next = new Map<string, SetResult>();
    for (const m of members) {
      const findings = found.get(m.key) ?? [];
      const before = previous.get(m.key);
      // a member the check left alone keeps its findings (the same array) and its text
      if (before && before.findings === findings && before.text === m.file.text) next.set(m.key, before);
      else next.set(m.key, { text: m.file.text, findings, digest: digest(findings) });
    }
    this.results = next;
    const touched = [...next.keys()];
    for (const uri of previous.keys()) if (!next.has(uri)) touched.push(uri);
    let changed = false;
    for (const uri of touched) {
      const before = previous.get(uri);
      const after = next.get(uri);
      if (before === after) continue;
      // the same findings on a new text are published again: the diagnostics of that text had none
      const same = (before?.digest ?? '') === (after?.digest ?? '');
      if (same && (before?.text === after?.text || after === undefined || after.findings.length === 0)) continue;
      changed = true;
      if (this.isOpen(uri)) this.republish(uri);
    }
    if (changed) this.onChange();
  }

  private async onDisk(uri: string, folders: Map<string, Promise<Settings>>): Promise<Settings | undefined> {
    const known = this.governed.get(uri);
    if (known !== undefined) return known ?? undefined;
    const base = await this.folderSettings(uri, folders);
    const path = this.files.pathOf(uri);
    if (path === undefined) return base;
    const governed = this.engine.govern({ path }, base);
    this.governed.set(uri, governed.ignored ? null : governed.settings);
    return governed.ignored ? undefined : governed.settings;
  }

  /** The editor settings of the workspace folder a file is in (one pull per folder per check). */
  private folderSettings(uri: string, cache: Map<string, Promise<Settings>>): Promise<Settings> {
    const path = this.files.pathOf(uri);
    const scope = this.folders.find((f) => path?.startsWith(f.path + sep))?.uri ?? uri;
    let s = cache.get(scope);
    if (!s) {
      s = this.settings.get(scope);
      cache.set(scope, s);
    }
    return s;
  }

  /** files.exclude and search.exclude of each folder (patterns relative to it) and ALWAYS_EXCLUDED. */
  private async exclusions(folderUris: readonly string[]): Promise<(path: string) => boolean> {
    const perFolder: { folder: string; match: (rel: string) => boolean }[] = [];
    for (const uri of folderUris) {
      const folder = this.files.pathOf(uri);
      if (folder === undefined) continue;
      const patterns = [...ALWAYS_EXCLUDED];
      for (const section of ['files.exclude', 'search.exclude']) {
        const raw: unknown = await this.connection.workspace
          .getConfiguration({ scopeUri: uri, section })
          .then(undefined, () => undefined);
        patterns.push(...enabledPatterns(raw));
      }
      perFolder.push({ folder, match: picomatch(patterns, { dot: true }) });
    }
    return (path) => {
      for (const { folder, match } of perFolder) {
        const rel = relative(folder, path);
        if (rel.startsWith('..') || rel === '') continue;
        if (match(rel.split(sep).join('/'))) return true;
      }
      return false;
    };
  }

  private record(ms: number, files: number): void {
    this.durations.push({ ms, files });
    if (this.durations.length > 100) this.durations.shift();
  }
}

/**
 * A pause for a long loop: resolves at once until SLICE_MS of work have passed since the last
 * pause, then pauses (lets the event loop and the open documents' checks run) before going on.
 */
function slices(pause: () => Promise<void>): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await pause();
    since = performance.now();
  };
}

/**
 * The patterns an exclude setting turns on (`{"**\/dist": true}`). A `when` clause (excluded only
 * beside a sibling file) is left out: indexing a file too many costs little, missing one a finding.
 */
export function enabledPatterns(raw: unknown): string[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>)
    .filter(([, v]) => v === true)
    .map(([k]) => k.replace(/^\/+/, ''));
}

function digest(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.rule}|${f.severity}|${f.range.start}-${f.range.end}|${f.message}`).join('\n');
}

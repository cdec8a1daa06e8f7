// The engine: the one front door the LSP handlers, the CLI and the bench call. A text goes in with
// where it lives; findings (and their fixes, when asked) come out, under the one config lookup and
// the one size policy, so the editor and CI cannot drift apart.
import type { DiagramModel } from '../../../shared/src/diagram-model';
import type { Settings } from '../../../shared/src/settings';
import { buildDiagram, type DiagramInput } from '../services/diagram';
import { ModelCache } from '../model/file-model';
import { servicesInFile } from '../model/services';
import {
  injectingSidecarSets,
  sidecarSetsInFile,
  type PlacedSidecarSet,
  type SidecarSetElsewhere,
} from '../model/sidecar-sets';
import { isKustomizationFile, KustomizePatches } from '../workspace/kustomize';
import { documentFacts } from '../workspace/relations';
import { resolve } from 'node:path';
import type { FileModel, Range } from '../model/types';
import { RULES, RULES_BY_ID } from '../rules';
import { configuredSettings, ConfigLookup, type ConfigLookupOptions, type LoadedConfig } from './config';
import { cacheKey, Linter, type Logger, type SetOptions } from './linter';
import { isTooLarge, tooLargeFinding } from './limits';
import type { Finding, Rule, RuleMeta, SetCheck, SetMember } from './types';

export type { ConfigFs, LoadedConfig } from './config';
export { configLine, isConfigFile } from './config';
export { CONFIG_FILE_NAME, parseConfig, type ConfigProblem } from './config-file';
export { FILE_TOO_LARGE, MAX_FILE_CHARS, MAX_READ_BYTES, tooLargeFinding } from './limits';
export type { Logger, SetOptions } from './linter';
export type {
  Finding,
  Fix,
  RelatedLocation,
  RuleMeta,
  SetChange,
  SetCheck,
  SetDependencies,
  SetMember,
  SetRule,
  Severity,
  TextEditSpec,
} from './types';
export type { FileModel } from '../model/types';
export { objectLabel, type ObjectRef } from '../model/objects';
export { positionsOf, type TextPosition } from './positions';
export { looksLikePodDocument } from '../model/kind-lines';
export type { ServiceElsewhere } from '../services/diagram';
export { servicesInFile, type ServiceSummary } from '../model/services';
export {
  sidecarSetsInFile,
  type PlacedSidecarSet,
  type SidecarSetElsewhere,
  type SidecarSetSummary,
} from '../model/sidecar-sets';
export { splitDocuments } from '../model/split';
export { isKustomizationFile } from '../workspace/kustomization-refs';

/** What governs one file: its settings, or that its config file says to leave it alone. */
export type Governed =
  { ignored: true; config: LoadedConfig } | { ignored: false; settings: Settings; config: LoadedConfig | undefined };

/** Where a text comes from, for the config lookup. */
export interface Origin {
  /** Absolute path of the file, when it is one on disk. */
  path?: string;
  /** For a text that is not a file (standard input): the folder its config is looked up from. */
  folder?: string;
  /** A config file named outright (the CLI's --config): it governs whatever the path. */
  configPath?: string;
}

export interface EngineOptions {
  /** Where a rule's failure is logged (the others still report). */
  log?: Logger;
  /** The rules (tests add broken ones); all registered rules by default. */
  rules?: readonly Rule[];
  /** How config files are found and read again; see ConfigLookupOptions. */
  config?: ConfigLookupOptions;
  /** ModelCache options (tests vary where a big List is split). */
  models?: ConstructorParameters<typeof ModelCache>[0];
}

export class Engine {
  /** The per-document parse cache; a file's successive versions share their unchanged documents. */
  readonly models: ModelCache;
  readonly linter: Linter;
  readonly configs: ConfigLookup;
  /** Which files are kustomize patches, looked up as config files are (same file system, same liveness). */
  readonly kustomize: KustomizePatches;

  constructor(options: EngineOptions = {}) {
    this.models = new ModelCache(options.models);
    this.linter = new Linter(options.rules ?? RULES, options.log);
    this.configs = new ConfigLookup(options.config);
    this.kustomize = new KustomizePatches({ fs: options.config?.fs, live: options.config?.live });
  }

  /**
   * Until the returned function is called, the live lookups of config files and kustomizations
   * trust what they have seen instead of looking at each folder again: for one pass over many
   * files (the workspace's set check), whose changes a file event or the next pass notices.
   */
  holdLookups(): () => void {
    const releases = [this.configs.hold(), this.kustomize.hold()];
    return () => releases.forEach((r) => r());
  }

  /** The config file governing a text, if any. */
  configFor(origin: Origin): LoadedConfig | undefined {
    if (origin.configPath !== undefined) return this.configs.named(origin.configPath);
    if (origin.path !== undefined) return this.configs.forFile(origin.path);
    if (origin.folder !== undefined) return this.configs.forFolder(origin.folder);
    return undefined;
  }

  /** `base` (editor or command-line settings) with the governing config file applied. */
  govern(origin: Origin, base: Settings): Governed {
    const config = this.configFor(origin);
    if (config && origin.path !== undefined && config.ignores(origin.path)) return { ignored: true, config };
    const settings = configuredSettings(base, config);
    const patchOf = origin.path !== undefined ? this.kustomize.patchOf(origin.path) : undefined;
    const kustomization =
      origin.path !== undefined && isKustomizationFile(origin.path) ? resolve(origin.path) : undefined;
    return {
      ignored: false,
      settings: {
        ...settings,
        ...(patchOf !== undefined ? { patchOf } : {}),
        ...(kustomization !== undefined ? { kustomization } : {}),
      },
      config,
    };
  }

  /** `base` with the governing config file applied, whether or not it ignores the file (views asked for). */
  settingsFor(origin: Origin, base: Settings): Settings {
    return configuredSettings(base, this.configFor(origin));
  }

  /**
   * The file model of a text for features that read it (hover, completion, the diagram), or
   * undefined when it is too large to check: such a file gets no features at all.
   */
  open(text: string, key?: string): FileModel | undefined {
    return isTooLarge(text.length) ? undefined : this.models.parseFile(text, key);
  }

  /**
   * Every finding of a text under `settings`, in file offsets and reading order, without fixes.
   * `around` holds what other files the caller has say about this one (see Around). It keeps no
   * syntax tree, not even of a file of one document: no request about the text follows a check of
   * the whole (the CLI's, an overlay's), and a tree kept alive is what the garbage collector has
   * to copy and promote while the next file is checked.
   */
  check(text: string, settings: Settings, key?: string, around: Around = {}): Finding[] {
    return drain(this.checkSteps(text, settings, key, around, true));
  }

  /**
   * check() in steps, one document a step, for a caller that spreads a big file over several
   * turns of the event loop and stops when the text is superseded. Documents checked by an
   * abandoned run stay cached for the next one. Unless `releaseAll`, a document checked alone (the
   * one a keystroke changed) stays parsed for the requests that follow.
   */
  *checkSteps(
    text: string,
    settings: Settings,
    key?: string,
    around: Around = {},
    releaseAll = false,
  ): Generator<void, Finding[]> {
    if (isTooLarge(text.length)) return [tooLargeFinding(text.length)];
    const file = yield* this.models.parseFileSteps(text, key);
    const services = servicesInFile(file);
    const sidecarSets = injecting(file, around);
    const settingsKey = cacheKey(settings, services);
    // after a keystroke all but the edited document are cached: only that one is checked here
    const unchecked = this.linter.unchecked(file, settings, services, sidecarSets, settingsKey);
    // A check of many documents (a file's first, a change of settings) keeps none of their syntax
    // trees: the findings are cached, and a request parses again the one document it reads. The
    // parse dies young, so memory stays near the size of the text. The document a keystroke
    // touched stays parsed for the requests that follow.
    const release = releaseAll || unchecked.length > 1;
    for (const doc of unchecked) {
      this.linter.checkDocument(doc, settings, services, sidecarSets, settingsKey);
      // what the rules and features across objects read of it is taken while it is parsed (plain data)
      documentFacts(doc.model);
      if (release) doc.model.release?.();
      yield;
    }
    return this.linter.lint(file, settings, { services, sidecarSets, key: settingsKey });
  }

  /**
   * Findings with their quick fixes, of the documents that overlap `range` (file offsets), or of
   * the whole text without one (fix-all). Checked again: the cache keeps no fixes.
   */
  checkWithFixes(text: string, settings: Settings, key?: string, range?: Range, around: Around = {}): Finding[] {
    const file = this.open(text, key);
    if (!file) return [];
    const scope = range
      ? { ...file, documents: file.documents.filter((d, i, all) => overlaps(d, all[i + 1], range)) }
      : file;
    return this.linter.lint(scope, settings, {
      withFixes: true,
      services: servicesInFile(file),
      sidecarSets: injecting(file, around),
    });
  }

  /**
   * The SidecarSets written in a text, placed under `key` for the other files checked beside it
   * (Around.sidecarSets): the CLI's files, the editor's workspace index.
   */
  sidecarSetsIn(text: string, key: string): SidecarSetElsewhere[] {
    const file = this.open(text, key);
    return file ? sidecarSetsInFile(file, key) : [];
  }

  /** Whether any set rule is on under some of `settings`: only then need a caller keep a set of files. */
  hasSetRules(settings: readonly Settings[]): boolean {
    return this.linter.hasSetRules(settings);
  }

  /**
   * The findings of the set rules, which read several files at once (a Service and the pods it
   * selects), by member key, in file offsets. Each member brings the settings that govern it; a
   * member too large to check is left out of the set. A member checked before under the same key
   * (check(text, settings, key)) is not parsed again: its documents and their facts are cached.
   */
  checkSet(members: readonly { key: string; text: string; settings: Settings }[]): Map<string, Finding[]> {
    const opened: SetMember[] = [];
    for (const m of members) {
      const file = this.open(m.text, m.key);
      if (file) opened.push({ key: m.key, file, settings: m.settings });
    }
    return this.linter.lintSet(opened).findings;
  }

  /**
   * checkSet() of files already opened (Engine.open), for a caller that keeps a set's models
   * between checks (the editor's workspace): a file's documents are not split again. Narrowed
   * by `options` to the members a change can affect (SetOptions, workspace/incremental-set.ts).
   */
  checkOpenedSet(members: readonly SetMember[], options?: SetOptions): SetCheck {
    return this.linter.lintSet(members, options);
  }

  /** The findings of an opened file model (what the diagram draws beside its boxes). */
  findingsOf(file: FileModel, settings: Settings, around: Around = {}): Finding[] {
    return this.linter.lint(file, settings, { services: servicesInFile(file), sidecarSets: injecting(file, around) });
  }

  /**
   * The diagram of a file model (only document `document`, 0-based, when given), with the findings
   * of what it draws, so the picture and the Problems panel agree.
   */
  diagram(
    file: FileModel,
    settings: Settings,
    view: Omit<DiagramInput, 'file' | 'findings' | 'services' | 'sidecarSets'>,
    /** SidecarSets of other files that may select its pods (the CLI's set of files, the workspace index). */
    moreSidecarSets: readonly SidecarSetElsewhere[] = [],
  ): DiagramModel {
    const services = servicesInFile(file);
    // the Services of the file are drawn beside the pod with their findings: lint their documents too
    const serviceAt = new Set(services.map((s) => s.offset));
    const drawn =
      view.document === undefined
        ? file
        : { ...file, documents: file.documents.filter((d) => d.index === view.document || serviceAt.has(d.offset)) };
    const sidecarSets = injecting(file, { sidecarSets: moreSidecarSets });
    return buildDiagram({
      ...view,
      file,
      services,
      sidecarSets,
      findings: this.linter.lint(drawn, settings, { services, sidecarSets }),
    });
  }

  /** Drops what is cached for a file closed in the editor. */
  forget(key: string): void {
    this.models.forget(key);
  }
}

/**
 * What other files that the caller holds say about the file it checks: the SidecarSets written
 * there (Engine.sidecarSetsIn, each placed under its file's key), which inject into the pods they
 * select. A caller that passes them asks again when they change (the editor's workspace index).
 */
export interface Around {
  sidecarSets?: readonly SidecarSetElsewhere[];
}

/** The SidecarSets that may inject into the pods of `file`: its own, then those of `around`. */
function injecting(file: FileModel, around: Around): readonly PlacedSidecarSet[] {
  return injectingSidecarSets(file, around.sidecarSets ?? []);
}

/** The metadata of every registered rule, in registry order. */
export function ruleCatalogue(): RuleMeta[] {
  return RULES.map((r) => r.meta);
}

export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES_BY_ID.get(id)?.meta;
}

export function knownRuleIds(): ReadonlySet<string> {
  return new Set(RULES_BY_ID.keys());
}

function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Whether a document (ending where the next one starts) overlaps `range`. */
function overlaps(doc: { offset: number }, next: { offset: number } | undefined, range: Range): boolean {
  return doc.offset <= range.end && (next === undefined || next.offset > range.start);
}

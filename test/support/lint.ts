import { servicesInFile } from '../../server/src/model/services';
import { sidecarSetsInFile } from '../../server/src/model/sidecar-sets';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/src/settings';
import { ModelCache } from '../../server/src/model/file-model';
import { Linter } from '../../server/src/engine/linter';
import { isKustomizationFile } from '../../server/src/workspace/kustomize';
import { Engine } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine/types';

/** The repository root, from out/test/support (compiled) or test/support (source). */
export const REPO = resolve(__dirname, __dirname.includes(`${'out'}`) ? '../../..' : '../..');
export const FIXTURES = join(REPO, 'test', 'fixtures');

export interface LineFinding extends Finding {
  /** 1-based line of the range start. */
  line: number;
}

export function lintText(text: string, settings: Partial<Settings> = {}): LineFinding[] {
  const doc = TextDocument.create('file:///test.yaml', 'yaml', 1, text);
  const linter = new Linter(undefined, (m) => {
    throw new Error(m);
  });
  const file = new ModelCache().parseFile(text);
  return linter
    .lint(
      file,
      { ...DEFAULT_SETTINGS, ...settings },
      { withFixes: true, services: servicesInFile(file), sidecarSets: sidecarSetsInFile(file) },
    )
    .map((f) => ({ ...f, line: doc.positionAt(f.range.start).line + 1 }));
}

/**
 * Settings a fixture asks for with a comment line `# kubernetesVersion: 1.N`, so version-aware rules
 * can be shown at the versions where they fire; the defaults otherwise.
 */
export function fixtureSettings(text: string, file?: string): Partial<Settings> {
  const m = /^# kubernetesVersion: (\S+)\r?$/m.exec(text);
  // a kustomization is checked against its folder, as the engine tells the rule it is one
  const kustomization = file !== undefined && isKustomizationFile(file) ? { kustomization: resolve(file) } : {};
  return m ? { kubernetesVersion: m[1]!, ...kustomization } : kustomization;
}

/** A Pod named web with the given YAML after its `metadata:\n  name: web` lines (4 lines above it). */
export function podText(rest: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n${rest}`;
}

/** Lines annotated `# <- rule-id` (several ids may follow, comma separated). */
export function expectedLines(text: string, rule: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /# <- ([a-z0-9-, ]+)$/.exec(line.trimEnd());
    if (
      m &&
      m[1]!
        .split(',')
        .map((s) => s.trim())
        .includes(rule)
    )
      lines.push(i + 1);
  });
  return lines;
}

export function listYaml(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A fixture set of a set rule: one file of `dir`, or the files of one of its folders. */
export interface FixtureSet {
  label: string;
  files: { name: string; path: string }[];
}

/** The sets of a set rule's fixture folder: each YAML file alone, and each subfolder's files together. */
export function listSets(dir: string): FixtureSet[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: FixtureSet[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const files = listYaml(path)
        .sort()
        .map((p) => ({ name: `${name}/${basename(p)}`, path: p }));
      if (files.length > 0) out.push({ label: `${name}/`, files });
    } else if (/\.ya?ml$/.test(name)) out.push({ label: name, files: [{ name, path }] });
  }
  return out;
}

/**
 * Every finding of a set of texts, as the CLI gives them: each file's own, then the set rules'
 * over all of them, by name.
 */
export function lintSet(
  files: readonly { name: string; text: string }[],
  settings: Partial<Settings> = {},
): Map<string, LineFinding[]> {
  const engine = new Engine({
    log: (m) => {
      throw new Error(m);
    },
  });
  const all = { ...DEFAULT_SETTINGS, ...settings };
  const out = new Map<string, LineFinding[]>();
  const line = (text: string, f: Finding): LineFinding => ({
    ...f,
    line: TextDocument.create('file:///t.yaml', 'yaml', 1, text).positionAt(f.range.start).line + 1,
  });
  for (const f of files) out.set(f.name, lintText(f.text, settings));
  const set = engine.checkSet(files.map((f) => ({ key: f.name, text: f.text, settings: all })));
  for (const f of files) {
    const found = (set.get(f.name) ?? []).map((x) => line(f.text, x));
    out.set(
      f.name,
      [...out.get(f.name)!, ...found].sort((a, b) => a.range.start - b.range.start),
    );
  }
  return out;
}

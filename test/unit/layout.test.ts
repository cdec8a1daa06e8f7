// The shape of DESIGN.md, held by a test: the CLI and the bench reach the server only through its
// engine, and the server's modules import each other without cycles.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO } from '../support/lint';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sources(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

/** The relative imports of a source file, as files of the repository. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)) {
    const target = resolve(dirname(file), m[1]!);
    const found = [`${target}.ts`, join(target, 'index.ts')].find((c) => existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

const rel = (p: string): string => relative(REPO, p);

describe('layout', () => {
  it('the CLI and the bench reach the server only through server/src/engine', () => {
    const engine = join(REPO, 'server', 'src', 'engine');
    // the bundles' loader sits in the engine too: the CLI's entry point loads its bundle with it
    // overlays.ts: the rendering of kustomize overlays, which the browser server's graph must not hold
    const allowed = new Set([join(engine, 'index.ts'), join(engine, 'code-cache.ts'), join(engine, 'overlays.ts')]);
    const offending: string[] = [];
    let reached = 0;
    for (const file of [...sources(join(REPO, 'cli', 'src')), ...sources(join(REPO, 'bench', 'src'))]) {
      for (const target of imports(file)) {
        if (!target.startsWith(join(REPO, 'server', 'src'))) continue;
        reached++;
        if (!allowed.has(target)) offending.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    assert.deepEqual(offending, []);
    assert.ok(reached >= 5, `the scan found only ${reached} imports of the server: it reads imports wrong`);
  });

  it('the server has no import cycle', () => {
    const files = sources(join(REPO, 'server', 'src'));
    const graph = new Map(files.map((f) => [f, imports(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) {
        if (state.get(g) === 'open') cycles.push([...path.slice(path.indexOf(g)), g].map(rel).join(' -> '));
        else if (!state.has(g)) visit(g, [...path, g]);
      }
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    assert.deepEqual(cycles, []);
    assert.ok([...graph.values()].flat().length > 200, 'the scan found the imports');
  });
});

describe('README', () => {
  it('links only to addresses and its own headings: vsce refuses relative links without a repository', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !/^(https?:|mailto:|#)/.test(target));
    assert.deepEqual(relative, []);
  });
});

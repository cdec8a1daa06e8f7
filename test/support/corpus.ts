import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './lint';

const NAMED = process.env.SIDECAR_PODS_CORPUS || undefined;

/**
 * The corpus of real manifests: where SIDECAR_PODS_CORPUS says, or ../shared/corpus beside the
 * repository, as in CI. A clone of its own has none; the suites that need it are then skipped.
 */
export const CORPUS = NAMED ?? join(REPO, '..', 'shared', 'corpus');

const PRESENT = existsSync(join(CORPUS, 'INDEX.tsv'));

/** Whether the corpus is there (its INDEX.tsv). */
export function corpusAvailable(): boolean {
  return PRESENT;
}

let skippedSuites = 0;

// one line for the whole run, after the last test and before mocha's summary (a root-level hook:
// this module is first loaded by a test file's imports, before any of its describe blocks)
if (typeof after === 'function') {
  after(() => {
    if (skippedSuites === 0) return;
    console.log(
      `\n  corpus suites skipped (${skippedSuites}, their tests show as pending): no corpus at ${CORPUS}; ` +
        'set SIDECAR_PODS_CORPUS=/path/to/corpus to run them',
    );
  });
}

/**
 * A suite that reads the corpus: a plain `describe` where the corpus is, a skipped one (its tests
 * pending) where it is not. A corpus named by SIDECAR_PODS_CORPUS must be there: a wrong path is an
 * error, not a quiet skip.
 */
export function describeCorpus(title: string, fn: (this: Mocha.Suite) => void): void {
  if (PRESENT) {
    describe(title, fn);
    return;
  }
  if (NAMED !== undefined) throw new Error(`SIDECAR_PODS_CORPUS=${NAMED}: no INDEX.tsv there, so no corpus`);
  skippedSuites++;
  describe.skip(title, fn);
}

export interface CorpusRow {
  localFile: string;
  repo: string;
  path: string;
  templated: string;
  parses: string;
  notes: string;
}

export function corpusRows(): CorpusRow[] {
  const [header, ...lines] = readFileSync(join(CORPUS, 'INDEX.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header!.split('\t');
  const at = (cells: string[], name: string): string => cells[cols.indexOf(name)] ?? '';
  return lines.map((line) => {
    const cells = line.split('\t');
    return {
      localFile: at(cells, 'local_file'),
      repo: at(cells, 'repo'),
      path: at(cells, 'path'),
      templated: at(cells, 'templated'),
      parses: at(cells, 'yaml_parses'),
      notes: at(cells, 'notes'),
    };
  });
}

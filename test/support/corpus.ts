import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './lint';

/** The shared corpus of real manifests sits beside the repository (../shared/corpus), as in CI. */
export const CORPUS = process.env.SIDECAR_PODS_CORPUS ?? join(REPO, '..', 'shared', 'corpus');

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

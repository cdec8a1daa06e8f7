// What a kustomization names (files, folders, remote targets), read from its parsed tree: for the
// kustomization rule, which checks that they exist, and the overlay graph, which follows them. No
// engine imports here, so the rules can use it.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';

/** The names kustomize reads a kustomization from, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** What an entry of a kustomization names: a file, a folder (a kustomization), or either. */
export type RefKind = 'file' | 'folder' | 'either';

/** A path a kustomization names, with where it is written (document offsets). */
export interface KustomizationRef {
  /** The field it is written under, as a person reads it (`resources`, `patches[].path`...). */
  field: string;
  path: string;
  kind: RefKind;
  /** The scalar's range in the document. */
  range: { start: number; end: number };
}

/**
 * The fields of a kustomization that name files or folders, after kustomize's api/types
 * (kustomization.go, configmapandsecretargs.go, patch.go, replacementfield.go): entries of these
 * lists (`[]` marks a list, `.x` a key of its items) are paths relative to the kustomization's
 * folder, or remote targets.
 */
const REF_FIELDS: readonly { path: readonly string[]; kind: RefKind }[] = [
  { path: ['resources[]'], kind: 'either' },
  { path: ['bases[]'], kind: 'folder' },
  { path: ['components[]'], kind: 'folder' },
  { path: ['crds[]'], kind: 'file' },
  { path: ['patches[]', 'path'], kind: 'file' },
  { path: ['patchesJson6902[]', 'path'], kind: 'file' },
  { path: ['patchesStrategicMerge[]'], kind: 'file' },
  { path: ['replacements[]', 'path'], kind: 'file' },
  { path: ['configurations[]'], kind: 'file' },
  { path: ['generators[]'], kind: 'either' },
  { path: ['transformers[]'], kind: 'either' },
  { path: ['validators[]'], kind: 'either' },
  { path: ['configMapGenerator[]', 'files[]'], kind: 'either' },
  { path: ['configMapGenerator[]', 'envs[]'], kind: 'file' },
  { path: ['configMapGenerator[]', 'env'], kind: 'file' },
  { path: ['secretGenerator[]', 'files[]'], kind: 'either' },
  { path: ['secretGenerator[]', 'envs[]'], kind: 'file' },
  { path: ['secretGenerator[]', 'env'], kind: 'file' },
  { path: ['openapi', 'path'], kind: 'file' },
];

/**
 * Every path a parsed kustomization names. Inline text (a patch or a generator config written in
 * place, which holds a line break or starts a flow map) is not a path, and a generator's
 * `key=path` names `path`.
 */
export function kustomizationRefs(root: unknown): KustomizationRef[] {
  const out: KustomizationRef[] = [];
  const visit = (node: unknown, path: readonly string[], field: string, ref: (typeof REF_FIELDS)[number]): void => {
    if (path.length === 0) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
      let value = node.value.trim();
      if (value === '' || value.includes('\n') || value.startsWith('{') || value.startsWith('[')) return;
      let start = node.range[0];
      if (field.endsWith('files[]')) {
        // `key=path`: the key names the entry in the generated map
        const eq = value.indexOf('=');
        if (eq >= 0) {
          value = value.slice(eq + 1);
          start = -1;
        }
      }
      out.push({
        field,
        path: value,
        kind: ref.kind,
        range: start < 0 ? { start: node.range[0], end: node.range[1] } : { start, end: node.range[1] },
      });
      return;
    }
    const [head, ...rest] = path as [string, ...string[]];
    const list = head.endsWith('[]');
    const key = list ? head.slice(0, -2) : head;
    if (!isMap(node)) return;
    const value = node.get(key, true);
    const name = field === '' ? head : `${field}.${head}`;
    if (!list) return visit(value, rest, name, ref);
    if (!isSeq(value)) return;
    for (const item of value.items) visit(item, rest, name, ref);
  };
  for (const ref of REF_FIELDS) visit(root, ref.path, '', ref);
  return out.sort((a, b) => a.range.start - b.range.start);
}

/**
 * Whether an entry names something kustomize fetches rather than reads from disk: a URL, a git
 * address, or a host name with a path (github.com/org/repo//dir?ref=v1), as kustomize's
 * api/internal/git/repospec.go accepts them.
 */
export function isRemoteRef(path: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^git(@|::)/.test(path) || path.startsWith('ssh:')) return true;
  const first = path.split('/')[0]!;
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?$/i.test(first) && path.includes('/');
}

/** What is at a path on disk: a file, a folder, or nothing. */
let readable: boolean | undefined;

/**
 * Whether this build can look at files at all: the browser server has no file system (its node:fs
 * refuses), and there no path may be called missing.
 */
export function filesReadable(): boolean {
  if (readable === undefined) {
    try {
      statSync('/');
      readable = true;
    } catch {
      readable = false;
    }
  }
  return readable;
}

export function pathKind(path: string): 'file' | 'folder' | undefined {
  try {
    // a missing path is the common answer (three names of kustomization per folder): no exception
    // is made for it, which would cost more than the stat
    const st = statSync(path, { throwIfNoEntry: false });
    return st?.isDirectory() ? 'folder' : st?.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** The kustomization file of a folder, if it has one (kustomize's own order of names). */
export function kustomizationIn(folder: string): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const path = join(folder, name);
    if (pathKind(path) === 'file') return path;
  }
  return undefined;
}

export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(basename(path));
}

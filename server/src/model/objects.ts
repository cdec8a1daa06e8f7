// Which Kubernetes object of a document a place belongs to, named as a user names it (kind,
// namespace, name), so a finding in a long stream says whose it is, not only its line.
import { isMap, isSeq, type YAMLMap } from 'yaml';
import type { DocumentModel } from './types';
import { asMap, getMap, getSeq, getString, nodeRange } from './yaml-nodes';

export interface ObjectRef {
  kind: string;
  name?: string;
  namespace?: string;
}

function refOf(map: YAMLMap): ObjectRef | undefined {
  const kind = getString(map, 'kind')?.value;
  if (!kind) return undefined;
  const metadata = getMap(map, 'metadata');
  const name = getString(metadata, 'name')?.value;
  const namespace = getString(metadata, 'namespace')?.value;
  return { kind, ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}) };
}

/**
 * The object at `offset` (relative to the document): the item of a List that holds it, else the
 * document's own object. Undefined where the document names no kind (or does not parse to a map).
 */
export function objectAt(document: DocumentModel, offset: number): ObjectRef | undefined {
  const root = document.yaml.contents;
  // one item of a big List, parsed on its own, is a sequence of that item (see splitList)
  const items = isSeq(root)
    ? root
    : isMap(root) && getString(root, 'kind')?.value?.endsWith('List')
      ? getSeq(root, 'items')
      : undefined;
  if (items) {
    for (const item of items.items) {
      const map = asMap(item);
      if (!map) continue;
      const r = nodeRange(map);
      if (offset >= r.start && offset <= r.end) return refOf(map);
    }
  }
  return isMap(root) ? refOf(root) : undefined;
}

/** `Deployment web`, or `Deployment prod/web` with a namespace (namespace/name, as Kubernetes writes it). */
export function objectLabel(ref: ObjectRef): string {
  if (ref.name === undefined) return ref.kind;
  return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `# Source: CHART/templates/FILE.yaml`, as `helm template` heads each document it renders. */
const SOURCE_LINE = /^#[ \t]*Source:[ \t]*(\S[^\r\n]*?)[ \t]*\r?$/;

/**
 * The Helm template a rendered document came from: the `# Source:` comment among the comment lines
 * before its first content (the document marker and blank lines aside). Undefined for a document
 * no renderer wrote.
 */
export function sourceTemplate(document: DocumentModel): string | undefined {
  const text = document.text;
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    const trimmed = line.trim();
    if (trimmed !== '' && trimmed !== '---' && !trimmed.startsWith('#')) return undefined;
    const m = SOURCE_LINE.exec(line);
    if (m) return m[1];
    if (end < 0) return undefined;
    at = end + 1;
  }
  return undefined;
}

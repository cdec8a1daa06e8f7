// What a document's top-level lines say of its kind, read without parsing: works on broken YAML
// too, and lets a document that cannot hold a pod skip the parse.
import { isCustomPodKindName } from './kinds';
import { POD_KINDS, isPodKind, type PodKind } from './types';

/**
 * The kinds a document's own top-level `kind:` lines name (a plain or quoted scalar, an optional
 * comment). A line at column 0 can only be a key of the top-level map (block scalar content and
 * nested keys are indented), so a nested `kind: Deployment` (an HPA's scaleTargetRef, a Helm values
 * file) does not count. Works on broken YAML too, which has no structure to ask.
 */
export function topLevelKinds(text: string): string[] {
  const kinds: string[] = [];
  TOP_LEVEL_KIND.lastIndex = 0;
  for (let m = TOP_LEVEL_KIND.exec(text); m; m = TOP_LEVEL_KIND.exec(text)) kinds.push(m[2]!);
  return kinds;
}

const TOP_LEVEL_KIND = /^kind:[ \t]*(["']?)([A-Za-z0-9]+)\1[ \t]*(?:#[^\r\n]*)?\r?$/gm;
const TOP_LEVEL_API_VERSION = /^apiVersion:[ \t]*(["']?)([A-Za-z0-9.\-/]+)\1[ \t]*(?:#[^\r\n]*)?\r?$/m;
const API_VERSION_LINE = /^apiVersion:/m;

/** The apiVersion a document's first top-level `apiVersion:` line names, read as topLevelKinds reads kinds. */
export function topLevelApiVersion(text: string): string | undefined {
  return TOP_LEVEL_API_VERSION.exec(text)?.[2];
}
const POD_BEARING = new Set<string>([...POD_KINDS, 'List']);

/** The pod-bearing kind a document's top-level lines name, if any. */
export function topLevelPodKind(text: string): PodKind | undefined {
  return topLevelKinds(text).find(isPodKind);
}

/** Broken YAML is judged by its lines: a top-level `kind:` naming a pod-bearing kind, and an `apiVersion:`. */
export function looksLikePodDocument(text: string): boolean {
  return topLevelPodKind(text) !== undefined && API_VERSION_LINE.test(text);
}

/**
 * True when the document's own top-level `kind:` line names something that cannot hold a pod (a
 * ConfigMap, a CRD...). Such a document gives no findings, so it need not be parsed at all: a
 * CustomResourceDefinition is often the biggest document of a file. Without such a line, the
 * document is parsed.
 */
export function namesNonPodKind(text: string): boolean {
  const kinds = topLevelKinds(text);
  return kinds.length > 0 && !kinds.some((kind) => POD_BEARING.has(kind) || isCustomPodKindName(kind));
}

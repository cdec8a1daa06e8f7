// Markdown building blocks for hovers. Everything taken from the document goes through code(),
// cell() or plain(), so a name a user typed can neither inject markup nor break a table.
import { unnamedLabel } from '../model/describe';
import type { PodRoles } from '../model/main-container';
import { knownSidecar } from '../model/sidecars';
import type { ContainerModel, ContainerRole, PodModel } from '../model/types';

const MAX_TEXT = 80;

/** User text on one line of bounded length. */
function oneLine(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ');
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

/** Inline code of user text: one line, no backticks, bounded length. */
export function code(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

/** Inline code inside a table cell: GFM splits cells at `|` even inside code spans unless escaped. */
export function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** User text shown as text (a map key in a heading): Markdown's special characters escaped. */
export function plain(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function link(title: string, url: string): string {
  return `[${title}](${url})`;
}

export const ROLE_LABEL: Record<ContainerRole, string> = {
  init: 'init container',
  sidecar: 'native sidecar',
  regular: 'container',
  ephemeral: 'ephemeral container',
};

/**
 * The role as a person would say it: a known sidecar image in `containers` is a classic sidecar,
 * unless it is the pod's main service (see podRoles).
 */
export function roleOf(container: ContainerModel, roles: PodRoles): string {
  if (container.roleLabel) return container.roleLabel;
  if (container.role === 'regular') {
    const known = knownSidecar(container);
    if (known) {
      return roles.main.has(container) ? `main container (${known.title})` : `sidecar (classic, ${known.title})`;
    }
  }
  return ROLE_LABEL[container.role];
}

/** A container's name as text; unnamed ones by position, so half-typed pods still read well. */
export function nameOf(container: ContainerModel): string {
  return container.name?.value ?? container.clusterName ?? unnamedLabel(container);
}

export function names(containers: readonly ContainerModel[]): string {
  return containers.length === 0 ? 'none' : containers.map((c) => code(nameOf(c))).join(', ');
}

/** Containers that are part of the pod's life (ephemeral debug containers are added later by kubectl debug). */
export function podContainers(pod: PodModel): ContainerModel[] {
  return pod.containers.filter((c) => c.role !== 'ephemeral');
}

/**
 * Whether two containers run at the same time: regular containers and native sidecars run side by
 * side; a regular init container runs alone, beside the native sidecars declared before it.
 */
export function runTogether(a: ContainerModel, b: ContainerModel): boolean {
  if (a === b || a.role === 'ephemeral' || b.role === 'ephemeral') return false;
  const longRunning = (c: ContainerModel): boolean => c.role === 'sidecar' || c.role === 'regular';
  if (longRunning(a) && longRunning(b)) return true;
  if (a.role === 'init' && b.role === 'sidecar') return b.index < a.index;
  if (b.role === 'init' && a.role === 'sidecar') return a.index < b.index;
  return false;
}

export const K8S_DOCS = 'https://kubernetes.io/docs';

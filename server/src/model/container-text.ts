// What a container says in words: its command line and env values, for rules that look for
// addresses (localhost:P), flags (--one-time) or shell wrappers in them.
import { isScalar, isSeq, type Node } from 'yaml';
import { getNode, getSeq, mapItems, nodeRange } from './yaml-nodes';
import type { ContainerModel, Located } from './types';

function scalars(node: Node | undefined): Located<string>[] {
  if (!node) return [];
  // `command: "sh -c ..."` as one string is a schema error, but people write it; read it anyway.
  const items = isSeq(node) ? node.items : [node];
  const out: Located<string>[] = [];
  for (const item of items) {
    if (isScalar(item) && item.value !== null && typeof item.value !== 'object')
      out.push({ value: String(item.value), range: nodeRange(item) });
  }
  return out;
}

/** The words of `command` then `args`, each with its range. */
export function commandLine(container: ContainerModel): Located<string>[] {
  return [...scalars(getNode(container.node, 'command')), ...scalars(getNode(container.node, 'args'))];
}

/** The literal `env[].value`s, by variable name. */
export function envValues(container: ContainerModel): { name: string; value: Located<string> }[] {
  const out: { name: string; value: Located<string> }[] = [];
  for (const { node } of mapItems(getSeq(container.node, 'env'))) {
    const name = getNode(node, 'name');
    const [value] = scalars(getNode(node, 'value'));
    if (isScalar(name) && value) out.push({ name: String(name.value), value });
  }
  return out;
}

const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|ash|dash|zsh)$/;

/** Whether the container runs a shell script (`sh -c ...`) rather than its image's own program. */
export function runsShellScript(container: ContainerModel): boolean {
  const words = commandLine(container).map((w) => w.value);
  const shell = words.findIndex((w) => SHELLS.test(w.trim()));
  return shell >= 0 && words.slice(shell + 1).some((w) => /^-\w*c$/.test(w.trim()));
}

// The outline: workload > pod > containers grouped by role, volumes.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node } from 'yaml';
import type { ContainerModel, ContainerRole, FileModel, PlacedDocument, PodModel, Range } from '../model/types';
import { nodeRange } from '../model/yaml-nodes';
import { nameOf } from './hover-text';
import { toLspRange } from './pod-target';

const GROUPS: readonly { role: ContainerRole; title: string }[] = [
  { role: 'init', title: 'init containers' },
  { role: 'sidecar', title: 'native sidecars' },
  { role: 'regular', title: 'containers' },
  { role: 'ephemeral', title: 'ephemeral containers' },
];

export function documentSymbols(file: FileModel, doc: TextDocument): DocumentSymbol[] {
  if (file.template) return [];
  const out: DocumentSymbol[] = [];
  for (const placed of file.documents) {
    for (const pod of placed.model.pods) out.push(podSymbol(doc, placed, pod));
  }
  return out;
}

function podSymbol(doc: TextDocument, placed: PlacedDocument, pod: PodModel): DocumentSymbol {
  const symbol = (name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string): DocumentSymbol => {
    const s: DocumentSymbol = {
      name,
      kind,
      range: toLspRange(doc, placed, range),
      selectionRange: toLspRange(doc, placed, selection),
    };
    if (detail) s.detail = detail;
    return s;
  };
  const objectNode = placed.model.yaml.getIn(pod.objectPath, true) as Node | undefined;
  const objectRange = pod.objectPath.length === 0 ? wholeDocument(placed) : nodeRange(objectNode);
  const title = pod.name?.value ?? '(unnamed)';
  const top = symbol(`${pod.kind} ${title}`, SymbolKind.Class, objectRange, pod.name?.range ?? pod.kindRange);

  const children: DocumentSymbol[] = [];
  for (const group of GROUPS) {
    const members = pod.containers.filter((c) => c.role === group.role);
    if (members.length === 0) continue;
    const range = span(members.map((c) => c.range));
    const g = symbol(group.title, SymbolKind.Namespace, range, { start: range.start, end: range.start });
    g.children = members.map((c) => containerSymbol(c, symbol));
    children.push(g);
  }
  if (pod.volumes.length > 0) {
    const range = span(pod.volumes.map((v) => v.range));
    const g = symbol('volumes', SymbolKind.Namespace, range, { start: range.start, end: range.start });
    g.children = pod.volumes.map((v) =>
      symbol(v.name?.value ?? `#${v.index + 1}`, SymbolKind.Field, v.range, v.name?.range ?? v.range, v.source),
    );
    children.push(g);
  }
  if (pod.kind === 'Pod' || !pod.spec) {
    top.children = children;
  } else {
    // a workload holds a pod template: one level for the pod, as the API nests it
    const spec = pod.specRange;
    const template = symbol('pod template', SymbolKind.Module, spec, { start: spec.start, end: spec.start });
    template.children = children;
    top.children = [template];
  }
  return top;
}

function containerSymbol(
  c: ContainerModel,
  symbol: (name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string) => DocumentSymbol,
): DocumentSymbol {
  return symbol(nameOf(c), SymbolKind.Object, c.range, c.name?.range ?? c.range, c.image?.value);
}

function span(ranges: readonly Range[]): Range {
  return { start: Math.min(...ranges.map((r) => r.start)), end: Math.max(...ranges.map((r) => r.end)) };
}

/** A document's own object spans its text, without the `---` marker line. */
function wholeDocument(placed: PlacedDocument): Range {
  const contents = placed.model.yaml.contents;
  return contents ? nodeRange(contents) : { start: 0, end: placed.model.text.length };
}

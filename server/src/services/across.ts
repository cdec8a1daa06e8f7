// Authoring across objects (specs/neighbours.md, "Authoring across objects"): hovers, go to
// definition, find references and completion between a Service, the pods it selects, and the
// ConfigMaps and Secrets those pods read, wherever in the set each is written. Pure: it reads the
// set's Relations (workspace/relations.ts), and answers in member keys and file offsets; the LSP
// handler turns those into locations.
import type { CompletionItem } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import { isMap, type YAMLMap } from 'yaml';
import type { Range } from '../model/types';
import { getString } from '../model/yaml-nodes';
import {
  fileRange,
  selects,
  type PortFact,
  type ReferenceFact,
  type Relations,
  type ServicePortFact,
  type SetObject,
  type SetPod,
} from '../workspace/relations';
import type { CursorContext } from './completion-context';
import { code } from './hover-text';

/** A place in the set: a member's key and a range of its file. */
export interface SetPlace {
  key: string;
  range: Range;
}

/** What is under the cursor, as the relations know it. */
type Focus =
  | { kind: 'service-port'; service: SetObject; port: ServicePortFact; range: Range }
  | { kind: 'selector'; service: SetObject; range: Range }
  | { kind: 'container-port'; owner: SetObject; pod: SetPod; port: PortFact; range: Range }
  | { kind: 'labels'; owner: SetObject; pod: SetPod; range: Range }
  | { kind: 'reference'; owner: SetObject; ref: ReferenceFact; range: Range }
  | { kind: 'key-use'; owner: SetObject; ref: ReferenceFact; key: string; range: Range }
  | { kind: 'object-name'; object: SetObject; range: Range }
  | { kind: 'data-key'; object: SetObject; key: string; range: Range };

const within = (r: Range, offset: number): boolean => offset >= r.start && offset <= r.end;

/** The objects of member `key` whose document holds file offset `offset` (several in a List). */
function objectsAt(relations: Relations, key: string, offset: number): SetObject[] {
  const mine = relations.objects.filter((o) => o.key === key && o.offset <= offset);
  if (mine.length === 0) return [];
  const start = Math.max(...mine.map((o) => o.offset));
  return mine.filter((o) => o.offset === start);
}

function focusAt(relations: Relations, key: string, offset: number): Focus | undefined {
  for (const o of objectsAt(relations, key, offset)) {
    const at = offset - o.offset;
    const fact = o.object;
    const service = fact.service;
    if (service) {
      for (const port of service.ports) {
        if (within(port.targetRange, at)) return { kind: 'service-port', service: o, port, range: port.targetRange };
      }
      for (const port of service.ports) {
        if (within(port.nameRange, at)) return { kind: 'service-port', service: o, port, range: port.nameRange };
      }
      if (within(service.selectorRange, at)) return { kind: 'selector', service: o, range: service.selectorRange };
    }
    const owned = relations.podsIn(fact.namespace).filter((p) => p.owner === o);
    for (const pod of owned) {
      for (const port of pod.pod.ports) {
        if (!port.injected && within(port.range, at)) {
          return { kind: 'container-port', owner: o, pod, port, range: port.range };
        }
      }
      for (const ref of pod.pod.references) {
        for (const use of ref.keys) {
          if (within(use.range, at)) return { kind: 'key-use', owner: o, ref, key: use.key, range: use.range };
        }
        if (within(ref.range, at)) return { kind: 'reference', owner: o, ref, range: ref.range };
      }
    }
    if (fact.data) {
      for (const [k, r] of fact.data.keys) if (within(r, at)) return { kind: 'data-key', object: o, key: k, range: r };
    }
    if (fact.name !== undefined && within(fact.range, at)) return { kind: 'object-name', object: o, range: fact.range };
    for (const pod of owned) {
      if (within(pod.pod.labelsRange, at) && pod.pod.labelsRange.end - pod.pod.labelsRange.start < 4096) {
        return { kind: 'labels', owner: o, pod, range: pod.pod.labelsRange };
      }
    }
  }
  return undefined;
}

const place = (o: SetObject, r: Range): SetPlace => ({ key: o.key, range: fileRange(o, r) });

/** The ports of a selected pod that a Service port's target reaches: by name, or by number. */
function reached(pod: SetPod, target: number | string | undefined): PortFact[] {
  if (target === undefined) return [];
  return pod.pod.ports.filter((p) =>
    typeof target === 'number' ? p.number === target && !p.injected : p.name === target,
  );
}

/** The Service ports that reach a pod's port: Services selecting the pod, whose target names or numbers it. */
function routesTo(relations: Relations, pod: SetPod, port: PortFact): { service: SetObject; port: ServicePortFact }[] {
  const out: { service: SetObject; port: ServicePortFact }[] = [];
  for (const { service, fact } of relations.routingServices()) {
    if (service.object.namespace !== pod.owner.object.namespace) continue;
    if (fact.selector.size === 0 || !fact.selectorKnown || !selects(fact.selector, pod.pod.labels)) continue;
    for (const sp of fact.ports) {
      const t = sp.targetPort;
      if ((typeof t === 'number' && t === port.number) || (typeof t === 'string' && t === port.name)) {
        out.push({ service, port: sp });
      }
    }
  }
  return out;
}

/** `Deployment web` (and its file, when it is not the one hovered). */
function objectName(o: SetObject, here: string, fileName: (key: string) => string): string {
  const name = `${o.object.kind} ${code(o.object.name ?? '(unnamed)')}`;
  return o.key === here ? name : `${name} in ${fileName(o.key)}`;
}

function portName(p: PortFact): string {
  const parts = [
    p.number !== undefined ? String(p.number) : undefined,
    p.name !== undefined ? code(p.name) : undefined,
  ];
  return parts.filter(Boolean).join(' ');
}

const ROLE: Record<string, string> = { regular: 'app container', sidecar: 'native sidecar' };

const MESH_PROXY: Record<string, string> = {
  istio: "Istio's sidecar proxy (`istio-proxy`) intercepts it first (iptables redirect) and hands it on over localhost",
  linkerd: "Linkerd's proxy (`linkerd-proxy`) intercepts it first and hands it on over localhost",
};

function meshNote(pod: SetPod): string[] {
  return pod.pod.meshes.map((m) => MESH_PROXY[m]!).filter(Boolean);
}

/**
 * A Markdown section on who receives the traffic, for the hover at `offset` of member `key`; undefined
 * where the cursor is on nothing that relates across objects.
 */
export function acrossHover(
  relations: Relations,
  key: string,
  offset: number,
  fileName: (key: string) => string,
): { markdown: string; range: Range } | undefined {
  const focus = focusAt(relations, key, offset);
  if (!focus) return undefined;
  const lines: string[] = [];
  if (focus.kind === 'service-port') {
    const { service, port } = focus;
    const pods = relations.selectedBy(service);
    const label = `Service port ${port.port ?? '?'}${port.name !== undefined ? ` (${code(port.name)})` : ''}`;
    if (port.targetPort === undefined) return undefined;
    lines.push(`**${label}** sends to target port ${code(String(port.targetPort))}.`);
    if (pods.length === 0) lines.push('', 'The Service selects no pod in the files of the workspace.');
    for (const pod of pods) {
      const ports = reached(pod, port.targetPort);
      const who = objectName(pod.owner, key, fileName);
      if (ports.length === 0) {
        lines.push(
          '',
          typeof port.targetPort === 'number'
            ? `- ${who}: no container declares port ${port.targetPort}; traffic arrives only if something listens on it`
            : `- ${who}: no container declares a port named ${code(port.targetPort)}: the endpoints get no port`,
        );
        continue;
      }
      for (const p of ports) {
        lines.push(
          '',
          `- ${who}: container ${code(p.container)} (${ROLE[p.role] ?? p.role}), port ${portName(p)}/${p.protocol}`,
        );
      }
      for (const note of meshNote(pod)) lines.push(`  - ${note}`);
    }
    return { markdown: lines.join('\n'), range: fileRange(service, focus.range) };
  }
  if (focus.kind === 'selector') {
    const pods = relations.selectedBy(focus.service);
    lines.push(
      pods.length === 0
        ? '**Selects no pod** in the files of the workspace.'
        : `**Selects ${pods.length} pod template${pods.length === 1 ? '' : 's'}:**`,
    );
    for (const pod of pods) {
      const ports = pod.pod.ports.filter((p) => !p.injected).map((p) => `${portName(p)} on ${code(p.container)}`);
      lines.push('', `- ${objectName(pod.owner, key, fileName)}${ports.length > 0 ? `: ${ports.join(', ')}` : ''}`);
      for (const note of meshNote(pod)) lines.push(`  - ${note}`);
    }
    return { markdown: lines.join('\n'), range: fileRange(focus.service, focus.range) };
  }
  if (focus.kind === 'container-port') {
    const routes = routesTo(relations, focus.pod, focus.port);
    if (routes.length === 0) return undefined;
    lines.push('**Routed here by:**');
    for (const r of routes) {
      lines.push(
        '',
        `- ${objectName(r.service, key, fileName)} port ${r.port.port ?? '?'}${r.port.name !== undefined ? ` (${code(r.port.name)})` : ''}`,
      );
    }
    for (const note of meshNote(focus.pod)) lines.push('', note.replace(/^./, (c) => c.toUpperCase()) + '.');
    return { markdown: lines.join('\n'), range: fileRange(focus.owner, focus.range) };
  }
  return undefined;
}

/** Where what is under the cursor is defined in another object: the pods, the port, the ConfigMap, the key. */
export function acrossDefinition(relations: Relations, key: string, offset: number): SetPlace[] {
  const focus = focusAt(relations, key, offset);
  if (!focus) return [];
  switch (focus.kind) {
    case 'selector':
      return relations.selectedBy(focus.service).map((p) => place(p.owner, p.pod.labelsRange));
    case 'service-port':
      return relations
        .selectedBy(focus.service)
        .flatMap((p) => reached(p, focus.port.targetPort).map((port) => place(p.owner, port.range)));
    case 'reference':
      return named(relations, focus.owner, focus.ref).map((o) => place(o, o.object.range));
    case 'key-use':
      return named(relations, focus.owner, focus.ref).flatMap((o) => {
        const r = o.object.data?.keys.get(focus.key);
        return r ? [place(o, r)] : [];
      });
    default:
      return [];
  }
}

function named(relations: Relations, owner: SetObject, ref: ReferenceFact): readonly SetObject[] {
  return relations.named(ref.kind, owner.object.namespace, ref.name);
}

/** Who refers to what is under the cursor: pods to a ConfigMap or key, Services to a port or labels. */
export function acrossReferences(
  relations: Relations,
  key: string,
  offset: number,
  includeDeclaration: boolean,
): SetPlace[] {
  const focus = focusAt(relations, key, offset);
  if (!focus) return [];
  const out: SetPlace[] = [];
  if (focus.kind === 'object-name' || focus.kind === 'data-key') {
    const target = focus.object.object;
    if (includeDeclaration) out.push(place(focus.object, focus.range));
    for (const { owner, ref } of relations.references()) {
      if (ref.kind !== target.kind || ref.name !== target.name || owner.object.namespace !== target.namespace) continue;
      if (focus.kind === 'object-name') out.push(place(owner, ref.range));
      else for (const use of ref.keys) if (use.key === focus.key) out.push(place(owner, use.range));
    }
  } else if (focus.kind === 'container-port') {
    if (includeDeclaration) out.push(place(focus.owner, focus.range));
    for (const r of routesTo(relations, focus.pod, focus.port)) out.push(place(r.service, r.port.targetRange));
  } else if (focus.kind === 'labels') {
    for (const { service, fact } of relations.routingServices()) {
      if (service.object.namespace !== focus.owner.object.namespace || fact.selector.size === 0) continue;
      if (fact.selectorKnown && selects(fact.selector, focus.pod.pod.labels))
        out.push(place(service, fact.selectorRange));
    }
  }
  return out;
}

/** The kinds a reference field names, by the map it is in and the field. */
function referenceField(
  path: readonly (string | number)[],
  field: string | undefined,
): 'ConfigMap' | 'Secret' | undefined {
  const holder = path[path.length - 1];
  if (field === 'name' && (holder === 'configMapKeyRef' || holder === 'configMapRef' || holder === 'configMap')) {
    return 'ConfigMap';
  }
  if (field === 'name' && (holder === 'secretKeyRef' || holder === 'secretRef' || holder === 'secret')) return 'Secret';
  if (field === 'secretName' && holder === 'secret') return 'Secret';
  return undefined;
}

/**
 * Completions that need the other objects: a Service's `targetPort` (the selected pods' port
 * names), and ConfigMap and Secret names and keys in a pod's references. `root` is the YAML of the
 * document under the cursor (for the sibling `name:` of a `key:`); `ctx` says where the cursor is.
 */
export function acrossCompletions(
  relations: Relations,
  key: string,
  offset: number,
  ctx: CursorContext,
  root: unknown,
): CompletionItem[] {
  if (ctx.kind !== 'value') return [];
  const here = objectsAt(relations, key, offset)[0];
  const namespace = here?.object.namespace ?? '';
  const path = ctx.path;
  // a Service port: spec.ports[i].targetPort (ctx.path is the port's map)
  if (ctx.key === 'targetPort' && path.length >= 3 && path[path.length - 2] === 'ports' && here?.object.service) {
    const seen = new Map<string, CompletionItem>();
    for (const pod of relations.selectedBy(here)) {
      for (const p of pod.pod.ports) {
        if (p.name === undefined || seen.has(p.name)) continue;
        seen.set(p.name, {
          label: p.name,
          kind: CompletionItemKind.Reference,
          detail: `port ${p.number ?? '?'} of ${p.container} (${pod.owner.object.kind} ${pod.owner.object.name ?? ''})`,
        });
      }
    }
    return [...seen.values()];
  }
  const kind = referenceField(path, ctx.key);
  if (kind) {
    const items = new Map<string, CompletionItem>();
    for (const o of relations.ofKind(kind, namespace)) {
      if (o.object.name === undefined || items.has(o.object.name)) continue;
      items.set(o.object.name, {
        label: o.object.name,
        kind: CompletionItemKind.Reference,
        detail: `${kind}${o.object.generated ? ' (kustomize generator)' : ''} with ${o.object.data?.keys.size ?? 0} key(s)`,
      });
    }
    return [...items.values()];
  }
  if (ctx.key === 'key') {
    const keyed = keyedSource(path, root);
    if (!keyed) return [];
    return relations.named(keyed.kind, namespace, keyed.name).flatMap((o) =>
      [...(o.object.data?.keys.keys() ?? [])].map((k) => ({
        label: k,
        kind: CompletionItemKind.Field,
        detail: `key of ${keyed.kind} ${keyed.name}`,
      })),
    );
  }
  return [];
}

/** The ConfigMap or Secret whose key a `key:` field picks: a key ref's `name`, or the volume source above `items`. */
function keyedSource(
  path: readonly (string | number)[],
  root: unknown,
): { kind: 'ConfigMap' | 'Secret'; name: string } | undefined {
  const holder = path[path.length - 1];
  if (holder === 'configMapKeyRef' || holder === 'secretKeyRef') {
    const name = getString(mapAt(root, path), 'name')?.value;
    return name ? { kind: holder === 'configMapKeyRef' ? 'ConfigMap' : 'Secret', name } : undefined;
  }
  // volumes[i].configMap.items[j].key
  if (typeof holder === 'number' && path[path.length - 2] === 'items') {
    const source = path[path.length - 3];
    const sourcePath = path.slice(0, -2);
    if (source === 'configMap') {
      const name = getString(mapAt(root, sourcePath), 'name')?.value;
      return name ? { kind: 'ConfigMap', name } : undefined;
    }
    if (source === 'secret') {
      const map = mapAt(root, sourcePath);
      const name = (getString(map, 'secretName') ?? getString(map, 'name'))?.value;
      return name ? { kind: 'Secret', name } : undefined;
    }
  }
  return undefined;
}

function mapAt(root: unknown, path: readonly (string | number)[]): YAMLMap | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (node && typeof node === 'object' && 'get' in node && typeof (node as YAMLMap).get === 'function') {
      node = (node as YAMLMap).get(seg as never, true);
    } else return undefined;
  }
  return isMap(node) ? node : undefined;
}

// The probes of a container as written: which handlers each has and which port each handler targets.
import { isPair, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { getMap, getNode, getPair, getString, hasMergeKey, keyRange, nodeRange } from './yaml-nodes';
import type { ContainerModel, Range } from './types';

export const PROBE_KINDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The handler fields of a probe; the API server wants exactly one of them. */
export const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
export type ProbeHandler = (typeof PROBE_HANDLERS)[number];

export interface ProbeModel {
  kind: ProbeKind;
  node: YAMLMap;
  keyRange: Range;
  /** Handler keys whose value is set (a `null` value decodes to no handler, as in the API server). */
  handlers: { handler: ProbeHandler; keyRange: Range }[];
  /** Keys come in through a merge key (`<<: *probe`), so `handlers` may miss some. */
  merged: boolean;
}

/** Where a handler of a probe or lifecycle hook sends its request. */
export interface PortRef {
  /** The probe, or `postStart`/`preStop` of a lifecycle hook. */
  owner: ProbeKind | 'postStart' | 'preStop';
  handler: 'httpGet' | 'tcpSocket' | 'grpc';
  /** A number, or (when written as a string) the name of a port of the same container. */
  value: number | string;
  node: Scalar;
  range: Range;
  /** `host` of httpGet or tcpSocket: the request goes elsewhere, so a number says nothing about this pod. */
  host?: string;
}

function pairKey(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : undefined;
}

export function containerProbes(container: ContainerModel): ProbeModel[] {
  const out: ProbeModel[] = [];
  for (const kind of PROBE_KINDS) {
    const node = getMap(container.node, kind);
    const range = keyRange(getPair(container.node, kind));
    if (!node || !range) continue;
    const handlers: ProbeModel['handlers'] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = pairKey(item);
      if (!(PROBE_HANDLERS as readonly unknown[]).includes(key)) continue;
      const value = item.value as unknown;
      if (value === null || value === undefined || (isScalar(value) && value.value === null)) continue;
      handlers.push({ handler: key as ProbeHandler, keyRange: keyRange(item) ?? nodeRange(node) });
    }
    out.push({ kind, node, keyRange: range, handlers, merged: hasMergeKey(node) });
  }
  return out;
}

function portRefs(owner: PortRef['owner'], holder: YAMLMap | undefined): PortRef[] {
  const out: PortRef[] = [];
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const action = getMap(holder, handler);
    const port = getNode(action, 'port');
    if (!isScalar(port)) continue;
    const value = port.value;
    if (typeof value !== 'number' && typeof value !== 'string') continue;
    if (typeof value === 'number' && !Number.isInteger(value)) continue;
    // gRPC ports are numbers only; a string there is the schema's finding
    if (handler === 'grpc' && typeof value !== 'number') continue;
    const ref: PortRef = { owner, handler, value, node: port, range: nodeRange(port) };
    const host = handler === 'grpc' ? undefined : getString(action, 'host')?.value;
    if (host) ref.host = host;
    out.push(ref);
  }
  return out;
}

/** The port each network handler of the container's probes targets (skips unset or malformed ones). */
export function probePorts(container: ContainerModel): PortRef[] {
  return PROBE_KINDS.flatMap((kind) => portRefs(kind, getMap(container.node, kind)));
}

/** Probe and lifecycle-hook ports of the container that name a port (the kubelet resolves them in it). */
export function namedPortRefs(container: ContainerModel): (PortRef & { value: string })[] {
  const lifecycle = getMap(container.node, 'lifecycle');
  const refs = [
    ...probePorts(container),
    ...portRefs('postStart', getMap(lifecycle, 'postStart')),
    ...portRefs('preStop', getMap(lifecycle, 'preStop')),
  ];
  return refs.filter((r): r is PortRef & { value: string } => typeof r.value === 'string');
}

// What the server computes for the pod diagram and every renderer draws. Plain JSON (it crosses the
// LSP connection and postMessage), no behaviour, no vscode and no Node built-ins.

/** An LSP position: 0-based line, UTF-16 character offset in that line. */
export interface DiagramPosition {
  line: number;
  character: number;
}

/** An LSP range (structurally identical to vscode-languageserver's Range). */
export interface DiagramRange {
  start: DiagramPosition;
  end: DiagramPosition;
}

export type DiagramSeverity = 'error' | 'warning' | 'info';

/** One finding of the linter, attached to the most specific node whose source range holds it. */
export interface DiagramFinding {
  rule: string;
  severity: DiagramSeverity;
  message: string;
}

/** Fields every clickable node has. */
export interface DiagramNodeBase {
  /** Unique in its pod; stable while the YAML keeps its shape (positions, not text, build it). */
  id: string;
  /** The whole node in the YAML: the cursor inside it highlights the node. */
  range: DiagramRange;
  /** What a click selects: the name or the key that introduces the node. */
  selectionRange: DiagramRange;
  findings: DiagramFinding[];
  /** The worst severity of `findings`, if any. */
  severity?: DiagramSeverity;
}

export interface DiagramPort extends DiagramNodeBase {
  port: number;
  protocol: string;
  name?: string;
  hostPort?: number;
  /** Another container of the pod (or an injected one) binds the same port: drawn in red. */
  clash: boolean;
}

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface DiagramProbe extends DiagramNodeBase {
  kind: ProbeKind;
  /** The handler in a few words, e.g. `httpGet :http /healthz`, `exec cat /tmp/ready`. */
  handler: string;
}

export interface DiagramMount extends DiagramNodeBase {
  /** The volume's node id; undefined when no volume of that name exists (drawn as a missing volume). */
  volumeId?: string;
  volumeName: string;
  /** mountPath (or devicePath for a block device). */
  path: string;
  readOnly: boolean;
  device: boolean;
  /**
   * A mount its controller copies from another container (an Argo sidecar's mirrorVolumeMounts:
   * the main container's), by that container's name; its ranges point at the flag that asks for it.
   */
  mirroredFrom?: string;
}

/**
 * Lanes in the order a pod starts them: init containers one after another, native sidecars (started
 * among the init containers, running for the pod's life), the app containers, containers an
 * admission webhook will inject (ghosts), and ephemeral debug containers.
 */
export type LaneKind = 'init' | 'sidecar' | 'regular' | 'injected' | 'ephemeral';

export const LANE_ORDER: readonly LaneKind[] = ['init', 'sidecar', 'regular', 'injected', 'ephemeral'];

export interface DiagramContainer extends DiagramNodeBase {
  name: string;
  image?: string;
  lane: LaneKind;
  /** 1-based start order among the init containers and native sidecars (they start in declaration order). */
  startOrder?: number;
  /** For a ghost: the injector that adds it (Istio, Linkerd, ...); its ranges point at the annotation that asks for it. */
  injectedBy?: string;
  /** For a ghost: the role it will have once injected. */
  ghostRole?: 'init' | 'sidecar' | 'regular';
  /** A known sidecar image (catalogue title), e.g. `Fluent Bit`. */
  knownSidecar?: string;
  /** A known sidecar image that is the pod's main service here (a log collector's Fluent Bit), not a helper. */
  mainService?: boolean;
  ports: DiagramPort[];
  probes: DiagramProbe[];
  mounts: DiagramMount[];
}

export interface DiagramVolume extends DiagramNodeBase {
  name: string;
  /** emptyDir, configMap, hostPath, volumeClaimTemplate...; undefined when none is set. */
  source?: string;
  /** No such volume is declared; this node stands for the mounts that name it. */
  missing: boolean;
}

/** One port of a Service and where its traffic lands in the pod. */
export interface DiagramServicePort extends DiagramNodeBase {
  name?: string;
  /** The Service's own port; undefined when it is not set. */
  port?: number;
  /** As written (or defaulted to `port`); undefined when neither is set. */
  targetPort?: number | string;
  protocol: string;
  appProtocol?: string;
  /** Ids of the container ports (in this pod) the traffic lands on; empty: it reaches nothing (a broken arrow). */
  targets: string[];
  /** The injected mesh proxy the traffic passes first: its container id and the port it is redirected to. */
  via?: { containerId: string; port: number };
  /** Why it reaches nothing: the finding's text when the linter has one, else the same check's own words. */
  broken?: string;
}

/** A Service that selects the pod: drawn at the pod's edge, where traffic enters. */
export interface DiagramService extends DiagramNodeBase {
  name: string;
  namespace?: string;
  /** spec.type; ClusterIP when unset. */
  type: string;
  /**
   * The document the Service is written in when it is not the model's (`uri`): its ranges, and
   * its ports' ranges, are positions in that document.
   */
  uri?: string;
  ports: DiagramServicePort[];
}

export interface DiagramPod extends DiagramNodeBase {
  kind: string;
  name?: string;
  /** 0-based index of the YAML document of the file that holds it. */
  documentIndex: number;
  containers: DiagramContainer[];
  volumes: DiagramVolume[];
  /** Hosts the pod's network namespace is shared with: `hostNetwork: true` puts it on the node. */
  hostNetwork: boolean;
  /** The Services that select the pod (optional: a model from before Services were drawn has none). */
  services?: DiagramService[];
}

export interface DiagramModel {
  uri: string;
  /** The document version the model was computed from (LSP), so late answers can be dropped. */
  version: number;
  pods: DiagramPod[];
}

const SEVERITY_RANK: Record<DiagramSeverity, number> = { info: 1, warning: 2, error: 3 };

/** The worse of two severities (undefined counts as none). */
export function worseSeverity(
  a: DiagramSeverity | undefined,
  b: DiagramSeverity | undefined,
): DiagramSeverity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Every clickable node of a pod, the pod itself first. */
export function podNodes(pod: DiagramPod): DiagramNodeBase[] {
  const out: DiagramNodeBase[] = [pod];
  for (const c of pod.containers) out.push(c, ...c.ports, ...c.probes, ...c.mounts);
  out.push(...pod.volumes);
  for (const s of pod.services ?? []) out.push(s, ...s.ports);
  return out;
}

function contains(range: DiagramRange, p: DiagramPosition): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function size(range: DiagramRange): number {
  // lines dominate: a node on fewer lines is the more specific one
  return (range.end.line - range.start.line) * 1_000_000 + (range.end.character - range.start.character);
}

/**
 * The innermost node whose range holds a position (the editor's cursor), in any pod of the model;
 * ghosts are skipped since their ranges are the annotation that asks for them, which is shared.
 */
export function nodeAt(
  model: DiagramModel,
  position: DiagramPosition,
): { pod: DiagramPod; node: DiagramNodeBase } | undefined {
  let best: { pod: DiagramPod; node: DiagramNodeBase } | undefined;
  for (const pod of model.pods) {
    const ghosts = new Set<DiagramNodeBase>();
    for (const c of pod.containers) {
      if (c.injectedBy) for (const n of [c, ...c.ports, ...c.probes, ...c.mounts]) ghosts.add(n);
    }
    // a Service written in another file has ranges in that file, not in this one
    for (const s of pod.services ?? []) if (s.uri !== undefined) for (const n of [s, ...s.ports]) ghosts.add(n);
    for (const node of podNodes(pod)) {
      if (ghosts.has(node) || !contains(node.range, position)) continue;
      if (!best || size(node.range) < size(best.node.range)) best = { pod, node };
    }
  }
  return best;
}

/** The document a node is written in: another file's for a Service kept there, else the model's. */
export function nodeUri(model: DiagramModel, pod: DiagramPod, nodeId: string): string {
  for (const s of pod.services ?? []) {
    if (s.uri !== undefined && (s.id === nodeId || s.ports.some((p) => p.id === nodeId))) return s.uri;
  }
  return model.uri;
}

/** A node by id in a pod of the model. */
export function findNode(model: DiagramModel, podId: string, nodeId: string): DiagramNodeBase | undefined {
  const pod = model.pods.find((p) => p.id === podId);
  return pod ? podNodes(pod).find((n) => n.id === nodeId) : undefined;
}

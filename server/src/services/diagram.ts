// The pod diagram as data: built from the same pod model and findings as the diagnostics, so the
// picture and the Problems panel always agree. Pure: no connection, no text document.
import { unnamedLabel } from '../model/describe';
import { withSidecarSets, type PlacedSidecarSet } from '../model/sidecar-sets';
import { isNode, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import {
  worseSeverity,
  type DiagramContainer,
  type DiagramFinding,
  type DiagramModel,
  type DiagramMount,
  type DiagramNodeBase,
  type DiagramPod,
  type DiagramPort,
  type DiagramPosition,
  type DiagramProbe,
  type DiagramRange,
  type DiagramService,
  type DiagramServicePort,
  type DiagramVolume,
  type ProbeKind,
} from '../../../shared/src/diagram-model';
import { podRoles, type PodRoles } from '../model/main-container';
import { inboundProxy, portTargets } from '../model/service-ports';
import { servicesOf, type ServiceSummary } from '../model/services';
import { injectionRequests, knownSidecar } from '../model/sidecars';
import type { ContainerModel, FileModel, PlacedDocument, PodModel, Range } from '../model/types';
import { getBoolean, getMap, getNode, getPair, getSeq, getString, keyRange, nodeRange } from '../model/yaml-nodes';
import type { Finding } from '../engine/types';

export interface DiagramInput {
  uri: string;
  version: number;
  file: FileModel;
  /** The linter's findings for the file (file offsets), as the diagnostics show them. */
  findings: readonly Finding[];
  /** File offset -> LSP position of the text the file model was parsed from. */
  positionAt(offset: number): DiagramPosition;
  /** Only this document (0-based); every document when undefined. */
  document?: number;
  /**
   * The Services of the file (servicesInFile): those that select a pod are drawn at its edge, and
   * they tell a main service from a helper (see podRoles).
   */
  services?: readonly ServiceSummary[];
  /**
   * Services written in other files of the workspace; those that select a pod are drawn too, and
   * a click on one opens its own file. One whose `uri` is this model's is skipped (it is in
   * `services`). They do not change the containers' roles: the rules see only the file's Services.
   */
  elsewhere?: readonly ServiceElsewhere[];
  /** The SidecarSets that may select the pods (the file's, or a set of files'): their containers are drawn as injected. */
  sidecarSets?: readonly PlacedSidecarSet[];
}

/** A Service from another document, with what it takes to point at it there. */
export interface ServiceElsewhere {
  service: ServiceSummary;
  /** The document it is written in. */
  uri: string;
  /** File offset -> LSP position in that document (its ranges are `service.offset` + document offsets). */
  positionAt(offset: number): DiagramPosition;
}

/** Rules whose findings on a Service port say why it reaches nothing; their text goes on the broken arrow first. */
const TARGET_PORT_RULES = new Set(['service-target-port']);

/** Rules whose findings mean "another container binds this port too": the port is drawn in red. */
const PORT_CLASH_RULES = new Set(['port-conflict', 'host-port-conflict', 'injected-port-conflict']);

const PROBES: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];

/** A node under construction: where it is in the file, so findings can find it. */
interface Placed {
  node: DiagramNodeBase;
  /** File offsets. */
  span: Range;
}

export function buildDiagram(input: DiagramInput): DiagramModel {
  const model: DiagramModel = { uri: input.uri, version: input.version, pods: [] };
  // A Helm template is not YAML until rendered: the linter skips it, and so does the diagram.
  if (input.file.template) return model;
  for (const doc of input.file.documents) {
    if (input.document !== undefined && doc.index !== input.document) continue;
    if (!doc.model.isPodDocument) continue;
    doc.model.pods.forEach((pod, podIndex) => {
      const drawn = withSidecarSets(pod, input.sidecarSets ?? [], doc.offset);
      model.pods.push(new PodBuilder(input, doc, drawn, podIndex).build());
    });
  }
  return model;
}

class PodBuilder {
  /** Every node that can own a finding, with its file span. */
  private readonly placed: Placed[] = [];
  /** The declared ports (not the injected ones), for the clash colouring. */
  private readonly ports: { node: DiagramPort; span: Range }[] = [];

  constructor(
    private readonly input: DiagramInput,
    private readonly doc: PlacedDocument,
    private readonly pod: PodModel,
    private readonly podIndex: number,
  ) {
    this.roles = podRoles(pod, input.services);
  }

  private readonly roles: PodRoles;

  build(): DiagramPod {
    const { pod, doc } = this;
    const objectSpan = this.objectSpan();
    const out: DiagramPod = {
      ...this.base(podId(doc.index, this.podIndex), objectSpan, this.shift(pod.name?.range ?? pod.kindRange)),
      kind: pod.kind,
      documentIndex: doc.index,
      containers: [],
      volumes: [],
      hostNetwork: getBoolean(pod.spec, 'hostNetwork') === true,
    };
    if (pod.name) out.name = pod.name.value;

    out.volumes = pod.volumes.map((v) => {
      const prefix = v.source === 'volumeClaimTemplate' ? 'volumeClaimTemplates' : 'volumes';
      const volume: DiagramVolume = this.place(`${prefix}[${v.index}]`, v.range, v.name?.range, {
        name: v.name?.value ?? `#${v.index + 1}`,
        missing: false,
      });
      if (v.source) volume.source = v.source;
      return volume;
    });
    out.containers = pod.containers.map((c) => this.container(c, out.volumes));
    out.containers.push(...this.ghosts());
    const services = this.services();
    if (services.length > 0) out.services = services;

    this.attachFindings(out, objectSpan);
    this.markClashes(out);
    return out;
  }

  /** The object that holds the pod: the whole document, or the item of a List. */
  private objectSpan(): Range {
    const { model } = this.doc;
    if (this.pod.objectPath.length === 0) return this.shift({ start: 0, end: model.text.length });
    const node = model.yaml.getIn(this.pod.objectPath, true);
    return this.shift(isNode(node) ? nodeRange(node) : this.pod.specRange);
  }

  private container(c: ContainerModel, volumes: DiagramVolume[]): DiagramContainer {
    const id = `${c.list}[${c.index}]`;
    const out: DiagramContainer = this.place(id, c.range, c.name?.range ?? firstKeyRange(c.node), {
      name: c.name?.value ?? c.clusterName ?? unnamedLabel(c),
      lane: c.role,
      ports: [] as DiagramPort[],
      probes: [] as DiagramProbe[],
      mounts: [] as DiagramMount[],
    });
    if (c.image) out.image = c.image.value;
    if (c.list === 'initContainers') out.startOrder = c.index + 1;
    const known = knownSidecar(c);
    if (known) out.knownSidecar = known.title;
    if (known && this.roles.main.has(c)) out.mainService = true;

    c.ports.forEach((p, i) => {
      if (!p.containerPort) return; // a named or missing port binds nothing; the schema rule reports it
      const port: DiagramPort = this.place(`${id}.ports[${i}]`, p.range, p.containerPort.range, {
        port: p.containerPort.value,
        protocol: p.protocol,
        clash: false,
      });
      if (p.name) port.name = p.name.value;
      if (p.hostPort) port.hostPort = p.hostPort.value;
      out.ports.push(port);
      this.ports.push({ node: port, span: this.shift(p.range) });
    });

    for (const kind of PROBES) {
      const pair = getPair(c.node, `${kind}Probe`);
      if (!pair || !isScalar(pair.key)) continue;
      const span = pairRange(pair);
      out.probes.push(
        this.place(`${id}.${kind}Probe`, span, keyRange(pair), {
          kind,
          handler: probeHandler(getMap(c.node, `${kind}Probe`)),
        }),
      );
    }

    const counters = { volumeMounts: 0, volumeDevices: 0 };
    for (const m of c.mounts) {
      const index = counters[m.list]++;
      const volumeName = m.name?.value;
      if (volumeName === undefined) continue; // nothing to wire; the schema rule reports the missing name
      let volume = volumes.find((v) => v.name === volumeName && !v.missing);
      if (!volume) volume = this.missingVolume(volumes, volumeName, m.name!.range);
      const mount: DiagramMount = this.place(`${id}.${m.list}[${index}]`, m.range, m.path?.range ?? m.name?.range, {
        volumeName,
        path: m.path?.value ?? '',
        readOnly: m.readOnly,
        device: m.list === 'volumeDevices',
      });
      if (!volume.missing) mount.volumeId = volume.id;
      out.mounts.push(mount);
    }
    // the mounts its controller copies from another container: written there, asked for here
    c.mirrored?.mounts.forEach((m, i) => {
      const volumeName = m.name?.value;
      if (volumeName === undefined) return;
      const volume = volumes.find((v) => v.name === volumeName && !v.missing);
      const mount: DiagramMount = this.place(`${id}.mirroredMounts[${i}]`, c.mirrored!.flag, c.mirrored!.flag, {
        volumeName,
        path: m.path?.value ?? '',
        readOnly: m.readOnly,
        device: false,
        mirroredFrom: c.mirrored!.from.clusterName ?? c.mirrored!.from.name?.value ?? '',
      });
      if (volume) mount.volumeId = volume.id;
      out.mounts.push(mount);
    });
    return out;
  }

  /** A mount that names no volume still gets a node to point at: the place where it is named. */
  private missingVolume(volumes: DiagramVolume[], name: string, nameRange: Range): DiagramVolume {
    const existing = volumes.find((v) => v.missing && v.name === name);
    if (existing) return existing;
    // not placed: its findings belong to the mount that names it, not to a second node
    const span = this.shift(nameRange);
    const volume: DiagramVolume = {
      // by position, not by name: ids stay plain whatever a user types as a name
      ...this.base(`missing[${volumes.filter((v) => v.missing).length}]`, span, span),
      name,
      missing: true,
    };
    volumes.push(volume);
    return volume;
  }

  /** Containers the pod's annotations ask an admission webhook to add; they point at the annotation. */
  private ghosts(): DiagramContainer[] {
    const out: DiagramContainer[] = [];
    for (const request of injectionRequests(this.pod)) {
      const span = this.shift({ start: request.trigger.keyRange.start, end: request.trigger.valueRange.end });
      for (const ghost of request.ghosts) {
        const id = `injected:${ghost.name}`;
        out.push({
          ...this.base(id, span, this.shift(request.trigger.keyRange)),
          name: ghost.name,
          lane: 'injected',
          injectedBy: request.injector.title,
          ghostRole: ghost.role,
          ports: ghost.ports.map((port, i) => ({
            ...this.base(`${id}.ports[${i}]`, span, this.shift(request.trigger.keyRange)),
            port,
            protocol: 'TCP',
            clash: false,
          })),
          probes: [],
          mounts: [],
        });
      }
    }
    return out;
  }

  /** The Services that select the pod, this file's first, each port with where it lands. */
  private services(): DiagramService[] {
    const { input, pod } = this;
    const local = servicesOf(pod, input.services ?? []).map((service) => ({
      service,
      uri: undefined as string | undefined,
      positionAt: input.positionAt,
    }));
    const far = (input.elsewhere ?? [])
      .filter((e) => e.uri !== input.uri && servicesOf(pod, [e.service]).length > 0)
      .map((e) => ({ service: e.service, uri: e.uri as string | undefined, positionAt: e.positionAt }));
    return [...local, ...far].map(({ service, uri, positionAt }, i) => {
      const id = `service[${i}]`;
      const offset = service.offset ?? 0;
      const lsp = (r: Range | undefined): DiagramRange => {
        const at = r ?? { start: 0, end: 0 };
        return { start: positionAt(offset + at.start), end: positionAt(offset + at.end) };
      };
      const objectRange = service.ranges?.object;
      const node: DiagramService = {
        id,
        range: lsp(objectRange),
        selectionRange: lsp(service.ranges?.name ?? objectRange),
        findings: [],
        name: service.name ?? '(unnamed Service)',
        type: service.type ?? 'ClusterIP',
        ports: [],
      };
      if (service.namespace !== undefined) node.namespace = service.namespace;
      if (uri !== undefined) node.uri = uri;
      // findings are known for this file's Services only: the linter ran on this file
      const findings = uri === undefined ? this.findingsIn(offset, objectRange) : [];
      portTargets(service, pod).forEach((target, j) => {
        const sp = target.servicePort;
        const portSpan = { start: offset + sp.range.start, end: offset + sp.range.end };
        const port: DiagramServicePort = {
          id: `${id}.ports[${j}]`,
          range: lsp(sp.range),
          // a click selects where the port says where it goes
          selectionRange: lsp(sp.targetRange),
          findings: [],
          protocol: sp.protocol,
          targets: target.landings.map((l) => this.landingId(l.container, l.port, l.injected, l.number)),
        };
        if (sp.name !== undefined) port.name = sp.name;
        if (sp.port !== undefined) port.port = sp.port;
        if (sp.targetPort !== undefined) port.targetPort = sp.targetPort;
        if (sp.appProtocol !== undefined) port.appProtocol = sp.appProtocol;
        const own = findings.filter((f) => f.range.start >= portSpan.start && f.range.end <= portSpan.end);
        for (const f of own) addFinding(port, { rule: f.rule, severity: f.severity, message: f.message });
        if (target.problem !== undefined) {
          // the rule's words when it reported the port, so the arrow and the Problems panel say the same
          port.broken = (own.find((f) => TARGET_PORT_RULES.has(f.rule)) ?? own[0])?.message ?? target.problem;
        }
        const landing = target.landings.find((l) => !l.injected);
        const proxy = landing && inboundProxy(pod, landing.number, sp.protocol);
        if (proxy) port.via = { containerId: `injected:${proxy.container}`, port: proxy.port };
        node.ports.push(port);
      });
      for (const f of findings) {
        if (node.ports.some((p) => p.findings.some((g) => g.message === f.message && g.rule === f.rule))) continue;
        addFinding(node, { rule: f.rule, severity: f.severity, message: f.message });
      }
      return node;
    });
  }

  /** The linter's findings inside a Service of this file (`range` in its document's offsets). */
  private findingsIn(offset: number, range: Range | undefined): Finding[] {
    if (!range) return [];
    const start = offset + range.start;
    const end = offset + range.end;
    return this.input.findings.filter((f) => f.range.start >= start && f.range.end <= end);
  }

  /** The id of the diagram's port node a Service port lands on (see container() and ghosts()). */
  private landingId(
    container: ContainerModel | undefined,
    port: ContainerModel['ports'][number] | undefined,
    injected: string | undefined,
    number: number,
  ): string {
    if (container && port) return `${container.list}[${container.index}].ports[${container.ports.indexOf(port)}]`;
    const ghost = injectionRequests(this.pod)
      .flatMap((r) => r.ghosts)
      .find((g) => g.name === injected);
    return `injected:${injected ?? ''}.ports[${ghost ? ghost.ports.indexOf(number) : 0}]`;
  }

  /** Each finding goes to the smallest node whose span holds it; what fits no node goes to the pod. */
  private attachFindings(pod: DiagramPod, objectSpan: Range): void {
    for (const f of this.input.findings) {
      if (f.range.start < objectSpan.start || f.range.start > objectSpan.end) continue;
      let best: Placed | undefined;
      for (const p of this.placed) {
        if (f.range.start < p.span.start || f.range.end > p.span.end) continue;
        if (!best || p.span.end - p.span.start < best.span.end - best.span.start) best = p;
      }
      addFinding(best?.node ?? pod, { rule: f.rule, severity: f.severity, message: f.message });
    }
  }

  /**
   * Ports named by a clash finding, at its own range or at a related one (the port it clashes
   * with), are red; an injected port is red when a real port is red for colliding with injections.
   */
  private markClashes(pod: DiagramPod): void {
    const clashes = this.input.findings.filter((f) => PORT_CLASH_RULES.has(f.rule));
    const ranges = clashes.flatMap((f) => [f.range, ...(f.related ?? []).map((r) => r.range)]);
    const injectedClash = new Set<number>();
    for (const { node: port, span } of this.ports) {
      port.clash = ranges.some((r) => r.start >= span.start && r.end <= span.end);
      if (port.findings.some((f) => f.rule === 'injected-port-conflict')) injectedClash.add(port.port);
    }
    for (const c of pod.containers) {
      if (!c.injectedBy) continue;
      for (const port of c.ports) port.clash = injectedClash.has(port.port);
    }
  }

  /** A node that findings can land on, with its own fields. `range` and `selection` are document offsets. */
  private place<T extends object>(
    id: string,
    range: Range,
    selection: Range | undefined,
    fields: T,
  ): DiagramNodeBase & T {
    const span = this.shift(range);
    const node = { ...this.base(id, span, selection ? this.shift(selection) : span), ...fields };
    this.placed.push({ node, span });
    return node;
  }

  /** `span` and `selection` are file offsets. */
  private base(id: string, span: Range, selection: Range): DiagramNodeBase {
    return { id, range: this.lsp(span), selectionRange: this.lsp(selection), findings: [] };
  }

  private shift(r: Range): Range {
    return { start: r.start + this.doc.offset, end: r.end + this.doc.offset };
  }

  private lsp(r: Range): DiagramRange {
    return { start: this.input.positionAt(r.start), end: this.input.positionAt(r.end) };
  }
}

function addFinding(node: DiagramNodeBase, finding: DiagramFinding): void {
  node.findings.push(finding);
  const severity = worseSeverity(node.severity, finding.severity);
  if (severity) node.severity = severity;
}

function firstKeyRange(map: YAMLMap): Range | undefined {
  const first = map.items[0];
  return first && isPair(first) ? keyRange(first) : undefined;
}

/** From the key to the end of the value. */
function pairRange(pair: Pair): Range {
  const key = nodeRange(pair.key as Node);
  const value = isNode(pair.value) ? nodeRange(pair.value) : key;
  return { start: key.start, end: Math.max(key.end, value.end) };
}

/** The handler of a probe in a few words (the first handler found; probe-shape reports extras). */
function probeHandler(probe: YAMLMap | undefined): string {
  if (!probe) return 'no handler';
  const port = (map: YAMLMap | undefined): string => {
    const p = getString(map, 'port')?.value;
    return p === undefined ? '' : ` :${p}`;
  };
  const http = getMap(probe, 'httpGet');
  if (http) return `httpGet${port(http)} ${getString(http, 'path')?.value ?? '/'}`;
  const tcp = getMap(probe, 'tcpSocket');
  if (tcp) return `tcpSocket${port(tcp)}`;
  const grpc = getMap(probe, 'grpc');
  if (grpc) return `grpc${port(grpc)}`;
  const exec = getMap(probe, 'exec');
  if (exec) {
    const command = getSeq(exec, 'command')?.items.map((i) => (isScalar(i) ? String(i.value) : '…')) ?? [];
    return `exec ${command.join(' ')}`.trim();
  }
  return getNode(probe, 'exec') ? 'exec' : 'no handler';
}

/** Where a "Show pod diagram" lens goes: the first line of each object that holds a pod. */
export interface DiagramLens {
  /** File offset of the object's first key. */
  offset: number;
  documentIndex: number;
  podId: string;
  title: string;
}

export function diagramLenses(file: FileModel): DiagramLens[] {
  if (file.template) return [];
  const out: DiagramLens[] = [];
  for (const doc of file.documents) {
    if (!doc.model.isPodDocument) continue;
    const pods = doc.model.pods;
    pods.forEach((pod, podIndex) => {
      const holder = pod.objectPath.length ? doc.model.yaml.getIn(pod.objectPath, true) : doc.model.yaml.contents;
      const start = isNode(holder) ? nodeRange(holder).start : pod.kindRange.start;
      const name = pod.name?.value;
      out.push({
        offset: doc.offset + start,
        documentIndex: doc.index,
        podId: podId(doc.index, podIndex),
        title: pods.length > 1 && name ? `Show pod diagram: ${name}` : 'Show pod diagram',
      });
    });
  }
  return out;
}

function podId(documentIndex: number, podIndex: number): string {
  return `d${documentIndex}.p${podIndex}`;
}

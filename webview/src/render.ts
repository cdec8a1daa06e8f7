// DiagramModel -> SVG, shared by the webview (which turns the tree into DOM nodes) and the CLI and
// the export (which serialise it as an escaped string). Pure: no DOM, no Node built-ins.
//
// Layout: a hand-written, deterministic lane layout rather than a graph library such as elkjs. The
// picture has a fixed shape (containers in start order on the left, volumes on the right, wires only
// between the two columns), so a column layout can guarantee that no two boxes overlap and that no
// wire crosses a box, with plain arithmetic that runs synchronously on every keystroke; elkjs would
// add a 1.5 MB asynchronous (worker) dependency to position what is known up front. Text widths are
// computed for a monospace font, so the layout is the same in Node and in the browser.
import {
  LANE_ORDER,
  type DiagramContainer,
  type DiagramFinding,
  type DiagramMount,
  type DiagramNodeBase,
  type DiagramPod,
  type DiagramSeverity,
  type DiagramVolume,
  type LaneKind,
} from '../../shared/src/diagram-model';
import { diagramCss, type Palette } from './theme';

/** A tiny SVG tree: what both the DOM builder and the string serialiser consume. */
export interface SvgElement {
  tag: string;
  attrs: Record<string, string | number>;
  children: SvgNode[];
}
export type SvgNode = SvgElement | string;

const M = 16; // outer margin
const CHAR = 7.3; // advance of a 12px monospace character (0.6em, rounded up so text never overflows)
const NAME_CHAR = 8; // 13px bold
const TITLE_CHAR = 8.6; // 14px bold
const BOX_W = 340; // container box
const PAD = 10; // inner padding of boxes
const HEADER_H = 42; // container name + image
const ROW_H = 18;
const BOX_GAP = 14;
const ORDER_GAP = 26; // between init containers: room for the "then" arrow
const LANE_LABEL_H = 24;
const GUTTER = 150; // between containers and volumes: only wires live here
const VOL_W = 230;
const VOL_MIN_H = 48;
const VOL_SLOT = 16; // vertical room per wire that ends on a volume
const CHIP_H = 20;
const CHIP_GAP = 6;

const LANE_LABEL: Record<LaneKind, string> = {
  init: 'INIT · one after another, each to the end',
  sidecar: 'NATIVE SIDECARS · run for the whole pod life',
  regular: 'CONTAINERS · start after the init phase',
  injected: 'INJECTED AT ADMISSION · not in this file',
  ephemeral: 'EPHEMERAL · added for debugging',
};

const SEVERITY_MARK: Record<DiagramSeverity, string> = { error: '×', warning: '!', info: 'i' };

export interface RenderOptions {
  /** Embed a stylesheet with these colours (standalone SVG); omit when the host page styles it. */
  palette?: Palette;
  /** The node to draw as selected (the editor's cursor is in it). */
  selectedId?: string;
}

/** Text that fits `width` pixels, cut with an ellipsis (the full text goes into a tooltip). */
function fit(text: string, width: number, char = CHAR): string {
  const max = Math.max(1, Math.floor(width / char));
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

function textWidth(text: string): number {
  return Array.from(text).length * CHAR;
}

function el(
  tag: string,
  attrs: Record<string, string | number | undefined> = {},
  children: SvgNode[] = [],
): SvgElement {
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { tag, attrs: clean, children };
}

function text(x: number, y: number, content: string, cls?: string, anchor?: 'end' | 'middle'): SvgElement {
  return el('text', { x, y, class: cls, 'text-anchor': anchor }, [content]);
}

function title(lines: string[]): SvgElement {
  return el('title', {}, [lines.join('\n')]);
}

function findingLines(findings: readonly DiagramFinding[]): string[] {
  return findings.map((f) => `${f.severity}: ${f.message} (${f.rule})`);
}

/** Class list of a clickable node. */
function nodeClass(node: DiagramNodeBase, selectedId: string | undefined, ...extra: string[]): string {
  const classes = ['sp-hit', ...extra];
  if (node.severity) classes.push(`sp-sev-${node.severity}`);
  if (node.id === selectedId) classes.push('sp-selected');
  return classes.join(' ');
}

function badge(x: number, y: number, severity: DiagramSeverity): SvgElement {
  return el('g', { class: 'sp-badge' }, [
    el('circle', { cx: x, cy: y, r: 8, class: `sp-badge-${severity}` }),
    text(x, y + 4, SEVERITY_MARK[severity], 'sp-badge-text', 'middle'),
  ]);
}

interface Row {
  node: DiagramNodeBase;
  label: string;
  /** Right-aligned text (ro/rw of a mount). */
  right?: string;
  clash?: boolean;
  tooltip: string[];
}

function containerRows(c: DiagramContainer): Row[] {
  const rows: Row[] = [];
  for (const p of c.ports) {
    const host = p.hostPort !== undefined ? ` host:${p.hostPort}` : '';
    const label = `port ${p.port}/${p.protocol}${p.name ? ` ${p.name}` : ''}${host}`;
    rows.push({
      node: p,
      label,
      clash: p.clash,
      tooltip: [label + (p.clash ? ' (clashes with another container)' : ''), ...findingLines(p.findings)],
    });
  }
  for (const p of c.probes) {
    const label = `${p.kind} ${p.handler}`;
    rows.push({ node: p, label, tooltip: [`${p.kind}Probe: ${p.handler}`, ...findingLines(p.findings)] });
  }
  for (const m of c.mounts) {
    const label = `${m.device ? 'dev' : 'mnt'} ${m.path || '(no path)'}`;
    const access = m.readOnly ? 'ro' : 'rw';
    rows.push({
      node: m,
      label,
      right: access,
      tooltip: [
        `${m.device ? 'device' : 'mount'} ${m.path} -> volume ${m.volumeName} (${m.readOnly ? 'read-only' : 'read-write'})`,
        ...findingLines(m.findings),
      ],
    });
  }
  return rows;
}

function laneTag(c: DiagramContainer): string {
  if (c.injectedBy) return `${c.injectedBy} · ${c.ghostRole ?? 'regular'}`;
  if (c.lane === 'init' || c.lane === 'sidecar') return `#${c.startOrder ?? '?'}`;
  if (c.knownSidecar && c.mainService) return `${c.knownSidecar} · main`;
  return c.knownSidecar ?? '';
}

interface PlacedContainer {
  container: DiagramContainer;
  x: number;
  y: number;
  h: number;
  /** Where each mount's wire leaves the box. */
  anchors: Map<DiagramMount, { x: number; y: number }>;
  nodes: SvgNode[];
}

interface PodLayout {
  width: number;
  height: number;
  nodes: SvgNode[];
}

function renderContainer(c: DiagramContainer, x: number, y: number, selectedId: string | undefined): PlacedContainer {
  const rows = containerRows(c);
  const h = HEADER_H + rows.length * ROW_H + (rows.length ? 8 : 0);
  const anchors = new Map<DiagramMount, { x: number; y: number }>();
  const tag = laneTag(c);
  const tagW = tag ? Math.min(textWidth(tag), BOX_W / 2) : 0;
  const nameW = BOX_W - 2 * PAD - tagW - (tag ? 10 : 0) - (c.severity ? 20 : 0);
  const children: SvgNode[] = [
    title(
      [
        `${c.name}${c.image ? ` (${c.image})` : ''}`,
        c.injectedBy ? `injected by ${c.injectedBy} when the pod is admitted` : '',
        ...findingLines(c.findings),
      ].filter(Boolean),
    ),
    el('rect', { x, y, width: BOX_W, height: h, rx: 6, class: 'sp-box' }),
    text(x + PAD, y + 18, fit(c.name, nameW, NAME_CHAR), 'sp-name'),
    text(
      x + PAD,
      y + 34,
      fit(c.image ?? (c.injectedBy ? 'image chosen by the injector' : 'no image'), BOX_W - 2 * PAD),
      'sp-muted',
    ),
  ];
  if (tag) {
    const right = x + BOX_W - PAD - (c.severity ? 20 : 0);
    children.push(text(right, y + 18, fit(tag, tagW), 'sp-muted', 'end'));
  }
  if (c.severity) children.push(badge(x + BOX_W - PAD - 6, y + 14, c.severity));
  const out: SvgNode[] = [
    el(
      'g',
      { class: nodeClass(c, selectedId, c.injectedBy ? 'sp-ghost' : 'sp-container'), 'data-node': c.id },
      children,
    ),
  ];

  rows.forEach((row, i) => {
    const ry = y + HEADER_H + i * ROW_H;
    const rowChildren: SvgNode[] = [
      title(row.tooltip),
      el('rect', { x: x + 2, y: ry, width: BOX_W - 4, height: ROW_H, class: 'sp-row-bg' }),
      text(
        x + PAD,
        ry + 13,
        fit(row.label, BOX_W - 2 * PAD - (row.right ? 30 : 0) - (row.node.severity ? 16 : 0)),
        row.clash ? 'sp-row-text sp-clash' : 'sp-row-text',
      ),
    ];
    if (row.right) rowChildren.push(text(x + BOX_W - PAD, ry + 13, row.right, 'sp-muted', 'end'));
    if (row.node.severity) {
      const bx = x + BOX_W - PAD - (row.right ? 30 : 0) - 6;
      rowChildren.push(
        text(bx, ry + 13, SEVERITY_MARK[row.node.severity], `sp-finding-${row.node.severity}`, 'middle'),
      );
    }
    out.push(el('g', { class: nodeClass(row.node, selectedId, 'sp-row'), 'data-node': row.node.id }, rowChildren));
    if ('volumeName' in row.node) anchors.set(row.node as DiagramMount, { x: x + BOX_W, y: ry + ROW_H / 2 });
  });
  return { container: c, x, y, h, anchors, nodes: out };
}

/** The shared network namespace: every bound port of the pod as a chip, clashes in red. */
function renderNetwork(
  pod: DiagramPod,
  x: number,
  y: number,
  width: number,
  selectedId: string | undefined,
): { nodes: SvgNode[]; h: number } {
  const nodes: SvgNode[] = [];
  const label = pod.hostNetwork
    ? 'NETWORK · hostNetwork: every port is bound on the node itself'
    : 'NETWORK NAMESPACE · shared by all containers (localhost)';
  nodes.push(text(x + PAD, y + 16, fit(label, width - 2 * PAD), 'sp-lane-label'));
  let cx = x + PAD;
  let cy = y + 26;
  let any = false;
  for (const c of pod.containers) {
    for (const p of c.ports) {
      any = true;
      const content = fit(`${p.port}/${p.protocol} ${c.name}`, width - 2 * PAD - 16);
      const w = textWidth(content) + 16;
      if (cx + w > x + width - PAD && cx > x + PAD) {
        cx = x + PAD;
        cy += CHIP_H + CHIP_GAP;
      }
      const cls = ['sp-chip', p.clash ? 'sp-clash' : '', c.injectedBy ? 'sp-ghost' : ''].filter(Boolean);
      nodes.push(
        el('g', { class: nodeClass(p, selectedId, ...cls), 'data-node': p.id }, [
          title([`${p.port}/${p.protocol} bound by ${c.name}${p.clash ? ': clash' : ''}`, ...findingLines(p.findings)]),
          el('rect', { x: cx, y: cy, width: w, height: CHIP_H, rx: 10 }),
          text(cx + 8, cy + 14, content),
        ]),
      );
      cx += w + CHIP_GAP;
    }
  }
  if (!any) nodes.push(text(x + PAD, cy + 14, 'no container declares a port', 'sp-muted'));
  const h = cy + CHIP_H + PAD - y;
  nodes.unshift(el('rect', { x, y, width, height: h, rx: 8, class: 'sp-netns' }));
  return { nodes, h };
}

function renderVolume(
  v: DiagramVolume,
  x: number,
  y: number,
  h: number,
  mounts: number,
  selectedId: string | undefined,
): SvgElement {
  const source = v.missing ? 'not declared' : (v.source ?? 'no source');
  const sub = `${source} · ${mounts} mount${mounts === 1 ? '' : 's'}`;
  const nameW = VOL_W - 2 * PAD - (v.severity ? 20 : 0);
  const children: SvgNode[] = [
    title([`volume ${v.name}: ${source}`, ...findingLines(v.findings)]),
    el('rect', { x, y, width: VOL_W, height: h, rx: 6, class: 'sp-box' }),
    text(x + PAD, y + 19, fit(v.name, nameW, NAME_CHAR), 'sp-name'),
    text(x + PAD, y + 35, fit(sub, VOL_W - 2 * PAD), 'sp-muted'),
  ];
  if (v.severity) children.push(badge(x + VOL_W - PAD - 6, y + 14, v.severity));
  return el(
    'g',
    { class: nodeClass(v, selectedId, v.missing ? 'sp-missing' : 'sp-volume'), 'data-node': v.id },
    children,
  );
}

function layoutPod(pod: DiagramPod, selectedId: string | undefined): PodLayout {
  const hasVolumes = pod.volumes.length > 0;
  const width = Math.max(2 * M + BOX_W + (hasVolumes ? GUTTER + VOL_W : 0), 2 * M + 420);
  const inner = width - 2 * M;
  const nodes: SvgNode[] = [];
  let y = M;

  // title and the findings about the pod as a whole
  const own = pod.containers.filter((c) => !c.injectedBy).length;
  const injected = pod.containers.length - own;
  const declared = pod.volumes.filter((v) => !v.missing).length;
  const counts =
    `${own} container${own === 1 ? '' : 's'}${injected ? ` (+${injected} injected)` : ''}, ` +
    `${declared} volume${declared === 1 ? '' : 's'}`;
  const heading = `${pod.kind} ${pod.name ?? '(unnamed)'} · ${counts}`;
  nodes.push(
    el('g', { class: nodeClass(pod, selectedId, 'sp-pod'), 'data-node': pod.id }, [
      title([heading, ...findingLines(pod.findings)]),
      text(M, y + 14, fit(heading, inner, TITLE_CHAR), 'sp-title'),
    ]),
  );
  y += 24;
  for (const f of pod.findings) {
    nodes.push(
      text(M, y + 12, fit(`${SEVERITY_MARK[f.severity]} ${f.message} (${f.rule})`, inner), `sp-finding-${f.severity}`),
    );
    y += 16;
  }
  y += 6;

  const net = renderNetwork(pod, M, y, inner, selectedId);
  nodes.push(...net.nodes);
  y += net.h + 14;

  // containers, lane by lane, in start order
  const columnTop = y;
  const placed: PlacedContainer[] = [];
  for (const lane of LANE_ORDER) {
    const members = pod.containers.filter((c) => c.lane === lane);
    if (members.length === 0) continue;
    // within the container column: the gutter beside it belongs to the wires
    nodes.push(text(M, y + 15, fit(LANE_LABEL[lane], BOX_W), 'sp-lane-label'));
    y += LANE_LABEL_H;
    members.forEach((c, i) => {
      if (i > 0 && lane === 'init') {
        // init containers run strictly one after another: draw the hand-over
        const ax = M + BOX_W / 2;
        nodes.push(
          el('path', {
            d: `M ${ax} ${y - ORDER_GAP + 4} V ${y - 4} M ${ax - 5} ${y - 9} L ${ax} ${y - 4} L ${ax + 5} ${y - 9}`,
            class: 'sp-arrow',
          }),
        );
      }
      const p = renderContainer(c, M, y, selectedId);
      nodes.push(...p.nodes);
      placed.push(p);
      y += p.h + (lane === 'init' ? ORDER_GAP : BOX_GAP);
    });
    y += 6;
  }
  let height = y;

  if (hasVolumes) {
    const vx = M + BOX_W + GUTTER;
    // every wire, grouped by the volume it ends on
    const incoming = new Map<string, { x: number; y: number; mount: DiagramMount }[]>();
    for (const p of placed) {
      for (const [mount, at] of p.anchors) {
        const target = mount.volumeId ?? pod.volumes.find((v) => v.missing && v.name === mount.volumeName)?.id;
        if (!target) continue;
        const list = incoming.get(target) ?? [];
        list.push({ ...at, mount });
        incoming.set(target, list);
      }
    }
    // Volumes go next to the containers that mount them (mean height of their wires), in that
    // order, pushed down just enough never to overlap: few crossings, never an overlap.
    const desired = pod.volumes.map((v, index) => {
      const wires = incoming.get(v.id) ?? [];
      const h = Math.max(VOL_MIN_H, 12 + wires.length * VOL_SLOT);
      const mean = wires.length ? wires.reduce((s, w) => s + w.y, 0) / wires.length : Number.POSITIVE_INFINITY;
      return { v, index, h, wires, want: mean - h / 2 };
    });
    desired.sort((a, b) => a.want - b.want || a.index - b.index);
    let vy = columnTop + LANE_LABEL_H;
    nodes.push(text(vx, columnTop + 15, 'VOLUMES', 'sp-lane-label'));
    const wireNodes: SvgNode[] = [];
    for (const d of desired) {
      const top = Number.isFinite(d.want) ? Math.max(vy, d.want) : vy;
      nodes.push(renderVolume(d.v, vx, top, d.h, d.wires.length, selectedId));
      // wires arrive in the order they leave, so wires into one volume never cross each other
      const sorted = [...d.wires].sort((a, b) => a.y - b.y);
      sorted.forEach((w, i) => {
        const ty = top + (d.h * (i + 1)) / (sorted.length + 1);
        const mid = (w.x + vx) / 2;
        const cls = ['sp-wire', w.mount.readOnly ? 'sp-ro' : '', d.v.missing ? 'sp-to-missing' : '']
          .filter(Boolean)
          .join(' ');
        wireNodes.push(
          el('path', {
            d: `M ${w.x} ${w.y} C ${mid} ${w.y}, ${mid} ${ty}, ${vx} ${ty}`,
            class: cls,
            'data-mount': w.mount.id,
          }),
        );
        wireNodes.push(el('circle', { cx: w.x, cy: w.y, r: 3, class: 'sp-anchor' }));
        wireNodes.push(el('circle', { cx: vx, cy: ty, r: 3, class: 'sp-anchor' }));
      });
      vy = top + d.h + BOX_GAP;
    }
    // wires under the boxes, so an anchor dot never hides a label
    nodes.unshift(...wireNodes);
    height = Math.max(height, vy);
  }
  return { width, height: height + M - 6, nodes };
}

/**
 * The diagram of one or more pods, stacked top to bottom. Every string of the model ends up in text
 * nodes or attribute values of the tree; `toSvgString` escapes both.
 */
export function renderDiagram(pods: readonly DiagramPod[], options: RenderOptions = {}): SvgElement {
  const layouts = pods.map((p) => layoutPod(p, options.selectedId));
  const width = Math.max(2 * M + 420, ...layouts.map((l) => l.width));
  const children: SvgNode[] = [];
  if (options.palette) children.push(el('style', {}, [diagramCss(options.palette)]));
  let y = 0;
  const body: SvgNode[] = [];
  for (const l of layouts) {
    body.push(el('g', { transform: `translate(0 ${y})` }, l.nodes));
    y += l.height;
  }
  if (layouts.length === 0) {
    body.push(text(M, M + 14, 'No Kubernetes pod in this document.', 'sp-muted'));
    y = 2 * M + 20;
  }
  children.push(el('rect', { x: 0, y: 0, width, height: y, class: 'sp-bg' }), ...body);
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'sp-diagram',
      width,
      height: y,
      viewBox: `0 0 ${width} ${y}`,
      role: 'img',
    },
    children,
  );
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes &<>"' (attribute values and text alike), so no model string can become markup. */
export function escapeXml(s: string): string {
  // characters XML 1.0 cannot carry at all (C0 controls but tab, CR, LF) are dropped
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => TEXT_ESCAPES[c]!);
}

export function toSvgString(node: SvgNode): string {
  if (typeof node === 'string') return escapeXml(node);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  // a stylesheet is ours (no model text), and CSS must not be entity-escaped
  if (node.tag === 'style') return `<style>${(node.children as string[]).join('')}</style>`;
  return `<${node.tag}${attrs}>${node.children.map(toSvgString).join('')}</${node.tag}>`;
}

/** A standalone SVG file. */
export function svgDocument(pods: readonly DiagramPod[], palette: Palette): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toSvgString(renderDiagram(pods, { palette }))}\n`;
}

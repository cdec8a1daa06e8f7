// DiagramModel -> SVG, shared by the webview (which turns the tree into DOM nodes) and the CLI and
// the export (which serialise it as an escaped string). Pure: no DOM, no Node built-ins.
//
// Layout: a hand-written, deterministic lane layout rather than a graph library such as elkjs. The
// picture has a fixed shape (containers in start order on the left, volumes on the right, wires only
// between the two columns), so a column layout can guarantee that no two boxes overlap and that no
// wire crosses a box, with plain arithmetic that runs synchronously on every keystroke; elkjs would
// add a 1.5 MB asynchronous (worker) dependency to position what is known up front. Text widths are
// computed for a monospace font, so the layout is the same in Node and in the browser.
//
// Legible as drawn: every size follows one font size (the editor's, in the webview), no text is
// smaller than it, and the layout takes the width it is given instead of being scaled down to fit:
// the box column grows or shrinks with it, and when containers and volumes no longer fit side by
// side the volumes go below the containers and each mount names its volume instead of a wire.
// Services that select the pod sit above the containers, where traffic enters; each port's arrow
// runs down a channel on the left into the container port it reaches, through the mesh proxy when
// one is injected, and a port that reaches nothing is a broken arrow with the finding's text.
import {
  LANE_ORDER,
  type DiagramContainer,
  type DiagramFinding,
  type DiagramMount,
  type DiagramNodeBase,
  type DiagramPod,
  type DiagramService,
  type DiagramServicePort,
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

/** The font size the CLI's standalone SVG uses when none is asked for (px). */
export const DEFAULT_FONT_SIZE = 13;
/** The width a picture takes when none is given: both columns side by side at their natural widths. */
const NATURAL_BOX_CHARS = 44;

/** Every length of the layout, from one font size: nothing is drawn smaller than `font`. */
interface Metrics {
  font: number;
  /** Advance of one monospace character at `font` (0.6em, rounded up so text never overflows). */
  char: number;
  /** The same for the bold names, drawn one pixel larger. */
  nameChar: number;
  titleChar: number;
  margin: number;
  pad: number;
  headerH: number;
  rowH: number;
  boxGap: number;
  orderGap: number;
  laneLabelH: number;
  chipH: number;
  chipGap: number;
  volMinH: number;
  volSlot: number;
  /** Room between two arrows in the Services' channel. */
  laneGap: number;
  /** The narrowest container box: about 26 characters of a row. */
  minBox: number;
  maxBox: number;
  volMin: number;
  volMax: number;
}

function metrics(font: number): Metrics {
  const f = Math.max(8, Math.min(48, font));
  const advance = (size: number): number => Math.ceil(size * 0.61 * 10) / 10;
  const char = advance(f);
  const pad = Math.round(f * 0.8);
  return {
    font: f,
    char,
    nameChar: advance(f + 1),
    titleChar: advance(f + 2),
    margin: Math.round(f * 1.2),
    pad,
    headerH: Math.round(f * 3.4),
    rowH: Math.ceil(f * 1.5),
    boxGap: Math.round(f * 1.1),
    orderGap: Math.round(f * 2),
    laneLabelH: Math.round(f * 1.9),
    chipH: Math.ceil(f * 1.6),
    chipGap: Math.round(f * 0.5),
    volMinH: Math.round(f * 3.6),
    volSlot: Math.max(16, Math.round(f * 1.2)),
    laneGap: Math.max(7, Math.round(f * 0.6)),
    minBox: Math.round(26 * char + 2 * pad),
    maxBox: Math.round(60 * char + 2 * pad),
    volMin: Math.round(16 * char + 2 * pad),
    volMax: Math.round(30 * char + 2 * pad),
  };
}

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
  /** The font size of the labels in px (the editor's in the webview); nothing is drawn smaller. */
  fontSize?: number;
  /**
   * The width to lay the picture out in (px). The picture takes it (never wider, unless even the
   * narrowest layout does not fit); omitted: both columns side by side at their natural widths.
   */
  width?: number;
}

/** Text that fits `width` pixels, cut with an ellipsis (the full text goes into a tooltip). */
function fit(text: string, width: number, char: number): string {
  const max = Math.max(1, Math.floor(width / char));
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
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

/** Words wrapped to lines of at most `max` characters (a word longer than a line is cut). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (Array.from(next).length <= max) line = next;
    else {
      if (line) lines.push(line);
      line =
        Array.from(word).length > max
          ? Array.from(word)
              .slice(0, max - 1)
              .join('') + '…'
          : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface Row {
  node: DiagramNodeBase;
  label: string;
  /** Right-aligned text (ro/rw of a mount, and its volume when no wire shows it). */
  right?: string;
  clash?: boolean;
  tooltip: string[];
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
  /** Where each port's row is (its vertical middle), for the Services' arrows. */
  ports: Map<string, number>;
  nodes: SvgNode[];
}

interface PodLayout {
  width: number;
  height: number;
  nodes: SvgNode[];
}

/** One pod's drawing, with the metrics and widths chosen for it. */
class PodPainter {
  private readonly m: Metrics;
  constructor(
    private readonly pod: DiagramPod,
    private readonly selectedId: string | undefined,
    font: number,
  ) {
    this.m = metrics(font);
  }

  private text(
    x: number,
    y: number,
    content: string,
    cls?: string,
    anchor?: 'end' | 'middle',
    size?: number,
  ): SvgElement {
    // sizes are attributes, not CSS: the stylesheet is shared, the font size is the editor's
    return el('text', { x, y, class: cls, 'text-anchor': anchor, 'font-size': size ?? this.m.font }, [content]);
  }

  private badge(x: number, y: number, severity: DiagramSeverity): SvgElement {
    const r = Math.round(this.m.font * 0.62);
    return el('g', { class: 'sp-badge' }, [
      el('circle', { cx: x, cy: y, r, class: `sp-badge-${severity}` }),
      this.text(x, y + Math.round(this.m.font * 0.35), SEVERITY_MARK[severity], 'sp-badge-text', 'middle'),
    ]);
  }

  private rows(c: DiagramContainer, wired: boolean): Row[] {
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
    for (const mount of c.mounts) {
      const label = `${mount.device ? 'dev' : 'mnt'} ${mount.path || '(no path)'}`;
      const access = mount.readOnly ? 'ro' : 'rw';
      rows.push({
        node: mount,
        label,
        // without wires the row itself says which volume it is
        right: wired ? access : `${mount.volumeName} ${access}`,
        tooltip: [
          `${mount.device ? 'device' : 'mount'} ${mount.path} -> volume ${mount.volumeName} (${mount.readOnly ? 'read-only' : 'read-write'})`,
          ...(mount.mirroredFrom !== undefined
            ? [`mirrored from ${mount.mirroredFrom} by mirrorVolumeMounts: the controller copies its mount`]
            : []),
          ...findingLines(mount.findings),
        ],
      });
    }
    return rows;
  }

  private container(c: DiagramContainer, x: number, y: number, w: number, wired: boolean): PlacedContainer {
    const { m } = this;
    const rows = this.rows(c, wired);
    const h = m.headerH + rows.length * m.rowH + (rows.length ? Math.round(m.font * 0.6) : 0);
    const anchors = new Map<DiagramMount, { x: number; y: number }>();
    const ports = new Map<string, number>();
    const tag = laneTag(c);
    const badgeW = c.severity ? Math.round(m.font * 1.6) : 0;
    const tagW = tag ? Math.min(Array.from(tag).length * m.char, w / 2) : 0;
    const nameW = w - 2 * m.pad - tagW - (tag ? m.char : 0) - badgeW;
    const line1 = y + Math.round(m.font * 1.45);
    const line2 = y + Math.round(m.font * 2.75);
    const children: SvgNode[] = [
      title(
        [
          `${c.name}${c.image ? ` (${c.image})` : ''}`,
          c.injectedBy ? `injected by ${c.injectedBy} when the pod is admitted` : '',
          ...findingLines(c.findings),
        ].filter(Boolean),
      ),
      el('rect', { x, y, width: w, height: h, rx: 6, class: 'sp-box' }),
      this.text(x + m.pad, line1, fit(c.name, nameW, m.nameChar), 'sp-name', undefined, m.font + 1),
      this.text(
        x + m.pad,
        line2,
        fit(c.image ?? (c.injectedBy ? 'image chosen by the injector' : 'no image'), w - 2 * m.pad, m.char),
        'sp-muted',
      ),
    ];
    if (tag) children.push(this.text(x + w - m.pad - badgeW, line1, fit(tag, tagW, m.char), 'sp-muted', 'end'));
    if (c.severity)
      children.push(
        this.badge(x + w - m.pad - Math.round(m.font * 0.6), line1 - Math.round(m.font * 0.35), c.severity),
      );
    const out: SvgNode[] = [
      el(
        'g',
        { class: nodeClass(c, this.selectedId, c.injectedBy ? 'sp-ghost' : 'sp-container'), 'data-node': c.id },
        children,
      ),
    ];

    rows.forEach((row, i) => {
      const ry = y + m.headerH + i * m.rowH;
      const base = ry + Math.round(m.rowH * 0.72);
      const rightW = row.right ? (Array.from(row.right).length + 1) * m.char : 0;
      const markW = row.node.severity ? 2 * m.char : 0;
      const rowChildren: SvgNode[] = [
        title(row.tooltip),
        el('rect', { x: x + 2, y: ry, width: w - 4, height: m.rowH, class: 'sp-row-bg' }),
        this.text(
          x + m.pad,
          base,
          fit(row.label, w - 2 * m.pad - rightW - markW, m.char),
          row.clash ? 'sp-row-text sp-clash' : 'sp-row-text',
        ),
      ];
      if (row.right) {
        const right = fit(row.right, Math.max(m.char * 4, w / 2 - m.pad), m.char);
        rowChildren.push(this.text(x + w - m.pad, base, right, 'sp-muted', 'end'));
      }
      if (row.node.severity) {
        const bx = x + w - m.pad - rightW - m.char;
        rowChildren.push(
          this.text(bx, base, SEVERITY_MARK[row.node.severity], `sp-finding-${row.node.severity}`, 'middle'),
        );
      }
      out.push(
        el('g', { class: nodeClass(row.node, this.selectedId, 'sp-row'), 'data-node': row.node.id }, rowChildren),
      );
      if ('volumeName' in row.node) anchors.set(row.node as DiagramMount, { x: x + w, y: ry + m.rowH / 2 });
      if ('clash' in row.node) ports.set(row.node.id, ry + m.rowH / 2);
    });
    return { container: c, x, y, h, anchors, ports, nodes: out };
  }

  /** The shared network namespace: every bound port of the pod as a chip, clashes in red. */
  private network(x: number, y: number, width: number): { nodes: SvgNode[]; h: number } {
    const { m, pod } = this;
    const nodes: SvgNode[] = [];
    const label = pod.hostNetwork
      ? 'NETWORK · hostNetwork: every port is bound on the node itself'
      : 'NETWORK NAMESPACE · shared by all containers (localhost)';
    nodes.push(
      this.text(x + m.pad, y + Math.round(m.font * 1.4), fit(label, width - 2 * m.pad, m.char), 'sp-lane-label'),
    );
    let cx = x + m.pad;
    let cy = y + Math.round(m.font * 2.1);
    let any = false;
    for (const c of pod.containers) {
      for (const p of c.ports) {
        any = true;
        const content = fit(`${p.port}/${p.protocol} ${c.name}`, width - 2 * m.pad - 2 * m.char, m.char);
        const w = Array.from(content).length * m.char + 2 * m.char;
        if (cx + w > x + width - m.pad && cx > x + m.pad) {
          cx = x + m.pad;
          cy += m.chipH + m.chipGap;
        }
        const cls = ['sp-chip', p.clash ? 'sp-clash' : '', c.injectedBy ? 'sp-ghost' : ''].filter(Boolean);
        nodes.push(
          el('g', { class: nodeClass(p, this.selectedId, ...cls), 'data-node': p.id }, [
            title([
              `${p.port}/${p.protocol} bound by ${c.name}${p.clash ? ': clash' : ''}`,
              ...findingLines(p.findings),
            ]),
            el('rect', { x: cx, y: cy, width: w, height: m.chipH, rx: m.chipH / 2 }),
            this.text(cx + m.char, cy + Math.round(m.chipH * 0.72), content),
          ]),
        );
        cx += w + m.chipGap;
      }
    }
    if (!any)
      nodes.push(this.text(x + m.pad, cy + Math.round(m.chipH * 0.72), 'no container declares a port', 'sp-muted'));
    const h = cy + m.chipH + m.pad - y;
    nodes.unshift(el('rect', { x, y, width, height: h, rx: 8, class: 'sp-netns' }));
    return { nodes, h };
  }

  private volume(v: DiagramVolume, x: number, y: number, w: number, h: number, mounts: number): SvgElement {
    const { m } = this;
    const source = v.missing ? 'not declared' : (v.source ?? 'no source');
    const sub = `${source} · ${mounts} mount${mounts === 1 ? '' : 's'}`;
    const badgeW = v.severity ? Math.round(m.font * 1.6) : 0;
    const children: SvgNode[] = [
      title([`volume ${v.name}: ${source}`, ...findingLines(v.findings)]),
      el('rect', { x, y, width: w, height: h, rx: 6, class: 'sp-box' }),
      this.text(
        x + m.pad,
        y + Math.round(m.font * 1.5),
        fit(v.name, w - 2 * m.pad - badgeW, m.nameChar),
        'sp-name',
        undefined,
        m.font + 1,
      ),
      this.text(x + m.pad, y + Math.round(m.font * 2.8), fit(sub, w - 2 * m.pad, m.char), 'sp-muted'),
    ];
    if (v.severity)
      children.push(this.badge(x + w - m.pad - Math.round(m.font * 0.6), y + Math.round(m.font * 1.1), v.severity));
    return el(
      'g',
      { class: nodeClass(v, this.selectedId, v.missing ? 'sp-missing' : 'sp-volume'), 'data-node': v.id },
      children,
    );
  }

  /** A Service's box: its name, type and namespace, one row per port, and the broken ports' reasons. */
  private service(
    s: DiagramService,
    x: number,
    y: number,
    w: number,
  ): { nodes: SvgNode[]; h: number; rows: Map<DiagramServicePort, number> } {
    const { m } = this;
    const rows = new Map<DiagramServicePort, number>();
    const nodes: SvgNode[] = [];
    const kind = `${s.type}${s.namespace ? ` · ${s.namespace}` : ''}${s.uri ? ` · ${fileName(s.uri)}` : ''}`;
    const badgeW = s.severity ? Math.round(m.font * 1.6) : 0;
    const line1 = y + Math.round(m.font * 1.45);
    const header: SvgNode[] = [
      title([`Service ${s.name} (${s.type})${s.uri ? ` in ${s.uri}` : ''}`, ...findingLines(s.findings)]),
      this.text(
        x + m.pad,
        line1,
        fit(`Service ${s.name}`, w - 2 * m.pad - badgeW, m.nameChar),
        'sp-name',
        undefined,
        m.font + 1,
      ),
      this.text(x + m.pad, y + Math.round(m.font * 2.75), fit(kind, w - 2 * m.pad, m.char), 'sp-muted'),
    ];
    if (s.severity)
      header.push(this.badge(x + w - m.pad - Math.round(m.font * 0.6), line1 - Math.round(m.font * 0.35), s.severity));
    let ry = y + m.headerH;
    const portNodes: SvgNode[] = [];
    for (const p of s.ports) {
      const target = p.targetPort === undefined ? '?' : String(p.targetPort);
      const label = `${p.port ?? '?'}/${p.protocol}${p.name ? ` ${p.name}` : ''} → ${target}${p.via ? ' via proxy' : ''}`;
      const tooltip = [
        `port ${p.port ?? '(unset)'}/${p.protocol}${p.appProtocol ? ` (${p.appProtocol})` : ''} -> targetPort ${target}`,
        p.broken ? `reaches nothing: ${p.broken}` : '',
        ...findingLines(p.findings),
      ].filter(Boolean);
      const children: SvgNode[] = [
        title(tooltip),
        el('rect', { x: x + 2, y: ry, width: w - 4, height: m.rowH, class: 'sp-row-bg' }),
        this.text(
          x + m.pad,
          ry + Math.round(m.rowH * 0.72),
          fit(label, w - 2 * m.pad, m.char),
          p.broken ? 'sp-row-text sp-broken-text' : 'sp-row-text',
        ),
      ];
      rows.set(p, ry + m.rowH / 2);
      ry += m.rowH;
      if (p.broken) {
        // the broken arrow: out of the port, cut, and the reason beside it, wrapped to the box
        const ax = x + m.pad + m.char;
        const lines = wrap(p.broken, Math.max(8, Math.floor((w - 2 * m.pad - 3 * m.char) / m.char)));
        const top = ry + 2;
        const bottom = ry + lines.length * m.rowH - 2;
        children.push(
          el('path', {
            d: `M ${ax} ${top} V ${top + (bottom - top) * 0.45} M ${ax} ${top + (bottom - top) * 0.6} V ${bottom} M ${ax - 4} ${bottom - 5} L ${ax} ${bottom} L ${ax + 4} ${bottom - 5} M ${ax - 5} ${top + (bottom - top) * 0.58} L ${ax + 5} ${top + (bottom - top) * 0.47}`,
            class: 'sp-broken',
          }),
        );
        lines.forEach((line, i) => {
          children.push(
            this.text(x + m.pad + 3 * m.char, ry + i * m.rowH + Math.round(m.rowH * 0.72), line, 'sp-finding-error'),
          );
        });
        ry += lines.length * m.rowH;
      }
      portNodes.push(el('g', { class: nodeClass(p, this.selectedId, 'sp-row'), 'data-node': p.id }, children));
    }
    if (s.ports.length === 0) {
      portNodes.push(this.text(x + m.pad, ry + Math.round(m.rowH * 0.72), 'no ports', 'sp-muted'));
      ry += m.rowH;
    }
    const h = ry - y + Math.round(m.font * 0.6);
    nodes.push(
      el('g', { class: nodeClass(s, this.selectedId, 'sp-service'), 'data-node': s.id }, [
        ...header.slice(0, 1),
        el('rect', { x, y, width: w, height: h, rx: 6, class: 'sp-box' }),
        ...header.slice(1),
      ]),
      ...portNodes,
    );
    return { nodes, h, rows };
  }

  layout(width: number | undefined): PodLayout {
    const { m, pod } = this;
    const services = pod.services ?? [];
    // one channel lane per arrow: Service port -> (proxy ->) container port
    const hops = new Set<string>();
    let lanes = 0;
    for (const s of services) {
      for (const p of s.ports) {
        if (p.targets.length === 0) continue;
        lanes += p.via ? 1 : p.targets.length;
        if (p.via) for (const t of p.targets) hops.add(t);
      }
    }
    lanes += hops.size;
    const channel = lanes ? Math.min(lanes, 12) * m.laneGap + m.laneGap : 0;
    const hasVolumes = pod.volumes.length > 0;
    const volNeed = Math.max(
      0,
      ...pod.volumes.map((v) =>
        Math.max(Array.from(v.name).length * m.nameChar, (Array.from(v.source ?? 'not declared').length + 12) * m.char),
      ),
    );
    const volW = Math.round(Math.min(m.volMax, Math.max(m.volMin, volNeed + 2 * m.pad + (hasVolumes ? m.font : 0))));
    const gutter = Math.round(Math.max(4 * m.font, Math.min(150, (width ?? 760) * 0.12)));
    const naturalBox = Math.round(NATURAL_BOX_CHARS * m.char + 2 * m.pad);
    const avail = width ?? 2 * m.margin + channel + naturalBox + (hasVolumes ? gutter + volW : 0);
    const inner = Math.max(avail - 2 * m.margin, m.minBox + channel);
    // side by side while the box column keeps its narrowest width; else volumes go below
    const sideBySide = !hasVolumes || inner - channel - gutter - volW >= m.minBox;
    const boxW = Math.round(
      Math.min(
        m.maxBox,
        Math.max(m.minBox, sideBySide && hasVolumes ? inner - channel - gutter - volW : inner - channel),
      ),
    );
    const x0 = m.margin + channel;
    const right = sideBySide && hasVolumes ? x0 + boxW + gutter + volW : x0 + boxW;
    const total = Math.max(right, m.margin + inner) + m.margin;
    const nodes: SvgNode[] = [];
    let y = m.margin;

    // title and the findings about the pod as a whole
    const own = pod.containers.filter((c) => !c.injectedBy).length;
    const injected = pod.containers.length - own;
    const declared = pod.volumes.filter((v) => !v.missing).length;
    const counts =
      `${own} container${own === 1 ? '' : 's'}${injected ? ` (+${injected} injected)` : ''}, ` +
      `${declared} volume${declared === 1 ? '' : 's'}`;
    const heading = `${pod.kind} ${pod.name ?? '(unnamed)'} · ${counts}`;
    const titleLines = wrap(heading, Math.max(10, Math.floor((total - 2 * m.margin) / m.titleChar)));
    nodes.push(
      el('g', { class: nodeClass(pod, this.selectedId, 'sp-pod'), 'data-node': pod.id }, [
        title([heading, ...findingLines(pod.findings)]),
        ...titleLines.map((line, i) =>
          this.text(
            m.margin,
            y + Math.round(m.font * 1.3) + i * Math.round(m.font * 1.5),
            line,
            'sp-title',
            undefined,
            m.font + 2,
          ),
        ),
      ]),
    );
    y += titleLines.length * Math.round(m.font * 1.5) + Math.round(m.font * 0.5);
    const findingChars = Math.max(10, Math.floor((total - 2 * m.margin) / m.char));
    for (const f of pod.findings) {
      for (const line of wrap(`${SEVERITY_MARK[f.severity]} ${f.message} (${f.rule})`, findingChars)) {
        nodes.push(this.text(m.margin, y + Math.round(m.font * 1.1), line, `sp-finding-${f.severity}`));
        y += Math.round(m.font * 1.4);
      }
    }
    y += Math.round(m.font * 0.5);

    // Services, where traffic enters: one above the other, so no arrow crosses another box
    const serviceRows: { port: DiagramServicePort; x: number; y: number }[] = [];
    if (services.length) {
      nodes.push(
        this.text(
          x0,
          y + Math.round(m.font * 1.3),
          fit('SERVICES · traffic into the pod', boxW, m.char),
          'sp-lane-label',
        ),
      );
      y += m.laneLabelH;
      for (const s of services) {
        const drawn = this.service(s, x0, y, boxW);
        nodes.push(...drawn.nodes);
        for (const [port, ry] of drawn.rows) serviceRows.push({ port, x: x0, y: ry });
        y += drawn.h + m.boxGap;
      }
    }

    const net = this.network(x0, y, right - x0);
    nodes.push(...net.nodes);
    y += net.h + m.boxGap;

    // containers, lane by lane, in start order
    const columnTop = y;
    const placed: PlacedContainer[] = [];
    for (const lane of LANE_ORDER) {
      const members = pod.containers.filter((c) => c.lane === lane);
      if (members.length === 0) continue;
      // within the container column: the gutter beside it belongs to the wires
      nodes.push(this.text(x0, y + Math.round(m.font * 1.3), fit(LANE_LABEL[lane], boxW, m.char), 'sp-lane-label'));
      y += m.laneLabelH;
      members.forEach((c, i) => {
        if (i > 0 && lane === 'init') {
          // init containers run strictly one after another: draw the hand-over
          const ax = x0 + boxW / 2;
          nodes.push(
            el('path', {
              d: `M ${ax} ${y - m.orderGap + 4} V ${y - 4} M ${ax - 5} ${y - 9} L ${ax} ${y - 4} L ${ax + 5} ${y - 9}`,
              class: 'sp-arrow',
            }),
          );
        }
        const p = this.container(c, x0, y, boxW, sideBySide);
        nodes.push(...p.nodes);
        placed.push(p);
        y += p.h + (lane === 'init' ? m.orderGap : m.boxGap);
      });
      y += Math.round(m.font * 0.5);
    }
    let height = y;

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
    if (hasVolumes && sideBySide) {
      const vx = x0 + boxW + gutter;
      // Volumes go next to the containers that mount them (mean height of their wires), in that
      // order, pushed down just enough never to overlap: few crossings, never an overlap.
      const desired = pod.volumes.map((v, index) => {
        const wires = incoming.get(v.id) ?? [];
        const h = Math.max(m.volMinH, Math.round(m.font * 1.2) + wires.length * m.volSlot);
        const mean = wires.length ? wires.reduce((s, w) => s + w.y, 0) / wires.length : Number.POSITIVE_INFINITY;
        return { v, index, h, wires, want: mean - h / 2 };
      });
      desired.sort((a, b) => a.want - b.want || a.index - b.index);
      let vy = columnTop + m.laneLabelH;
      nodes.push(this.text(vx, columnTop + Math.round(m.font * 1.3), 'VOLUMES', 'sp-lane-label'));
      const wireNodes: SvgNode[] = [];
      for (const d of desired) {
        const top = Number.isFinite(d.want) ? Math.max(vy, d.want) : vy;
        nodes.push(this.volume(d.v, vx, top, volW, d.h, d.wires.length));
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
        vy = top + d.h + m.boxGap;
      }
      // wires under the boxes, so an anchor dot never hides a label
      nodes.unshift(...wireNodes);
      height = Math.max(height, vy);
    } else if (hasVolumes) {
      // too narrow for both columns: the volumes below, in as many columns as fit; the mounts name them
      nodes.push(this.text(x0, y + Math.round(m.font * 1.3), 'VOLUMES', 'sp-lane-label'));
      y += m.laneLabelH;
      const cols = Math.max(1, Math.floor((boxW + m.boxGap) / (volW + m.boxGap)));
      const w = cols === 1 ? boxW : Math.floor((boxW - (cols - 1) * m.boxGap) / cols);
      pod.volumes.forEach((v, i) => {
        const col = i % cols;
        const top = y + Math.floor(i / cols) * (m.volMinH + m.boxGap);
        nodes.push(this.volume(v, x0 + col * (w + m.boxGap), top, w, m.volMinH, incoming.get(v.id)?.length ?? 0));
      });
      y += Math.ceil(pod.volumes.length / cols) * (m.volMinH + m.boxGap);
      height = y;
    }

    nodes.unshift(...this.arrows(serviceRows, placed, x0));
    return { width: total, height: height + m.margin - 6, nodes };
  }

  /**
   * The Services' arrows, each in its own lane of the channel left of the boxes: out of the
   * Service port's row, down (or up) the lane, into the container port's row. With a mesh, into
   * the proxy first and from the proxy on to the port.
   */
  private arrows(
    rows: { port: DiagramServicePort; x: number; y: number }[],
    placed: PlacedContainer[],
    x0: number,
  ): SvgNode[] {
    const { m } = this;
    const at = new Map<string, number>();
    const boxes = new Map<string, PlacedContainer>();
    for (const p of placed) {
      boxes.set(p.container.id, p);
      for (const [id, y] of p.ports) at.set(id, y);
    }
    const out: SvgNode[] = [];
    let lane = 0;
    const laneX = (): number => x0 - m.laneGap * (1 + (lane++ % 12));
    const arrow = (fromY: number, toY: number, cls: string, data: Record<string, string>): void => {
      const lx = laneX();
      out.push(
        el('path', {
          d: `M ${x0} ${fromY} H ${lx} V ${toY} H ${x0 - 1} M ${x0 - 7} ${toY - 4} L ${x0 - 1} ${toY} L ${x0 - 7} ${toY + 4}`,
          class: cls,
          ...data,
        }),
      );
    };
    const hopped = new Set<string>();
    for (const row of rows) {
      const p = row.port;
      if (p.via) {
        const proxy = boxes.get(p.via.containerId);
        const proxyPort = proxy?.container.ports.find((q) => q.port === p.via!.port);
        const py = proxyPort ? at.get(proxyPort.id) : undefined;
        if (py === undefined) continue;
        arrow(row.y, py, 'sp-traffic', { 'data-service-port': p.id, 'data-to': proxyPort!.id });
        for (const t of p.targets) {
          const ty = at.get(t);
          if (ty === undefined || hopped.has(t)) continue;
          hopped.add(t);
          arrow(py + 3, ty, 'sp-traffic sp-via', { 'data-service-port': p.id, 'data-to': t });
        }
        continue;
      }
      for (const t of p.targets) {
        const ty = at.get(t);
        if (ty !== undefined) arrow(row.y, ty, 'sp-traffic', { 'data-service-port': p.id, 'data-to': t });
      }
    }
    return out;
  }
}

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1) || uri;
}

/**
 * The diagram of one or more pods, stacked top to bottom. Every string of the model ends up in text
 * nodes or attribute values of the tree; `toSvgString` escapes both.
 */
export function renderDiagram(pods: readonly DiagramPod[], options: RenderOptions = {}): SvgElement {
  const font = options.fontSize ?? DEFAULT_FONT_SIZE;
  const m = metrics(font);
  const layouts = pods.map((p) => new PodPainter(p, options.selectedId, font).layout(options.width));
  const width = Math.max(options.width ?? 2 * m.margin + m.minBox, ...layouts.map((l) => l.width));
  const children: SvgNode[] = [];
  if (options.palette) children.push(el('style', {}, [diagramCss(options.palette)]));
  let y = 0;
  const body: SvgNode[] = [];
  for (const l of layouts) {
    body.push(el('g', { transform: `translate(0 ${y})` }, l.nodes));
    y += l.height;
  }
  if (layouts.length === 0) {
    body.push(
      el('text', { x: m.margin, y: m.margin + m.font, class: 'sp-muted', 'font-size': m.font }, [
        'No Kubernetes pod in this document.',
      ]),
    );
    y = 2 * m.margin + 2 * m.font;
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
      'font-size': m.font,
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
export function svgDocument(
  pods: readonly DiagramPod[],
  palette: Palette,
  options: Omit<RenderOptions, 'palette'> = {},
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toSvgString(renderDiagram(pods, { ...options, palette }))}\n`;
}

// The diagram webview's script. It receives models from the host, draws the chosen pod with DOM
// APIs (createElementNS, textContent: no markup is ever parsed), and sends back node ids on click.
import type { DiagramModel, DiagramPod } from '../../shared/src/diagram-model';
import {
  isHostMessage,
  type HostMessage,
  type WebviewMessage,
  type WebviewState,
} from '../../shared/src/webview-protocol';
import { renderDiagram, type SvgNode } from './render';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SVG_NS = 'http://www.w3.org/2000/svg';
const ZOOM_STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];
const MIN_ZOOM = ZOOM_STEPS[0]!;
const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as WebviewState;

const canvas = byId('canvas');
const message = byId('message');
const picker = byId('pod') as HTMLSelectElement;
const fileLabel = byId('file');
const zoomLabel = byId('zoom-level');

let model: DiagramModel | undefined;
let podId: string | undefined = typeof saved.podId === 'string' ? saved.podId : undefined;
let zoom = typeof saved.zoom === 'number' && saved.zoom >= MIN_ZOOM && saved.zoom <= MAX_ZOOM ? saved.zoom : 1;
let selectedId: string | null = null;
let size = { width: 0, height: 0 };

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the page`);
  return e;
}

function saveState(): void {
  const state: WebviewState = { zoom };
  if (model) state.uri = model.uri;
  if (podId) state.podId = podId;
  vscode.setState(state);
}

/** The render tree as DOM: attribute values and text are set as data, never parsed as markup. */
function toDom(node: SvgNode): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const e = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) if (k !== 'xmlns') e.setAttribute(k, String(v));
  for (const child of node.children) e.appendChild(toDom(child));
  return e;
}

function currentPod(): DiagramPod | undefined {
  return model?.pods.find((p) => p.id === podId) ?? model?.pods[0];
}

function podLabel(pod: DiagramPod): string {
  return `${pod.kind} ${pod.name ?? '(unnamed)'} · document ${pod.documentIndex + 1}`;
}

function updatePicker(): void {
  const pods = model?.pods ?? [];
  picker.hidden = pods.length < 2;
  picker.replaceChildren(
    ...pods.map((p) => {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = podLabel(p);
      return option;
    }),
  );
  const pod = currentPod();
  if (pod) picker.value = pod.id;
}

/** The editor's font size (VS Code sets the variable on the page), so no label is smaller than the code. */
function editorFontSize(): number {
  const value = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size'));
  return Number.isFinite(value) && value > 0 ? value : 14;
}

/** The width the picture is laid out in: the panel's, in picture pixels at the current zoom. */
function layoutWidth(): number {
  // the scroll bar takes part of the width once the picture is taller than the panel
  return Math.max(1, Math.floor((canvas.clientWidth - 2) / zoom));
}

/** Replaces the picture in one step: the old one stays until the new one is built (no flicker). */
function draw(): void {
  const pod = currentPod();
  if (!pod) return;
  const tree = renderDiagram([pod], {
    fontSize: editorFontSize(),
    width: layoutWidth(),
    ...(selectedId ? { selectedId } : {}),
  });
  size = { width: Number(tree.attrs['width']), height: Number(tree.attrs['height']) };
  const svg = toDom(tree) as SVGSVGElement;
  applyZoom(svg);
  // scroll offsets belong to #canvas, which stays: zoom and scroll survive every redraw
  canvas.replaceChildren(svg);
  message.textContent = '';
}

function applyZoom(svg = canvas.querySelector('svg')): void {
  zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  if (!svg) return;
  svg.setAttribute('width', String(Math.round(size.width * zoom)));
  svg.setAttribute('height', String(Math.round(size.height * zoom)));
}

function setZoom(next: number): void {
  zoom = next;
  // the layout takes the width the zoom leaves it: a redraw, not only a scale
  if (currentPod()) draw();
  else applyZoom();
  saveState();
}

/** The next step up or down from any zoom (a fitted zoom sits between steps). */
function stepZoom(direction: 1 | -1): void {
  const next =
    direction > 0 ? ZOOM_STEPS.find((z) => z > zoom + 1e-9) : [...ZOOM_STEPS].reverse().find((z) => z < zoom - 1e-9);
  if (next !== undefined) setZoom(next);
}

/**
 * The zoom at which the whole width shows: 100% when the layout fits the panel (it takes the
 * width it has), less only when even the narrowest layout is wider than the panel.
 */
function fitWidth(): void {
  if (!currentPod()) return;
  zoom = 1;
  draw();
  // at 100% the layout already takes the panel's width; less only when even its narrowest does not fit
  const available = canvas.clientWidth;
  if (size.width > available) zoom = Math.max(MIN_ZOOM, Math.floor((available / size.width) * 100) / 100);
  setZoom(zoom);
}

// a panel made wider or narrower lays the picture out again for its new width
let lastWidth = 0;
let resizeQueued = false;
new ResizeObserver(() => {
  if (resizeQueued || canvas.clientWidth === lastWidth) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    lastWidth = canvas.clientWidth;
    if (currentPod()) draw();
  });
}).observe(canvas);

/** Marks the node the cursor is in, without a redraw. */
function markSelected(scroll: boolean): void {
  let target: Element | undefined;
  for (const e of canvas.querySelectorAll('[data-node]')) {
    const hit = e.getAttribute('data-node') === selectedId;
    e.classList.toggle('sp-selected', hit);
    if (hit && !target) target = e;
  }
  if (scroll && target) target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

function onMessage(m: HostMessage): void {
  switch (m.type) {
    case 'model':
      model = m.model;
      if (m.podId && m.model.pods.some((p) => p.id === m.podId)) podId = m.podId;
      else if (!m.model.pods.some((p) => p.id === podId)) podId = m.model.pods[0]?.id;
      fileLabel.textContent = m.fileName;
      updatePicker();
      draw();
      saveState();
      break;
    case 'empty':
      model = undefined;
      updatePicker();
      canvas.replaceChildren();
      fileLabel.textContent = '';
      message.textContent = m.message;
      break;
    case 'highlight': {
      selectedId = m.nodeId;
      if (m.podId && m.podId !== currentPod()?.id && model?.pods.some((p) => p.id === m.podId)) {
        // the cursor went into another pod of the file: show that one
        podId = m.podId;
        updatePicker();
        draw();
        saveState();
      }
      markSelected(true);
      break;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // only what the host sends, in the shape agreed on; anything else is dropped
  if (isHostMessage(event.data)) onMessage(event.data);
});

canvas.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest('[data-node]');
  const nodeId = target?.getAttribute('data-node');
  const pod = currentPod();
  if (!nodeId || !pod) return;
  selectedId = nodeId;
  markSelected(false);
  vscode.postMessage({ type: 'reveal', podId: pod.id, nodeId });
});

canvas.addEventListener(
  'wheel',
  (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    stepZoom(event.deltaY < 0 ? 1 : -1);
  },
  { passive: false },
);

picker.addEventListener('change', () => {
  podId = picker.value;
  selectedId = null;
  draw();
  saveState();
  vscode.postMessage({ type: 'selectPod', podId: picker.value });
});

byId('zoom-in').addEventListener('click', () => stepZoom(1));
byId('zoom-out').addEventListener('click', () => stepZoom(-1));
byId('zoom-reset').addEventListener('click', () => setZoom(1));
byId('zoom-fit').addEventListener('click', fitWidth);
byId('export').addEventListener('click', () => vscode.postMessage({ type: 'exportSvg' }));

applyZoom();
vscode.postMessage({ type: 'ready' });

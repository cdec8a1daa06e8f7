// Messages between the diagram webview and the extension host. Both sides validate what they
// receive with the guards below and ignore anything else: a webview is a web page, and whatever
// reaches the host from it is treated as untrusted input.
import type { DiagramModel } from './diagram-model';

/** Host -> webview. */
export type HostMessage =
  /** A new model to draw; `podId` is the pod to show (the webview keeps its own choice if it still exists). */
  | { type: 'model'; model: DiagramModel; podId?: string; fileName: string }
  /** Nothing to draw, and why (not YAML, no pod, server not running...). */
  | { type: 'empty'; message: string }
  /** The node the editor's cursor is in (null: none). */
  | { type: 'highlight'; podId: string | null; nodeId: string | null };

/** Webview -> host. */
export type WebviewMessage =
  /** The script is listening: the host may send the model now. */
  | { type: 'ready' }
  /** The user clicked a node: reveal its YAML. */
  | { type: 'reveal'; podId: string; nodeId: string }
  /** The user chose another pod of the file in the picker. */
  | { type: 'selectPod'; podId: string }
  /** The user asked to save the picture. */
  | { type: 'exportSvg' };

/** What the webview keeps with vscode.setState, so a reload (or a restored panel) looks the same. */
export interface WebviewState {
  uri?: string;
  podId?: string;
  zoom?: number;
}

const ID = /^[\w.:[\]@/-]{1,200}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && ID.test(v);
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
    case 'exportSvg':
      return true;
    case 'reveal':
      return isId(v['podId']) && isId(v['nodeId']);
    case 'selectPod':
      return isId(v['podId']);
    default:
      return false;
  }
}

function isPosition(v: unknown): boolean {
  return isRecord(v) && Number.isInteger(v['line']) && Number.isInteger(v['character']);
}

function isRange(v: unknown): boolean {
  return isRecord(v) && isPosition(v['start']) && isPosition(v['end']);
}

/**
 * A model's shape, deep enough that the renderer cannot trip over it: every pod, container, port,
 * probe, mount and volume has the fields the renderer reads, with the right types.
 */
export function isDiagramModel(v: unknown): v is DiagramModel {
  if (!isRecord(v) || typeof v['uri'] !== 'string' || !Array.isArray(v['pods'])) return false;
  const node = (n: unknown): n is Record<string, unknown> =>
    isRecord(n) &&
    isId(n['id']) &&
    isRange(n['range']) &&
    isRange(n['selectionRange']) &&
    Array.isArray(n['findings']) &&
    n['findings'].every(
      (f) =>
        isRecord(f) && typeof f['rule'] === 'string' && typeof f['message'] === 'string' && isSeverity(f['severity']),
    ) &&
    (n['severity'] === undefined || isSeverity(n['severity']));
  const list = (l: unknown, item: (x: Record<string, unknown>) => boolean): boolean =>
    Array.isArray(l) && l.every((x) => node(x) && item(x));
  return v['pods'].every(
    (pod) =>
      node(pod) &&
      typeof pod['kind'] === 'string' &&
      (pod['services'] === undefined ||
        list(
          pod['services'],
          (s) =>
            typeof s['name'] === 'string' &&
            typeof s['type'] === 'string' &&
            (s['uri'] === undefined || typeof s['uri'] === 'string') &&
            list(
              s['ports'],
              (p) =>
                typeof p['protocol'] === 'string' &&
                Array.isArray(p['targets']) &&
                p['targets'].every(isId) &&
                (p['broken'] === undefined || typeof p['broken'] === 'string') &&
                (p['via'] === undefined ||
                  (isRecord(p['via']) && isId(p['via']['containerId']) && Number.isInteger(p['via']['port']))),
            ),
        )) &&
      list(pod['volumes'], (vol) => typeof vol['name'] === 'string') &&
      list(
        pod['containers'],
        (c) =>
          typeof c['name'] === 'string' &&
          typeof c['lane'] === 'string' &&
          list(c['ports'], (p) => Number.isInteger(p['port']) && typeof p['protocol'] === 'string') &&
          list(c['probes'], (p) => typeof p['kind'] === 'string' && typeof p['handler'] === 'string') &&
          list(c['mounts'], (m) => typeof m['path'] === 'string' && typeof m['volumeName'] === 'string'),
      ),
  );
}

function isSeverity(v: unknown): boolean {
  return v === 'error' || v === 'warning' || v === 'info';
}

export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'model':
      return (
        isDiagramModel(v['model']) &&
        typeof v['fileName'] === 'string' &&
        (v['podId'] === undefined || isId(v['podId']))
      );
    case 'empty':
      return typeof v['message'] === 'string';
    case 'highlight':
      return (v['podId'] === null || isId(v['podId'])) && (v['nodeId'] === null || isId(v['nodeId']));
    default:
      return false;
  }
}

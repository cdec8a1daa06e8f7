// The pod diagram beside the editor: asks the server for the model of the active YAML file (the
// same model and findings as the diagnostics), forwards it to the webview, and turns the webview's
// clicks (node ids) back into editor selections. The webview never edits and never sees the text.
import * as vscode from 'vscode';
import { findNode, nodeAt, nodeUri, type DiagramModel, type DiagramRange } from '../../../shared/src/diagram-model';
import { DIAGRAM_REQUEST, type DiagramParams, type DiagramResult } from '../../../shared/src/protocol';
import { isWebviewMessage, type HostMessage, type WebviewState } from '../../../shared/src/webview-protocol';
import { svgDocument } from '../../../webview/src/render';
import { DARK, LIGHT } from '../../../webview/src/theme';
import type { ServerHandle } from '../server-handle';
import { bundleDir, diagramHtml } from './html';

export const DIAGRAM_VIEW_TYPE = 'sidecarPods.diagram';

/** Typing pauses shorter than this do not redraw (the server's diagnostics wait for none). */
const UPDATE_DELAY_MS = 250;

/**
 * Whether the server is given this document: the client's own document selector decides (file and
 * untitled YAML on the desktop; any scheme in the web, where files are vscode-vfs: or vscode-remote:).
 */
function isServedDocument(server: ServerHandle, doc: vscode.TextDocument): boolean {
  const selector = server.client.clientOptions.documentSelector ?? [];
  return vscode.languages.match(selector as vscode.DocumentSelector, doc) > 0;
}

function toRange(r: DiagramRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Owns the one diagram panel: creates, reveals and restores it. */
export class DiagramController implements vscode.Disposable {
  private panel: DiagramPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ServerHandle,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The command: the active editor's file, or the file (and pod) a CodeLens names. */
  show(uri?: vscode.Uri, podId?: string): void {
    const target = uri ?? activeYaml(this.server)?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a Kubernetes YAML file to see its pod diagram.');
      return;
    }
    if (this.panel) {
      this.panel.reveal();
      this.panel.follow(target, podId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DIAGRAM_VIEW_TYPE,
      'Pod diagram',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel, target, podId);
  }

  /** Restores a panel after a window reload (registerWebviewPanelSerializer). */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (typeof state === 'object' && state !== null ? state : {}) as WebviewState;
    let uri: vscode.Uri | undefined;
    try {
      uri = typeof s.uri === 'string' ? vscode.Uri.parse(s.uri, true) : undefined;
    } catch {
      uri = undefined;
    }
    panel.webview.options = this.webviewOptions();
    this.adopt(panel, uri ?? activeYaml(this.server)?.document.uri, typeof s.podId === 'string' ? s.podId : undefined);
  }

  /** The open panel, for tests. */
  get current(): DiagramPanel | undefined {
    return this.panel;
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri | undefined, podId: string | undefined): void {
    this.panel?.dispose();
    const p = new DiagramPanel(panel, this.extensionUri, this.server, this.output, () => {
      if (this.panel === p) this.panel = undefined;
    });
    this.panel = p;
    if (uri) p.follow(uri, podId);
    else p.post({ type: 'empty', message: 'Open a Kubernetes YAML file to see its pod diagram.' });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // the webview may load its own bundle and nothing else
      localResourceRoots: [bundleDir(this.extensionUri)],
      // zoom and scroll survive switching tabs without a reload of the page
      retainContextWhenHidden: true,
    };
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function activeYaml(server: ServerHandle): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && isServedDocument(server, editor.document) ? editor : undefined;
}

export class DiagramPanel {
  private uri: vscode.Uri | undefined;
  private podId: string | undefined;
  private model: DiagramModel | undefined;
  /** The last message that shows something (model or empty), replayed when the webview (re)loads. */
  private shown: HostMessage | undefined;
  private ready = false;
  private request = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;
  /** A file opened to show a Service kept there: the panel stays on its pod instead of following it. */
  private revealedElsewhere: string | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly server: ServerHandle,
    private readonly output: vscode.LogOutputChannel,
    private readonly onDispose: () => void,
  ) {
    panel.webview.html = diagramHtml(panel.webview, extensionUri);
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // focus moving into the diagram leaves no active editor: keep showing the last file
        if (!editor || !isServedDocument(this.server, editor.document)) return;
        if (editor.document.uri.toString() === this.revealedElsewhere) return;
        this.revealedElsewhere = undefined;
        this.follow(editor.document.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isCurrent(e.document.uri)) this.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.isCurrent(e.textEditor.document.uri)) this.highlight(e.selections[0]?.active);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        // settings changes re-lint without an edit: the picture follows the Problems panel
        if (this.uri && e.uris.some((u) => this.isCurrent(u))) this.schedule();
      }),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Shows `uri` (redraws even when it is already shown, e.g. after a CodeLens chose another pod). */
  follow(uri: vscode.Uri, podId?: string): void {
    if (!this.isCurrent(uri)) {
      this.model = undefined;
      this.podId = undefined;
    }
    this.uri = uri;
    if (podId) this.podId = podId;
    this.panel.title = `Pod diagram: ${baseName(uri)}`;
    void this.refresh();
  }

  post(message: HostMessage): void {
    if (message.type !== 'highlight') this.shown = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** The model on screen, for tests. */
  get currentModel(): DiagramModel | undefined {
    return this.model;
  }

  private isCurrent(uri: vscode.Uri): boolean {
    return this.uri !== undefined && uri.toString() === this.uri.toString();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, UPDATE_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const uri = this.uri;
    if (!uri || this.disposed) return;
    const request = ++this.request;
    let result: DiagramResult;
    try {
      await this.server.whenRunning();
      // the server only knows open documents: make sure this one is open (it is, when it was followed)
      const doc = await vscode.workspace.openTextDocument(uri);
      const params: DiagramParams = { uri: doc.uri.toString() };
      result = await this.server.client.sendRequest<DiagramResult>(DIAGRAM_REQUEST, params);
    } catch (e) {
      if (request !== this.request || this.disposed) return;
      this.output.error(`Pod diagram of ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
      // keep the last good picture: a failed update must not blank what the user is looking at
      if (!this.model) this.post({ type: 'empty', message: 'The diagram could not be computed; see the output.' });
      return;
    }
    // a later edit or a switch of file superseded this answer
    if (request !== this.request || this.disposed) return;
    const name = baseName(uri);
    if (!result || result.pods.length === 0) {
      this.model = undefined;
      this.post({ type: 'empty', message: `No Kubernetes pod in ${name}.` });
      return;
    }
    this.model = result;
    if (this.podId && !result.pods.some((p) => p.id === this.podId)) this.podId = undefined;
    this.post({ type: 'model', model: result, fileName: name, ...(this.podId ? { podId: this.podId } : {}) });
    const editor = vscode.window.visibleTextEditors.find((e) => this.isCurrent(e.document.uri));
    if (editor) this.highlight(editor.selection.active, false);
  }

  /**
   * Marks the node under the cursor. When the cursor moved (`follow`), the diagram switches to the
   * pod it is in; after a redraw it does not, so the pod a CodeLens or the picker chose stays.
   */
  private highlight(position: vscode.Position | undefined, follow = true): void {
    if (!this.model || !position) return;
    let hit = nodeAt(this.model, { line: position.line, character: position.character });
    if (hit && !follow && this.podId && hit.pod.id !== this.podId) hit = undefined;
    if (hit) this.podId = hit.pod.id;
    this.post({ type: 'highlight', podId: hit?.pod.id ?? null, nodeId: hit?.node.id ?? null });
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return; // a webview is untrusted: anything unexpected is ignored
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.shown) void this.panel.webview.postMessage(this.shown);
        break;
      case 'selectPod':
        if (this.model?.pods.some((p) => p.id === message.podId)) this.podId = message.podId;
        break;
      case 'reveal':
        void this.revealNode(message.podId, message.nodeId);
        break;
      case 'exportSvg':
        void this.exportSvg();
        break;
    }
  }

  /** Ids are resolved against the latest model; an id that no longer exists does nothing. */
  private async revealNode(podId: string, nodeId: string): Promise<void> {
    const model = this.model;
    const node = model && findNode(model, podId, nodeId);
    const pod = model?.pods.find((p) => p.id === podId);
    if (!this.uri || !model || !node || !pod) return;
    this.podId = podId;
    // a Service written in another file is revealed there; the model says where, the webview never does
    let uri: vscode.Uri;
    try {
      const where = nodeUri(model, pod, nodeId);
      uri = where === model.uri ? this.uri : vscode.Uri.parse(where, true);
    } catch (e) {
      this.output.error(`Could not reveal ${nodeId}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const column =
      visible?.viewColumn ??
      (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const range = toRange(node.selectionRange);
    this.revealedElsewhere = uri.toString() === this.uri.toString() ? undefined : uri.toString();
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc, {
        viewColumn: column,
        selection: range,
        preview: false,
      });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (e) {
      this.output.error(`Could not reveal ${nodeId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Saves the shown pod as SVG; asks where unless told (the test API passes a target). */
  async exportSvg(to?: vscode.Uri): Promise<void> {
    const model = this.model;
    const uri = this.uri;
    if (!model || !uri) return;
    const pod = model.pods.find((p) => p.id === this.podId) ?? model.pods[0];
    if (!pod) return;
    const kind = vscode.window.activeColorTheme.kind;
    const dark = kind === vscode.ColorThemeKind.Dark || kind === vscode.ColorThemeKind.HighContrast;
    const base = baseName(uri).replace(/\.ya?ml$/i, '');
    const suggested = `${base}${model.pods.length > 1 ? `-${pod.name ?? pod.id}` : ''}.svg`.replace(
      /[\\/:*?"<>|]/g,
      '_',
    );
    const folder = uri.scheme === 'file' ? vscode.Uri.joinPath(uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target =
      to ??
      (await vscode.window.showSaveDialog({
        title: 'Export pod diagram',
        filters: { 'SVG image': ['svg'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, suggested) } : {}),
      }));
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svgDocument([pod], dark ? DARK : LIGHT)));
      this.output.info(`Exported the pod diagram to ${target.fsPath}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not save the diagram: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

/** The last segment of a URI's path (node:path is not there in the web extension host). */
function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

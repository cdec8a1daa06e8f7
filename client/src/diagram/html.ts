// The diagram webview's HTML for VS Code: the page of webview/src/page.ts with a fresh nonce and
// the bundle's webview URI.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { diagramPageHtml } from '../../../webview/src/page';

/** Where the webview bundle lives; also the only folder the webview may load from. */
export function bundleDir(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return diagramPageHtml({
    nonce: randomBytes(16).toString('base64'),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(extensionUri), 'diagram.js')).toString(),
  });
}

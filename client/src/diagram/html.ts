// The diagram webview's HTML for VS Code: the page of webview/src/page.ts with a fresh nonce and
// the bundle's webview URI.
import * as vscode from 'vscode';
import { diagramPageHtml } from '../../../webview/src/page';

/** Where the webview bundle lives; also the only folder the webview may load from. */
export function bundleDir(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return diagramPageHtml({
    nonce: freshNonce(),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(extensionUri), 'diagram.js')).toString(),
  });
}

/**
 * 16 random bytes in base64, from the Web Crypto API that Node (globalThis.crypto, Node 19+) and
 * the web extension host both have; node:crypto is not there in the browser.
 */
function freshNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

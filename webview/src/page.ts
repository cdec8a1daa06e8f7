// The diagram webview's page: a fixed skeleton, the stylesheet and the script, nothing from the
// document. Model data arrives by postMessage and is drawn with DOM APIs (main.ts). Pure, so the
// render test loads exactly this page in Chromium.
import { escapeXml } from './render';
import { diagramCss, VSCODE } from './theme';

export interface PageOptions {
  /** Fresh per page: only our script and our stylesheet run. */
  nonce: string;
  /** Origins the page may load its own resources from (the webview's cspSource). */
  cspSource: string;
  scriptUri: string;
}

const PAGE_CSS = `
html, body { margin: 0; padding: 0; height: 100%; }
body { display: flex; flex-direction: column; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
#toolbar { display: flex; gap: 6px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--vscode-panel-border, transparent); flex-wrap: wrap; }
#toolbar button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground);
  border: 1px solid var(--vscode-button-border, transparent); padding: 2px 8px; cursor: pointer; border-radius: 2px; }
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
#toolbar button:focus-visible, #pod:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
#pod { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background);
  border: 1px solid var(--vscode-dropdown-border, transparent); padding: 2px 4px; max-width: 50vw; }
#pod[hidden] { display: none; }
#file { color: var(--vscode-descriptionForeground); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#zoom-level { min-width: 3.5em; text-align: center; color: var(--vscode-descriptionForeground); }
.spacer { flex: 1; }
#message { padding: 12px; color: var(--vscode-descriptionForeground); }
#message:empty { display: none; }
#canvas { flex: 1; overflow: auto; scrollbar-gutter: stable; }
#canvas svg { display: block; }
`;

export function diagramPageHtml(options: PageOptions): string {
  // our own values, but they go into attributes: escaped like any other (a webview URI may carry a query)
  const nonce = escapeXml(options.nonce);
  const cspSource = options.cspSource;
  const scriptUri = escapeXml(options.scriptUri);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    `style-src ${cspSource} 'nonce-${options.nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeXml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Pod diagram</title>
<style nonce="${nonce}">${PAGE_CSS}${diagramCss(VSCODE)}</style>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Pod diagram">
  <select id="pod" aria-label="Pod" hidden></select>
  <span id="file"></span>
  <span class="spacer"></span>
  <button id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
  <span id="zoom-level" aria-live="polite">100%</span>
  <button id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <button id="zoom-reset" title="Actual size">1:1</button>
  <button id="zoom-fit" title="Fit the width of the panel">Fit</button>
  <button id="export" title="Save the diagram as an SVG file">Export SVG</button>
</div>
<div id="message" role="status"></div>
<div id="canvas"></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

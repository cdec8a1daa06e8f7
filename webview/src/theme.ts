// Colours of the diagram. The renderer only emits class names; one stylesheet, generated from a
// palette, gives them colour: concrete colours for a standalone SVG (CLI, export), VS Code's theme
// variables in the webview, so the picture follows the user's theme without a re-render.

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  border: string;
  boxFill: string;
  ghostFill: string;
  laneFill: string;
  wire: string;
  chipFill: string;
  chipText: string;
  clashFill: string;
  error: string;
  warning: string;
  info: string;
  accent: string;
  selection: string;
  fontFamily: string;
}

const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

export const LIGHT: Palette = {
  background: '#ffffff',
  foreground: '#1f2328',
  muted: '#636c76',
  border: '#8c959f',
  boxFill: '#f6f8fa',
  ghostFill: '#ffffff',
  laneFill: '#eef1f4',
  wire: '#6e7781',
  chipFill: '#ddf4ff',
  chipText: '#0a3069',
  clashFill: '#ffebe9',
  error: '#cf222e',
  warning: '#9a6700',
  info: '#0969da',
  accent: '#0969da',
  selection: '#b6e3ff',
  fontFamily: MONO,
};

export const DARK: Palette = {
  background: '#1e1e1e',
  foreground: '#d4d4d4',
  muted: '#9d9d9d',
  border: '#6b6b6b',
  boxFill: '#252526',
  ghostFill: '#1e1e1e',
  laneFill: '#2a2d2e',
  wire: '#8b949e',
  chipFill: '#0d3a58',
  chipText: '#cfe8ff',
  clashFill: '#5a1d1d',
  error: '#f48771',
  warning: '#cca700',
  info: '#75beff',
  accent: '#3794ff',
  selection: '#264f78',
  fontFamily: MONO,
};

/** VS Code's theme variables, with the light palette as fallback outside VS Code. */
export const VSCODE: Palette = {
  background: 'var(--vscode-editor-background, #ffffff)',
  foreground: 'var(--vscode-editor-foreground, #1f2328)',
  muted: 'var(--vscode-descriptionForeground, #636c76)',
  border: 'var(--vscode-editorWidget-border, var(--vscode-panel-border, #8c959f))',
  boxFill: 'var(--vscode-editorWidget-background, #f6f8fa)',
  ghostFill: 'var(--vscode-editor-background, #ffffff)',
  laneFill: 'var(--vscode-sideBar-background, #eef1f4)',
  wire: 'var(--vscode-editorLineNumber-foreground, #6e7781)',
  chipFill: 'var(--vscode-badge-background, #ddf4ff)',
  chipText: 'var(--vscode-badge-foreground, #0a3069)',
  clashFill: 'var(--vscode-inputValidation-errorBackground, #ffebe9)',
  error: 'var(--vscode-editorError-foreground, #cf222e)',
  warning: 'var(--vscode-editorWarning-foreground, #9a6700)',
  info: 'var(--vscode-editorInfo-foreground, #0969da)',
  accent: 'var(--vscode-focusBorder, #0969da)',
  selection: 'var(--vscode-editor-selectionBackground, #b6e3ff)',
  fontFamily: `var(--vscode-editor-font-family, ${MONO})`,
};

/** The stylesheet for the classes the renderer emits (all prefixed `sp-`, so a host page is not touched). */
export function diagramCss(p: Palette): string {
  return `
.sp-diagram { font-family: ${p.fontFamily}; }
.sp-diagram text { fill: ${p.foreground}; white-space: pre; }
.sp-bg { fill: ${p.background}; }
.sp-title { font-weight: bold; }
.sp-name { font-weight: bold; }
.sp-diagram .sp-muted { fill: ${p.muted}; }
.sp-lane { fill: ${p.laneFill}; }
.sp-diagram .sp-lane-label { fill: ${p.muted}; font-weight: bold; }
.sp-box { fill: ${p.boxFill}; stroke: ${p.border}; stroke-width: 1; }
.sp-ghost > .sp-box { fill: ${p.ghostFill}; stroke-dasharray: 6 4; }
.sp-missing > .sp-box { fill: ${p.ghostFill}; stroke: ${p.error}; stroke-dasharray: 6 4; }
.sp-netns { fill: none; stroke: ${p.border}; stroke-dasharray: 2 3; }
.sp-wire { fill: none; stroke: ${p.wire}; stroke-width: 1.5; }
.sp-wire.sp-ro { stroke-dasharray: 5 3; }
.sp-wire.sp-to-missing { stroke: ${p.error}; }
.sp-arrow { fill: none; stroke: ${p.muted}; stroke-width: 1.5; }
.sp-anchor { fill: ${p.wire}; }
.sp-traffic { fill: none; stroke: ${p.accent}; stroke-width: 1.75; }
.sp-traffic.sp-via { stroke-dasharray: 6 3; }
.sp-broken { fill: none; stroke: ${p.error}; stroke-width: 1.75; }
.sp-diagram text.sp-broken-text { fill: ${p.error}; }
.sp-chip > rect { fill: ${p.chipFill}; }
.sp-diagram .sp-chip > text { fill: ${p.chipText}; }
.sp-chip.sp-ghost > rect { fill: none; stroke: ${p.chipFill}; stroke-width: 1.5; stroke-dasharray: 4 3; }
.sp-diagram .sp-chip.sp-ghost > text { fill: ${p.foreground}; }
.sp-chip.sp-clash > rect { fill: ${p.clashFill}; stroke: ${p.error}; stroke-width: 1.5; }
.sp-diagram .sp-clash > text, .sp-diagram text.sp-clash { fill: ${p.error}; font-weight: bold; }
.sp-row-bg { fill: transparent; }
.sp-sev-error > .sp-box { stroke: ${p.error}; stroke-width: 2; }
.sp-sev-warning > .sp-box { stroke: ${p.warning}; stroke-width: 2; }
.sp-sev-info > .sp-box { stroke: ${p.info}; stroke-width: 1.5; }
.sp-diagram .sp-sev-error > text.sp-row-text { fill: ${p.error}; }
.sp-diagram .sp-sev-warning > text.sp-row-text { fill: ${p.warning}; }
.sp-badge-error { fill: ${p.error}; }
.sp-badge-warning { fill: ${p.warning}; }
.sp-badge-info { fill: ${p.info}; }
.sp-diagram text.sp-badge-text { fill: ${p.background}; font-weight: bold; }
.sp-diagram text.sp-finding-error { fill: ${p.error}; }
.sp-diagram text.sp-finding-warning { fill: ${p.warning}; }
.sp-diagram text.sp-finding-info { fill: ${p.info}; }
.sp-hit { cursor: pointer; }
.sp-hit:hover > .sp-box { stroke: ${p.accent}; }
.sp-hit:hover > .sp-row-bg { fill: ${p.selection}; fill-opacity: 0.5; }
.sp-selected > .sp-box { stroke: ${p.accent}; stroke-width: 3; }
.sp-selected > .sp-row-bg, .sp-chip.sp-selected > rect { fill: ${p.selection}; fill-opacity: 1; }
`;
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SidecarPodsTestApi } from '../../../client/src/api';

export const EXTENSION_ID = 'sidecar-pods.sidecar-pods';
export const SOURCE = 'sidecar-pods';

/** Polls until `probe` returns something other than undefined/false (never a fixed sleep). */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function activateExtension(): Promise<SidecarPodsTestApi> {
  const ext = vscode.extensions.getExtension<SidecarPodsTestApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the examples workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return String(typeof c === 'object' && c !== null ? c.value : c);
}

export function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return ours(uri).filter((d) => codeOf(d) === code);
}

/** 0-based line of the first line containing `marker` (the examples mark each mistake with a comment). */
export function lineOf(doc: vscode.TextDocument, marker: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(marker)) return i;
  throw new Error(`no line with ${JSON.stringify(marker)} in ${doc.uri.path}`);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  return JSON.stringify(
    vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line}:${d.source}/${codeOf(d)}: ${d.message}`),
  );
}

/** `count` separate one-character edits at the end of `doc` (each is its own didChange). */
export async function typeBurst(doc: vscode.TextDocument, count: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  for (let i = 0; i < count; i++) {
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const ok = await editor.edit((b) => b.insert(end, i === 0 ? '\n#' : '#'));
    assert.ok(ok, 'edit applied');
  }
}

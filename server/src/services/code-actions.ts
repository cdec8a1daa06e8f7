import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, TextEditSpec } from '../engine/types';
import { keepsYamlValid } from '../fixes/edits';
import { editsConflict, fixedText } from './apply-edits';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { disableLineEdit } from './disable-comment';

/** Our fix-all kind, for `editor.codeActionsOnSave: { "source.fixAll.sidecarPods": "explicit" }`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.sidecarPods`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export interface CodeActionRequest {
  /** The document as the server holds it now. */
  document: TextDocument;
  /** Findings of the current model (file offsets), as the linter returns them. */
  findings: readonly Finding[];
  /** CodeActionContext.diagnostics: the editor's diagnostics in the requested range. */
  diagnostics: readonly Diagnostic[];
  /** CodeActionContext.only. */
  only?: readonly string[] | undefined;
  /** The client takes versioned edits (WorkspaceEdit.documentChanges): a stale edit is refused. */
  documentChanges: boolean;
  log?: (message: string) => void;
}

/**
 * Quick fixes for the editor's diagnostics in the request, and the fix-all source action. Fixes
 * come from the finding that matches a diagnostic (rule, range and message) in the current model; a
 * diagnostic published for an older version of the document gets nothing, since its range may no
 * longer point where the finding was.
 */
export function codeActions(req: CodeActionRequest): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wants(req.only, CodeActionKind.QuickFix)) actions.push(...quickFixes(req));
  if (req.only && wants(req.only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(req);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/** `only` asks for `kind` when it names it or a parent of it (`source` covers `source.fixAll.x`). */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function quickFixes(req: CodeActionRequest): CodeAction[] {
  const { document } = req;
  const text = document.getText();
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const diagnostic of req.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
    if (isStale(diagnostic, document.version)) continue;
    const finding = req.findings.find((f) => matches(f, diagnostic, document));
    if (!finding) continue;
    for (const fix of computeFixes(finding, req.log)) {
      const after = fixedText(text, fix.edits);
      if (after === undefined || !keepsYamlValid(text, after)) continue;
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(req, fix.edits),
      };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
    const line = document.positionAt(finding.range.start).line;
    const key = `${finding.rule}\u0000${line}`;
    if (disabled.has(key)) continue;
    disabled.add(key);
    const edit = disableLineEdit(text, finding.rule, finding.range.start);
    if (edit) {
      actions.push({
        title: `Disable ${finding.rule} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(req, [edit]),
      });
    }
  }
  return actions;
}

/**
 * Every safe fix of the file in one edit. Fixes whose edits conflict with one already taken wait
 * for a next round (the next save); a fix that would leave the YAML broken is dropped.
 */
function fixAllAction(req: CodeActionRequest): CodeAction | undefined {
  const text = req.document.getText();
  const seen = new Set<string>();
  const candidates: Fix[] = [];
  for (const finding of req.findings) {
    for (const fix of computeFixes(finding, req.log)) {
      if (!fix.safe || fix.edits.length === 0 || fixedText(text, fix.edits) === undefined) continue;
      // two findings may ask for the same edit (two mounts of one missing volume)
      const key = JSON.stringify(fix.edits);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(fix);
    }
  }
  const taken: Fix[] = [];
  for (const fix of candidates) {
    if (taken.some((t) => editsConflict(t.edits, fix.edits))) continue;
    taken.push(fix);
  }
  // each taken fix is well-formed and none touches another, so their edits apply together
  let edits = taken.flatMap((f) => f.edits);
  if (!keepsYamlValid(text, fixedText(text, edits)!)) {
    // rare: fixes that are fine alone but not together; keep those that stay valid one by one
    edits = [];
    let current = text;
    for (const fix of taken) {
      const next = fixedText(text, [...edits, ...fix.edits])!;
      if (!keepsYamlValid(current, next)) continue;
      edits.push(...fix.edits);
      current = next;
    }
  }
  if (edits.length === 0) return undefined;
  return {
    title: 'Fix all safely fixable Sidecar Pods problems',
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(req, edits),
  };
}

function isStale(diagnostic: Diagnostic, version: number): boolean {
  const data = diagnostic.data as { version?: unknown } | undefined;
  // Clients that do not hand `data` back (it is optional before LSP 3.16) still get fixes: the
  // finding must then match rule, range and message exactly, which a shifted diagnostic rarely does.
  return typeof data?.version === 'number' && data.version !== version;
}

function matches(f: Finding, d: Diagnostic, document: TextDocument): boolean {
  if (f.rule !== d.code || f.message !== d.message) return false;
  const start = document.positionAt(f.range.start);
  const end = document.positionAt(f.range.end);
  return (
    start.line === d.range.start.line &&
    start.character === d.range.start.character &&
    end.line === d.range.end.line &&
    end.character === d.range.end.character
  );
}

/** A rule's fix code is as fallible as its check: a throwing one costs its fixes, nothing else. */
function computeFixes(finding: Finding, log: ((message: string) => void) | undefined): Fix[] {
  if (!finding.fixes) return [];
  try {
    return finding.fixes();
  } catch (e) {
    log?.(`fixes of rule ${finding.rule} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return [];
  }
}

function workspaceEdit(req: CodeActionRequest, edits: readonly TextEditSpec[]): WorkspaceEdit {
  const { document } = req;
  const textEdits: TextEdit[] = edits.map((e) => ({
    range: { start: document.positionAt(e.range.start), end: document.positionAt(e.range.end) },
    newText: e.newText,
  }));
  if (req.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: textEdits }] };
  }
  return { changes: { [document.uri]: textEdits } };
}

import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Location,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID } from '../rules';
import type { Finding, Severity } from '../engine/types';
import type { ConfigProblem } from '../engine/config-file';

export const DIAGNOSTIC_SOURCE = 'sidecar-pods';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** What a quick fix later needs: the finding's own data plus the version it was computed on. */
export interface DiagnosticData {
  version: number;
  [key: string]: unknown;
}

/** Where a set member's range is, for related information in another file (the workspace set knows). */
export type LocateInSet = (key: string, range: Finding['range']) => Location | undefined;

export function toDiagnostics(findings: readonly Finding[], doc: TextDocument, locate?: LocateInSet): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, doc, locate));
}

function toDiagnostic(f: Finding, doc: TextDocument, locate: LocateInSet | undefined): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: doc.positionAt(f.range.start), end: doc.positionAt(f.range.end) },
    severity: SEVERITY[f.severity],
    code: f.rule,
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data: { ...(f.data ?? {}), version: doc.version } satisfies DiagnosticData,
  };
  const docs = RULES_BY_ID.get(f.rule)?.meta.docs;
  if (docs) diagnostic.codeDescription = { href: docs };
  // a set rule's location in another file (r.key) needs that file's text for its positions: the
  // caller that holds the set (the workspace index) locates those; one it cannot is left out
  // (most findings have none: a file's every finding is converted on each keystroke)
  if (!f.related || f.related.length === 0) return diagnostic;
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of f.related) {
    if (r.key === undefined || r.key === doc.uri) {
      const range = { start: doc.positionAt(r.range.start), end: doc.positionAt(r.range.end) };
      related.push({ location: { uri: doc.uri, range }, message: r.message });
      continue;
    }
    const location = locate?.(r.key, r.range);
    if (location) related.push({ location, message: r.message });
  }
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

/** Problems of an open `.sidecar-pods.yaml`. */
export function configDiagnostics(problems: readonly ConfigProblem[], doc: TextDocument): Diagnostic[] {
  return problems.map((p) => ({
    range: { start: doc.positionAt(p.range.start), end: doc.positionAt(p.range.end) },
    severity: SEVERITY[p.severity],
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
  }));
}

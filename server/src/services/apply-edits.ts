import { parseDocumentModel } from '../model/parse';
import { splitDocuments } from '../model/split';
import type { Range } from '../model/types';
import { applyEdits } from '../fixes/edits';
import type { TextEditSpec } from '../engine/types';

/**
 * Two edits conflict when their ranges overlap, or when one inserts at a point the other touches:
 * the order of two insertions at one offset, or of an insertion at a replacement's edge, would be a
 * guess.
 */
export function conflicts(a: Range, b: Range): boolean {
  const from = Math.max(a.start, b.start);
  const to = Math.min(a.end, b.end);
  return from < to || ((a.start === a.end || b.start === b.end) && from <= to);
}

export function editsConflict(a: readonly TextEditSpec[], b: readonly TextEditSpec[]): boolean {
  return a.some((x) => b.some((y) => conflicts(x.range, y.range)));
}

/**
 * Whether `after` has no more YAML errors than `before`. Only the documents an edit changed are
 * parsed again, so checking a fix costs what the touched document costs, not the whole file.
 */
export function keepsYamlValid(before: string, after: string): boolean {
  const oldDocs = splitDocuments(before).map((c) => c.text);
  const newDocs = splitDocuments(after).map((c) => c.text);
  const oldSet = new Set(oldDocs);
  const newSet = new Set(newDocs);
  const errors = (docs: string[], other: Set<string>): number =>
    docs.filter((d) => !other.has(d)).reduce((n, d) => n + parseDocumentModel(d).yaml.errors.length, 0);
  return errors(newDocs, oldSet) <= errors(oldDocs, newSet);
}

/**
 * The text after a fix, or undefined when the fix is malformed (edits that overlap or fall outside
 * the text): a rule's bug must cost its fix, not the whole code action request.
 */
export function fixedText(text: string, edits: readonly TextEditSpec[]): string | undefined {
  if (edits.some((e) => e.range.start < 0 || e.range.end < e.range.start || e.range.end > text.length))
    return undefined;
  try {
    return applyEdits(text, edits);
  } catch {
    return undefined;
  }
}

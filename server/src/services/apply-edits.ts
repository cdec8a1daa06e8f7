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

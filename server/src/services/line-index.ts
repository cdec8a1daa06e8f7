/**
 * Where the lines of a text start (0, and after each `\n`), found with indexOf, and which line an
 * offset is on. For a long text, many times faster than scanning it character by character.
 */
export class LineIndex {
  readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 0-based line holding `offset` (binary search): the last line start at or before it. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

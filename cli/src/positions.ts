import { TextDocument } from 'vscode-languageserver-textdocument';

/** A 0-based line and character (UTF-16 code units), as in LSP. */
export interface TextPosition {
  line: number;
  character: number;
}

/**
 * Offset to position for one text, as TextDocument.positionAt gives it. Line starts are found with
 * indexOf, many times faster than TextDocument's character-by-character scan, which the CLI paid
 * for every file with a finding. A text with a CR in it (CR or CRLF line ends) goes to
 * TextDocument, which knows those line ends.
 */
export function positionsOf(text: string): (offset: number) => TextPosition {
  if (text.includes('\r')) {
    const doc = TextDocument.create('file:///x', 'yaml', 0, text);
    return (offset) => doc.positionAt(offset);
  }
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
    }
    const at = Math.max(0, Math.min(offset, text.length));
    // the last line start at or before `at`
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - starts[lo]! };
  };
}

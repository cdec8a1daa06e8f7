import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../services/line-index';

/** A 0-based line and character (UTF-16 code units), as in LSP. */
export interface TextPosition {
  line: number;
  character: number;
}

/**
 * Offset to position for one text, as TextDocument.positionAt gives it, from a LineIndex built on
 * first use: TextDocument scans the text character by character, which the CLI paid for every
 * file with a finding. A text with a CR in it (CR or CRLF line ends) goes to TextDocument, which
 * knows those line ends.
 */
export function positionsOf(text: string): (offset: number) => TextPosition {
  if (text.includes('\r')) {
    const doc = TextDocument.create('file:///x', 'yaml', 0, text);
    return (offset) => doc.positionAt(offset);
  }
  let index: LineIndex | undefined;
  return (offset) => {
    index ??= new LineIndex(text);
    const at = Math.max(0, Math.min(offset, text.length));
    const line = index.lineAt(at);
    return { line, character: at - index.starts[line]! };
  };
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-protocol';
import { FIXTURES, read } from './lint';

export interface CursorFixture {
  uri: string;
  /** The text without its marker. */
  text: string;
  position: Position;
  /** 0-based line of the first line containing `needle` (for expected locations). */
  lineOf(needle: string, nth?: number): number;
}

/**
 * A fixture with one `|` marking the cursor. Fixtures avoid YAML block scalars, so the one `|` in
 * the file is the marker.
 */
export function cursorFixture(...parts: string[]): CursorFixture {
  const file = join(FIXTURES, ...parts);
  const marked = read(file);
  const at = marked.indexOf('|');
  if (at < 0 || marked.indexOf('|', at + 1) >= 0) throw new Error(`${file}: expected exactly one | marker`);
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, text);
  const lines = text.split('\n');
  return {
    uri: pathToFileURL(file).href,
    text,
    position: doc.positionAt(at),
    lineOf(needle: string, nth = 1) {
      let seen = 0;
      const i = lines.findIndex((l) => l.includes(needle) && ++seen === nth);
      if (i < 0) throw new Error(`${file}: no line ${nth} with ${needle}`);
      return i;
    },
  };
}

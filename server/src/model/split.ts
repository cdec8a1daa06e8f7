/**
 * Splits a YAML stream into documents at `---` marker lines. In YAML 1.2 a line starting with `---`
 * followed by white space or the end of the line is always a document marker (it cannot occur
 * inside a block scalar), so this split agrees with the parser without parsing.
 * Every chunk keeps its own marker line, so chunks concatenate back to the input.
 */
export interface Chunk {
  offset: number;
  text: string;
}

// a marker line after the first line; one regular-expression scan of the text is several times
// faster than looking at every line, which matters on every keystroke in a big file
const MARKER = /\n---(?=[ \t\r\n]|$)/g;

export function splitDocuments(text: string): Chunk[] {
  const starts: number[] = [0];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) starts.push(m.index + 1);
  const chunks: Chunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    chunks.push({ offset: start, text: text.slice(start, end) });
  }
  return chunks;
}

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

const MARKER = /^---(?:[ \t\r]|$)/;

export function splitDocuments(text: string): Chunk[] {
  const starts: number[] = [0];
  let lineStart = 0;
  while (lineStart < text.length) {
    if (text.charCodeAt(lineStart) === 45 /* - */ && lineStart > 0) {
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
      if (MARKER.test(line)) starts.push(lineStart);
    }
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  const chunks: Chunk[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    chunks.push({ offset: start, text: text.slice(start, end) });
  }
  return chunks;
}

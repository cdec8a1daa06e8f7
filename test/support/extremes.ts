// Inputs at the edges: attacks and sizes no person types, but a file on disk or a generator can hold.

/** "Billion laughs": ten levels of nine aliases each, 9^10 nodes if expanded, in a pod's annotations. */
export function aliasBomb(): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: lol', '  annotations:'];
  lines.push('    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]');
  for (let i = 1; i < 10; i++)
    lines.push(
      `    a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('spec:', '  containers:', '    - name: app', '      image: nginx:1.27', '');
  return lines.join('\n');
}

/** A pod whose spec nests `depth` flow sequences. */
export function deepFlow(depth: number): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/**
 * A pod whose spec nests `depth` block mappings, one more space of indentation per level: the
 * indentation alone makes it depth²/2 characters (50 MB at 10,000 levels).
 */
export function deepBlock(depth: number): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: deep', 'spec:'];
  for (let i = 1; i <= depth; i++) lines.push(`${' '.repeat(i)}k${i}:`);
  return lines.join('\n') + '\n';
}

/** A pod whose containers nest `depth` block sequences compactly, `- - - x`: block nesting in linear size. */
export function deepCompactBlock(depth: number): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers:\n    ${'- '.repeat(depth)}x\n`;
}

/** `count` pods, each with a port conflict and an annotation of `blobChars` characters. */
export function podWithBlobs(count: number, blobChars: number): string {
  const blob = 'x'.repeat(blobChars);
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  annotations:\n    blob: "${blob}"\nspec:\n  containers:\n` +
        `    - {name: a, image: "b:1", ports: [{containerPort: 80}]}\n    - {name: b, image: "b:1", ports: [{containerPort: 80}]}\n`,
    );
  }
  return docs.join('---\n');
}

const TINY = (i: number): string => `a: ${i}\n`;
const BAD_POD = 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: "b:1"}, {name: a, image: "b:1"}]\n';

/**
 * `count` one-line documents with one pod in the middle whose container name is used twice, on
 * `findingLine` (0-based); the pod spans `podLines` (0-based, end exclusive), and nothing outside it
 * may be reported.
 */
export function manyDocuments(count: number): { text: string; findingLine: number; podLines: [number, number] } {
  const docs: string[] = [];
  const middle = Math.floor(count / 2);
  for (let i = 0; i < count; i++) docs.push(i === middle ? BAD_POD : TINY(i));
  // each tiny document and its `---` take two lines; the duplicate is on the pod's fourth line
  return { text: docs.join('---\n'), findingLine: middle * 2 + 3, podLines: [middle * 2, middle * 2 + 4] };
}

// Damaged YAML for property tests: real manifests (the rule fixtures and a slice of the corpus)
// mangled the ways files get mangled in the wild and in an editor mid-keystroke.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { CORPUS, corpusAvailable, corpusRows } from './corpus';
import { FIXTURES } from './lint';

function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFilesUnder(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * Every fixture (they reach each rule, findings and fixes included) plus every `step`-th small
 * ordinary corpus file (real layouts: comments, anchors, flow style, lists of objects).
 */
export function seedTexts(step = 25, maxBytes = 6000): string[] {
  const texts = yamlFilesUnder(FIXTURES).map((p) => readFileSync(p, 'utf8'));
  // the corpus is optional here: without it, the fixtures alone are a fine seed
  if (!corpusAvailable()) return texts;
  corpusRows().forEach((row, i) => {
    if (i % step !== 0 || !row.localFile || row.notes) return;
    const text = readFileSync(join(CORPUS, row.localFile), 'utf8');
    if (text.length <= maxBytes) texts.push(text);
  });
  return texts;
}

type Mutation = (text: string) => string;

const lines = (text: string): string[] => text.split('\n');
const clampIndex = (n: number, length: number): number => (length === 0 ? 0 : n % length);

/** One way of damaging a text; positions are fractions so they fit any text. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // delete a run of lines
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([at, n]): Mutation => (t) => {
    const ls = lines(t);
    ls.splice(clampIndex(at, ls.length), n);
    return ls.join('\n');
  }),
  // re-indent a line: more, less, or with tabs
  fc
    .tuple(fc.nat(), fc.constantFrom('', ' ', '   ', '\t', ' \t', '          '))
    .map(([at, indent]): Mutation => (t) => {
      const ls = lines(t);
      const i = clampIndex(at, ls.length);
      ls[i] = indent + (ls[i] ?? '').trimStart();
      return ls.join('\n');
    }),
  // duplicate or move a line (duplicate keys, items under the wrong parent)
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]): Mutation => (t) => {
    const ls = lines(t);
    ls.splice(clampIndex(to, ls.length + 1), 0, ls[clampIndex(from, ls.length)] ?? '');
    return ls.join('\n');
  }),
  // truncate (a file cut off mid-save, or half-typed)
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Mutation =>
      (t) =>
        t.slice(0, Math.floor(t.length * f)),
  ),
  // splice in random text: any code point, lone surrogates, YAML indicators
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.string({ unit: fc.constantFrom(...':-?[]{},&*!|>\'"%@`#\n\t \r'), maxLength: 12 }),
      ),
    )
    .map(([f, s]): Mutation => (t) => {
      const at = Math.floor(t.length * f);
      return t.slice(0, at) + s + t.slice(at);
    }),
  // random bytes decoded as UTF-8 (invalid sequences become U+FFFD, as an editor shows them)
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ minLength: 1, maxLength: 40 }))
    .map(([f, bytes]): Mutation => {
      const s = new TextDecoder('utf-8').decode(bytes);
      return (t) => {
        const at = Math.floor(t.length * f);
        return t.slice(0, at) + s + t.slice(at);
      };
    }),
  // flip bytes of the encoded text, then decode it again
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]): Mutation => (t) => {
    const bytes = Buffer.from(t, 'utf8');
    if (bytes.length > 0) bytes[at % bytes.length]! ^= xor;
    return new TextDecoder('utf-8').decode(bytes);
  }),
  // a very long line
  fc.tuple(fc.nat(), fc.integer({ min: 10_000, max: 100_000 })).map(([at, n]): Mutation => (t) => {
    const ls = lines(t);
    const i = clampIndex(at, ls.length);
    ls[i] = (ls[i] ?? '') + 'x'.repeat(n);
    return ls.join('\n');
  }),
  fc.constant<Mutation>((t) => t.replace(/\r?\n/g, '\r\n')),
  fc.constant<Mutation>((t) => t.replace(/\n/g, '\r')), // classic Mac line ends
  fc.constant<Mutation>((t) => '\uFEFF' + t),
  fc.constant<Mutation>((t) => t.replace(/^( +)/gm, (s) => '\t'.repeat(Math.ceil(s.length / 2)))),
  fc.constant<Mutation>((t) => `${t}\n---\n${t}`), // one more document
  fc.constant<Mutation>((t) => t.replace(/\n/, '\n\0')),
);

/** A seed text with one to four mutations applied, or a few pure-noise inputs. */
export function mutatedYaml(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 20,
        arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constant(''), fc.constant<Mutation[]>([])),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(
          fc.uint8Array({ maxLength: 400 }).map((b) => new TextDecoder('utf-8').decode(b)),
          fc.constant<Mutation[]>([]),
        ),
      },
    )
    .map(([seed, mutations]) => mutations.reduce((t, m) => m(t), seed));
}

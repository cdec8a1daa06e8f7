// The block-YAML fast path (server/src/model/block-yaml.ts) against `yaml` itself: whenever it
// takes a text, its tree must be the one parseDocument builds (node classes, values, scalar types,
// sources and every range) with no error in `yaml`'s parse; whatever it is unsure of, it leaves.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { parseBlockYaml, toPlainValue } from '../../server/src/model/block-yaml';
import { splitDocuments } from '../../server/src/model/split';
import { CORPUS, corpusRows, describeCorpus } from '../support/corpus';
import { generateManifest } from '../support/manifests';
import { mutatedYaml, seedTexts } from '../support/mutations';

// the options parse.ts gives both parsers
const OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: false, logLevel: 'error' } as const;

/** Everything of a tree the server reads, and the ranges and sources it does not (yet). */
function shape(node: unknown): unknown {
  if (isMap(node) || isSeq(node)) {
    const items = node.items.map((item) =>
      isMap(node) ? [shape((item as { key: unknown }).key), shape((item as { value: unknown }).value)] : shape(item),
    );
    return { class: node.constructor.name, flow: node.flow ?? false, range: node.range, items };
  }
  if (isScalar(node)) {
    const value = node.value;
    return {
      class: node.constructor.name,
      value: typeof value === 'number' && Number.isNaN(value) ? 'NaN' : value,
      valueType: typeof value,
      type: node.type,
      format: node.format,
      source: node.source,
      minFractionDigits: node.minFractionDigits,
      range: node.range,
    };
  }
  return { other: String(node) };
}

function summary(doc: Document.Parsed): unknown {
  return { contents: shape(doc.contents), js: doc.toJS(), docStart: doc.directives.docStart ?? false };
}

/** Every document of every corpus file, and where it is. */
function* corpusDocuments(): Generator<{ text: string; where: string }> {
  for (const row of corpusRows()) {
    const text = readFileSync(join(CORPUS, row.localFile), 'utf8');
    for (const chunk of splitDocuments(text)) yield { text: chunk.text, where: `${row.localFile} at ${chunk.offset}` };
  }
}

/** fast-check's runs: `runs` unless FUZZ_RUNS says more (FUZZ_SEED picks another sequence). */
function fuzz(runs: number): fc.Parameters<unknown> {
  return { numRuns: Number(process.env.FUZZ_RUNS ?? runs), seed: Number(process.env.FUZZ_SEED ?? 11) };
}

/**
 * Compares generated documents (see compare), and checks that at least `atLeast` of those whose
 * `what` goes over several lines were taken.
 */
function compareOverSeveralLines(
  documents: fc.Arbitrary<{ text: string; multiLine: boolean }>,
  what: string,
  atLeast: number,
): void {
  let taken = 0;
  fc.assert(
    fc.property(documents, ({ text, multiLine }) => {
      if (compare(text, `${what} over several lines`) && multiLine) taken++;
    }),
    fuzz(1500),
  );
  assert.ok(taken >= atLeast, `only ${taken} ${what} over several lines were taken and compared`);
}

/** Parses with both when the fast path takes the text; false when it leaves it. */
function compare(text: string, where: string): boolean {
  const fast = parseBlockYaml(text, OPTIONS);
  if (!fast) return false;
  const slow = parseDocument(text, OPTIONS);
  assert.deepEqual(slow.errors, [], `${where}: the fast path took a text with errors:\n${text}`);
  assert.deepEqual(summary(fast), summary(slow), `${where}:\n${text}`);
  assert.deepEqual(toPlainValue(fast.contents), slow.toJS(), `${where}: the plain value:\n${text}`);
  return true;
}

describe('block-YAML fast path', () => {
  it('builds the same tree as yaml for what it takes', () => {
    const cases = [
      'a: 1\n',
      '---\napiVersion: v1\nkind: Pod\n',
      '# head\n\napiVersion: v1 # trailing\nkind:   Pod   \n\nmetadata:\n  name: x\n',
      'a:\n  b: 1\n    # deeper\n  # same\n# outer\nc: 2  \n\n# end\n',
      'a:\n  - x\n  # same\n  - y   # c\n    # deeper\nc:    \nd: |-\n  x\n\n\ne: >\n  a\n  b\n\n  c\n',
      'f: [ a , "b" ] # c\ng: {}\nh:  "q" \ni: []\nj: [1, 2.50, true, null, ~]\n',
      // flow collections over several lines, as JSON-minded tools and people write them
      'args: [\n  "--a",\n  "--b"\n]\ncommand: ["sh", "-c",\n  "x"]   # c\nz: 1\n',
      'a:\n  b: {\n    c: [1,\n      2 ],\n    d: x\n  }\n  e: 2\n',
      '- [\n  1\n  ]\n- {a: 1,\n   b: 2}\n',
      // comments before the items of a flow collection over several lines
      'command: ["/proxy", "-instances=x=tcp:3306",\n  # If running on a VPC:\n  # "-ip_address_types=PRIVATE",\n  "-credential_file=/k.json"]\nz: 1\n',
      'a: [ # c\n  1, # d\n  2]\n',
      // quoted scalars over several lines, folded as yaml folds them
      'a: "one\n  two\n\n  three \\\n    four\\\\\n  five"  # c\nb: 1\n',
      "a:\n- 'it''s\n   folded  \n\n\n   here'\n- \"x\n  \"\n",
      'command:\n- sh\n- "pip install \'hf==0.24\' && \\\n  huggingface-cli download x --local-dir=/data"\n',
      // Windows line ends, on every line or some
      'a: 1\r\nb: |\r\n  x\r\n\r\n  y\r\nc: "q\r\n  r" # c\r\nd: [1,\r\n  2]\r\n',
      'a:\r\n  - x\n  # c\r\n  - y\nz: >-\r\n  f\n  g\r\n',
      // a document that is one flow collection: JSON, as `kubectl get -o json` writes it
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {\n        "name": "a",\n        "ports": [\n          {\n            "containerPort": 80\n          }\n        ]\n      }\n    ]\n  }\n}\n',
      '---\n# head\n[1, {"a": [\n]}] # c\n# after\n\n',
      'list:\n- a\n-   b: 2\n    c: 3\n-\n- - x\n  - y\nz: |\n  hi\n  there\n',
      'spec:\n  containers:\n  - name: a\n    image: b\n    # about c\n  # about d\n  volumes: []\n',
      'spec:\n  containers:\n  - name: a\n      # deep\n\n    # less\n  # least\nafter: 1\n',
      '__proto__: 1\nconstructor: 2\ntoString: [a]\n~: 3\n1: 4\ntrue: 5\n',
      'n: 0o17\nh: 0x1F\nf: 1e3\ni: -.inf\nnan: .NaN\nb: False\nnull: ~\nt: 2024-01-01\ns: yes\n',
      "\"quoted key\": 'it''s'\n'single': \"esc \\\" \\\\ \\n \\u00e9\"\n",
      'a: |\n  x\n\n  y\nb: >-\n  one\n  two\n\n\n  three\n',
      'only: |\n  last line without a newline',
      'deep:\n  deeper:\n    deepest: 1\n  # between\nback: 2\n',
      'seq:\n  - a\n  # inside\n# outside\nnext: 1\n',
      'items:\n- a: 1\n  b:\n  - x\n  c: 2\n',
      '  - kind: Pod\n    spec: {}\n  - kind: Job\n',
      // long plain values wrapped onto the lines below, as Go's YAML encoder writes them
      'args:\n- /bin/cp a b\n  /var/run/c   \n- x\nvalue: -XX:+A -XX:+B  \n  -D=file:/dev/./urandom\n\n    last\nnext: 1\n',
      'a: 1\n   2\nb: true  \n  false\nc: one # not continued\n',
      // a continued line that starts with what would open a quoted scalar or a collection on a first line
      'description: a duration (e.g.\n  "2m", "1h")\nb: x\n  \'y\' [z] {w} &v *u !t |s >r @q `p ,o ]n }m\n',
      // one-line flow collections, nested, with the spacing people type
      'a: {x: 1, y: [p, {q: r}] }  # c\n',
      '- {name: a , image: "b:1", ports: [{containerPort: 80}]}\n- [[], {}]\n',
      'a: {x  : 1 ,y: 2}\nb: {"x": 1, \'y\' : 2, 3: [ -1 , a b ]}\nc: { }\n',
      'a: {x: 1, y: 2} # c\n  # d\nb: 1\n',
    ];
    for (const text of cases) assert.ok(compare(text, 'case'), `the fast path left a case it should take:\n${text}`);
  });

  it('leaves to yaml what it is not sure of', () => {
    const left = [
      'a: &x 1\nb: *x\n', // anchors and aliases
      // an empty item after a comment line between items: yaml stretches its range over what follows
      'a:\n  - 1\n# c\n  -\n',
      'a:\n  - 1\n# c\n  -\n  - 2\n',
      'a: !!str 1\n', // tags
      '? a\n: b\n', // explicit keys
      'a: 1\na: 2\n', // a duplicate key, which yaml reports
      'a: one\n  two # a comment\n', // a comment after a continued line
      'a: one\n  two: three\n', // a key where a continued line should be
      'a: one\n  %two\n', // a continued line starting with a directive's indicator
      'a: one\n  - two\n', // or with a sequence item's
      'a: one\n  # a comment\n  two\n', // a comment within a plain scalar
      'a: "one  \n  two"\n', // spaces at the end of a line of a quoted scalar (an escaped one stays)
      'a: "one\\\n\n  two"\n', // a blank line after an escaped line break
      'a:\n  b: "one\n  two"\n', // a quoted scalar's line not indented under its key
      'a: [1 # c\n  , 2]\n', // a comment between an item and its comma
      'a:\tb\n', // tabs
      'a: 1\rb: 2\r', // CR line ends without a line feed
      'a: {b: 1,}\n', // a trailing comma in a flow collection
      'a: {b:1}\n', // a plain `b:1` key without a value
      'a: {b: }\n', // a key with an empty value
      'a: {b}\n', // a key without a value
      'a: {"b":1}\n', // a JSON-like key
      'a: [b: 1]\n', // a pair in a flow sequence
      'a: [-]\n', // a block sequence indicator in a flow sequence
      'a: {b: c]}\n', // a stray bracket
      'a: {b: 1, b: 2}\n', // a duplicate key in a flow map
      'a: [1,\n\n  2]\n', // a blank line in a flow collection (yaml marks the item after it)
      'a: [\n1]\n', // a flow collection's line not indented under its key
      'a:\n  b: [\n  1]\n', // nor here
      'a: ["x\n  y"]\n', // a quoted scalar over two lines in a flow collection
      'a: [x\n  y]\n', // a plain one
      'a: {b:\n  1}\n', // a flow map's value on the line below its key
      '{"a": 1}\nb: 2\n', // more after a document's flow collection
      '{"a": [\n...\n]}\n', // a document end marker inside one
      '{"a":1}\n', // a JSON key and its value without a space between
      'a: |+\n  x\n\n', // keep chomping
      'a: |2\n   x\n', // an explicit indentation indicator
      'a: >\n  x\n    more\n  y\n', // a more-indented line in a folded scalar
      'a: b: c\n', // a mapping where a scalar ends
      'a:\n  b: 1\n c: 2\n', // bad indentation
      'a: # a comment and nothing else\nb: 1\n', // an empty value with a comment
      '- a\nb: 1\n', // a sequence then a map at one column
      'a: 1\n---\nb: 2\n', // two documents
      'a: "\\x41"\n', // an escape JSON does not have
      '%YAML 1.2\n---\na: 1\n', // a directive
      'plain\n', // a scalar document
      '', // nothing
      Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n', // nesting deeper than any manifest
    ];
    for (const text of left) assert.equal(parseBlockYaml(text, OPTIONS), undefined, `took:\n${text}`);
  });

  describeCorpus('over the corpus', () => {
    it('builds the same tree as yaml for the documents of the corpus, and takes most of them', () => {
      let documents = 0;
      let taken = 0;
      for (const { text, where } of corpusDocuments()) {
        documents++;
        if (compare(text, where)) taken++;
      }
      // the fast path is only worth having if real manifests take it
      assert.ok(taken >= 0.8 * documents, `the fast path took ${taken} of ${documents} corpus documents`);
    });

    it('builds the same tree as yaml for the documents of the corpus with CRLF line ends, or with some', () => {
      let documents = 0;
      let taken = 0;
      for (const { text, where } of corpusDocuments()) {
        if (text.includes('\r')) continue;
        documents++;
        if (compare(text.replace(/\n/g, '\r\n'), `${where}, CRLF`)) taken++;
        // every other line (an editor's mixed ends)
        let n = 0;
        compare(
          text.replace(/\n/g, () => (n++ % 2 === 0 ? '\r\n' : '\n')),
          `${where}, some CRLF`,
        );
      }
      assert.ok(
        taken >= 0.8 * documents,
        `the fast path took ${taken} of ${documents} corpus documents with CRLF ends`,
      );
    });
  });

  it('takes every document of the generated benchmark manifests', () => {
    const { text } = generateManifest(3000);
    const chunks = splitDocuments(text);
    for (const chunk of chunks) assert.ok(compare(chunk.text, `generated at ${chunk.offset}`));
  });

  it('builds the same tree as yaml for one-line flow collections, or leaves them (property)', () => {
    // flow collections with random spacing, some with a stray indicator put in
    const scalar = fc.constantFrom('a', 'b c', '1', '-1', 'true', '~', '"q"', "'s'", '"x:y"', '-', 'a#b', 'k:v', '');
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc
          .tuple(fc.array(tie('node'), { maxLength: 4 }), fc.constantFrom('', ' ', '  '))
          .map(([items, sp]) => `[${sp}${items.join(`${sp},${sp === '' ? ' ' : sp}`)}${sp}]`),
        fc
          .tuple(fc.array(fc.tuple(scalar, tie('node')), { maxLength: 4 }), fc.constantFrom('', ' ', '  '))
          .map(([pairs, sp]) => `{${sp}${pairs.map(([k, v]) => `${k}${sp}: ${v}`).join(`${sp}, `)}${sp}}`),
      ),
    }));
    const documents = fc
      .tuple(
        node,
        fc.constantFrom('k: ', '- ', 'a:\n  b: ', 'a:\n- '),
        fc.nat(),
        fc.constantFrom('', ',', ':', ']', '}', '[', '{', ' ', '#', '\n'),
      )
      .map(([flow, head, at, stray]) => {
        const text = `${head}${flow}\nnext: 1\n`;
        const i = at % text.length;
        return text.slice(0, i) + stray + text.slice(i);
      });
    let compared = 0;
    fc.assert(
      fc.property(documents, (text) => {
        if (compare(text, 'flow')) compared++;
      }),
      fuzz(1500),
    );
    assert.ok(compared >= 300, `only ${compared} flow documents were taken and compared`);
  });

  it('builds the same tree as yaml for flow collections over several lines, or leaves them (property)', () => {
    // a line break, with any indentation, wherever a flow collection may have space; some blank
    // lines and comments, which the fast path leaves to yaml
    const scalar = fc.constantFrom('a', 'b c', '1', 'true', '~', '"q"', "'s'", '-', 'k:v', '"x,y"');
    const GAP = '\u0001';
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${GAP}${items.join(`${GAP},${GAP}`)}${GAP}]`),
        fc
          .array(fc.tuple(scalar, tie('node')), { maxLength: 4 })
          .map((pairs) => `{${GAP}${pairs.map(([k, v]) => `${k}: ${v}`).join(`${GAP},${GAP}`)}${GAP}}`),
      ),
    }));
    // mostly breaks indented enough for every head below; some too shallow for some heads, a few
    // blank lines and comments
    const deep = ['', ' ', '\n      ', '\n       ', '\n        ', '  \n         '];
    const gaps = [...deep, ...deep, ...deep, '\n', '\n  ', '\n    ', '\n     ', '\n\n      ', '\n  # c\n      '];
    const heads = ['k: ', '- ', 'a:\n  b: ', 'a:\n- ', 'a:\n  - b: ', 'a:\n    - ', '', '---\n'];
    const documents = fc
      .tuple(node, fc.constantFrom(...heads), fc.array(fc.nat(gaps.length - 1), { minLength: 1, maxLength: 40 }))
      .map(([flow, head, picks]) => {
        let i = 0;
        const body = flow
          .split(GAP)
          .reduce((out, part, k) => out + (k === 0 ? '' : gaps[picks[i++ % picks.length]!]!) + part, '');
        // after a document's own flow collection, a comment; after a value, the next key
        return {
          text: `${head}${body}\n${head.endsWith(' ') ? 'next: 1' : '# end'}\n`,
          multiLine: body.includes('\n'),
        };
      });
    compareOverSeveralLines(documents, 'flow collections', 100);
  });

  it('builds the same tree as yaml for quoted scalars over several lines, or leaves them (property)', () => {
    // words, spaces, escapes and quotes broken onto lines at random, indented at random
    const piece = fc.constantFrom('a', 'b c', ' ', '  ', '\\\\', '\\"', '\\n', '\\', "''", '#', ': ', '\\ ', '\\t');
    const gap = fc.constantFrom(
      '\n',
      '\n ',
      '\n  ',
      '\n    ',
      '\n      ',
      ' \n   ',
      '\n\n   ',
      '\n   \n   ',
      '\\\n   ',
    );
    const documents = fc
      .tuple(
        fc.array(fc.oneof({ arbitrary: piece, weight: 3 }, { arbitrary: gap, weight: 1 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom('"', "'"),
        fc.constantFrom('k: ', '- ', 'a:\n  b: ', 'a:\n  - '),
      )
      .map(([pieces, quote, head]) => {
        let body = pieces.join('');
        // a single-quoted scalar has no escapes: its backslashes are text, its quotes doubled
        if (quote === "'") body = body.replace(/"/g, '');
        else body = body.replace(/''/g, '');
        return { text: `${head}${quote}${body}${quote}\nnext: 1\n`, multiLine: body.includes('\n') };
      });
    compareOverSeveralLines(documents, 'quoted scalars', 150);
  });

  it('builds the same tree as yaml for JSON documents, and takes those with space after colons (property)', () => {
    let taken = 0;
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())),
        fc.integer({ min: 0, max: 4 }),
        (value, indent) => {
          const text = `${JSON.stringify(value, null, indent)}\n`;
          const took = compare(text, 'JSON');
          // JSON.stringify puts a space after a colon only when it indents
          if (indent > 0) assert.ok(took, `the fast path left JSON it should take:\n${text}`);
          if (took) taken++;
        },
      ),
      fuzz(500),
    );
    assert.ok(taken >= 200, `only ${taken} JSON documents were taken and compared`);
  });

  it('builds the same tree as yaml for edited documents, or leaves them (property)', () => {
    const seeds = seedTexts(10).flatMap((t) => splitDocuments(t).map((c) => c.text));
    // edits a person makes while typing: comment and blank lines at any indentation, moved lines
    const typing = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.nat(),
        fc.integer({ min: 0, max: 12 }),
        fc.oneof(
          { arbitrary: fc.constantFrom('# note', '#', ''), weight: 4 },
          { arbitrary: fc.constantFrom('more words', '-more', '1', 'x # c'), weight: 2 },
          { arbitrary: fc.constantFrom('- x', 'k: v', '|', 'k: |', 'k:', '-'), weight: 1 },
        ),
      )
      .map(([text, at, indent, line]) => {
        const lines = text.split('\n');
        lines.splice(at % (lines.length + 1), 0, ' '.repeat(indent) + line);
        return lines.join('\n');
      });
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: mutatedYaml(seeds), weight: 1 }, { arbitrary: typing, weight: 2 }), (text) => {
        for (const chunk of splitDocuments(text)) if (compare(chunk.text, 'edited')) compared++;
      }),
      fuzz(1500),
    );
    assert.ok(compared >= 500, `only ${compared} edited documents were taken and compared`);
  });
});

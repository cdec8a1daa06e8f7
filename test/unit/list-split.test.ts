// A big `kind: List` is parsed and checked one item at a time (model/split.ts splitList). These
// tests hold that to its promise: where it splits, every finding, fix and outline entry is exactly
// what the whole List gives; where splitting could change a meaning, it leaves the List whole.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { ModelCache } from '../../server/src/model/file-model';
import { splitDocuments, splitList } from '../../server/src/model/split';
import type { FileModel } from '../../server/src/model/types';
import type { Finding, TextEditSpec } from '../../server/src/engine/types';
import { applyEdits } from '../../server/src/fixes/edits';
import { Linter, withoutFixes } from '../../server/src/engine/linter';
import { completions } from '../../server/src/services/completion';
import { hover } from '../../server/src/services/hover';
import { definition } from '../../server/src/services/navigation';
import { documentSymbols } from '../../server/src/services/symbols';
import { CORPUS, describeCorpus } from '../support/corpus';
import { asList, generateManifest } from '../support/manifests';

const ALL_ON = { ...DEFAULT_SETTINGS, rules: {} };

const split = (): ModelCache => new ModelCache({ listSplitMinChars: 0 });
const whole = (): ModelCache => new ModelCache({ listSplitMinChars: Infinity });

function lint(file: FileModel): Finding[] {
  return new Linter(undefined, (m) => assert.fail(m)).lint(file, ALL_ON, { withFixes: true });
}

/** What a text means: the value of each document, and whether it parses. */
function meaning(text: string): unknown {
  return parseAllDocuments(text).map((d) => ({ value: d.toJS(), errors: d.errors.length }));
}

/**
 * The same findings, to the character, and fixes that do the same thing: the same titles, and
 * texts that mean the same once applied (a fix in an item parsed on its own may indent as the
 * item does where the whole List's first lines would have suggested otherwise).
 */
function assertSame(text: string, what: string): void {
  const a = split().parseFile(text);
  const b = whole().parseFile(text);
  const fa = lint(a);
  const fb = lint(b);
  assert.deepEqual(fa.map(withoutFixes), fb.map(withoutFixes), `findings of ${what}`);
  fa.forEach((f, i) => {
    const xa = f.fixes?.() ?? [];
    const xb = fb[i]!.fixes?.() ?? [];
    assert.deepEqual(
      xa.map((x) => x.title),
      xb.map((x) => x.title),
      `fixes of ${f.rule} in ${what}`,
    );
    xa.forEach((x, j) => {
      const after = (edits: TextEditSpec[]): unknown => meaning(applyEdits(text, edits));
      assert.deepEqual(after(x.edits), after(xb[j]!.edits), `"${x.title}" in ${what}`);
    });
  });
  const doc = TextDocument.create('file:///list.yaml', 'yaml', 1, text);
  assert.deepEqual(documentSymbols(a, doc), documentSymbols(b, doc), `outline of ${what}`);
  // hovers, completions and definitions at the first character of every tenth line and at its end
  for (let line = 0; line < doc.lineCount; line += 10) {
    const lineText = text.split('\n')[line] ?? '';
    for (const character of [lineText.length - lineText.trimStart().length, lineText.length]) {
      const at = { line, character };
      assert.deepEqual(hover(a, doc, at), hover(b, doc, at), `hover at ${line}:${character} of ${what}`);
      assert.deepEqual(definition(a, doc, at), definition(b, doc, at), `definition at ${line}:${character}`);
      assert.deepEqual(completions(a, doc, at), completions(b, doc, at), `completion at ${line}:${character}`);
    }
  }
}

describe('big Lists, one item at a time', function () {
  this.timeout(60_000);
  const { text: manifest } = generateManifest(600);

  it('splits a block-style List into its items, the rest before and after, and nothing lost', () => {
    for (const indent of [0, 2]) {
      const text = asList(manifest, indent, '# between items\n');
      const parts = splitList({ offset: 10, text }, 0)!;
      assert.ok(parts, `items at indentation ${indent}`);
      assert.equal(parts.map((p) => p.text).join(''), text, 'the parts concatenate back');
      for (const p of parts) assert.equal(text.slice(p.offset - 10, p.offset - 10 + p.text.length), p.text);
      assert.deepEqual(
        [parts[0]!.part, parts.at(-1)!.part],
        ['list-rest', 'list-rest'],
        '`apiVersion`/`items:` before, `kind`/`metadata` after',
      );
      assert.equal(parts.filter((p) => p.part === 'list-item').length, manifest.split(/^---\n/m).length);
    }
  });

  it('leaves a List whole where splitting could change what it means', () => {
    const list = asList(manifest, 2);
    const cases: Record<string, string> = {
      'a small List (by default)': asList(generateManifest(50).text, 2),
      'not a List': manifest,
      anchors: list.replace('name: app\n', 'name: &n app\n'),
      aliases: list.replace('image: nginx', 'image: *img'),
      tabs: list.replace('      ports:', '\t  ports:'),
      'a List of a custom API group': list.replace('apiVersion: v1\nitems:', 'apiVersion: example.com/v1\nitems:'),
      'another kind of list': list.replace('kind: List', 'kind: ResourceList'),
      'a template': list.replace('name: app\n', 'name: {{ .Values.name }}\n'),
      'a comment disabling a rule for the whole document': `# sidecar-pods-disable image-tag\n${list}`,
      'items in flow style': 'apiVersion: v1\nkind: List\nitems: [{kind: Pod}, {kind: Pod}]\n'.padEnd(70_000, '\n'),
      'a flow collection going on at the left margin': list.replace(
        '  - apiVersion: batch/v1',
        '  - args: [a,\nb]\n    apiVersion: batch/v1',
      ),
      'one item': asList(manifest.split(/^---\n/m)[0]!, 2),
      'two top-level kinds': `kind: Pod\n${list}`,
      // a duplicate key the whole List reports; split, the two would sit in different parts
      'a top-level key before and after the items': list.replace('apiVersion: v1\n', 'apiVersion: v1\nmetadata: {}\n'),
    };
    for (const [name, text] of Object.entries(cases)) {
      const minChars = name.startsWith('a small') ? undefined : 0;
      const chunks = splitDocuments(text).flatMap((c) => splitList(c, minChars) ?? []);
      assert.deepEqual(chunks, [], name);
    }
  });

  it('finds, fixes and outlines exactly what the whole List gives', () => {
    for (const indent of [0, 2]) assertSame(asList(manifest, indent, '\n# between items\n'), `items at ${indent}`);
    // and with something to fix in every item: a classic sidecar (convert), a missing volume...
    const troubled = asList(manifest, 0)
      .replace(/restartPolicy: Always\n/g, '')
      .replace(/name: logs\n(\s+)emptyDir: \{\}/g, 'name: lost\n$1emptyDir: {}');
    assertSame(troubled, 'a List with findings');
  });

  describeCorpus('over the corpus', () => {
    it('agrees with the whole List on every List of the corpus', () => {
      let lists = 0;
      const files = join(CORPUS, 'files');
      for (const dir of readdirSync(files)) {
        for (const name of readdirSync(join(files, dir))) {
          const text = readFileSync(join(files, dir, name), 'utf8');
          if (!splitDocuments(text).some((c) => splitList(c, 0))) continue;
          lists++;
          assertSame(text, name);
        }
      }
      assert.ok(lists >= 2, `${lists} corpus files with a List to split`);
    });
  });

  it('agrees with the whole List on edited Lists that still parse', () => {
    const list = asList(generateManifest(150).text, 2);
    const lines = list.split('\n');
    // an edit as typed: a line removed, duplicated, given more or less indentation, a comment or a
    // blank line put before it, a character typed at its end
    const edit = fc.tuple(
      fc.nat(lines.length - 1),
      fc.constantFrom('drop', 'dup', 'in', 'out', 'comment', 'blank', 'type'),
    );
    let compared = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const edited = [...lines];
        for (const [at, how] of edits) {
          const i = Math.min(at, edited.length - 1);
          if (how === 'drop') edited.splice(i, 1);
          else if (how === 'dup') edited.splice(i, 0, edited[i]!);
          else if (how === 'in') edited[i] = `  ${edited[i]}`;
          else if (how === 'out') edited[i] = edited[i]!.replace(/^ {1,2}/, '');
          else if (how === 'comment') edited.splice(i, 0, `${/^ */.exec(edited[i]!)![0]}# note`);
          else if (how === 'blank') edited.splice(i, 0, '');
          else edited[i] = `${edited[i]}x`;
        }
        const text = edited.join('\n');
        const parsesWhole = whole()
          .parseFile(text)
          .documents.every((d) => d.model.syntaxErrors.length === 0);
        // broken YAML may read differently item by item (other messages): the promise is for YAML that parses
        if (!parsesWhole) return;
        assertSame(text, JSON.stringify(edits));
        compared++;
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.ok(compared >= 90, `only ${compared} of 300 edited Lists parsed and were compared`);
  });

  it('re-parses one item after an edit in it', () => {
    const text = asList(generateManifest(2000).text, 0);
    const models = split();
    const linter = new Linter();
    const first = models.parseFile(text, 'k');
    linter.lint(first, DEFAULT_SETTINGS);
    const items = first.documents.length;
    assert.ok(items > 20, `${items} parts`);
    const parsed = models.parseCount;
    const edited = text.replace('name: shop-6\n', 'name: shop-6x\n');
    assert.notEqual(edited, text);
    linter.lint(models.parseFile(edited, 'k'), DEFAULT_SETTINGS);
    assert.equal(models.parseCount - parsed, 1);
  });
});

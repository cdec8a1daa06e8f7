import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import {
  convertToNativeSidecar,
  moveInitContainerBefore,
  removeContainerField,
} from '../../server/src/fixes/native-sidecar';
import { ModelCache } from '../../server/src/model/file-model';
import type { PodModel } from '../../server/src/model/types';
import type { TextEditSpec } from '../../server/src/engine/types';
import { CORPUS, corpusRows, describeCorpus } from '../support/corpus';

function apply(text: string, edits: TextEditSpec[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start))
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

function toJS(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, logLevel: 'error' });
  if (doc.errors.length > 0) return { ok: false, message: doc.errors[0]!.message };
  try {
    return { ok: true, value: doc.toJS() };
  } catch (e) {
    return { ok: false, message: String(e) };
  }
}

function specOf(value: unknown, pod: PodModel): Record<string, unknown[] | null | undefined> {
  return pod.specPath.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) as Record<
    string,
    unknown[] | null | undefined
  >;
}

/**
 * The fix machinery on every container of every real manifest: whatever a conversion, removal or
 * move does, the document must parse and mean exactly what the fix says (the container moved with
 * restartPolicy Always, the key gone, the item first), and nothing else. What the machinery
 * declines is counted, so a regression to declining everything would show.
 */
describeCorpus('fix machinery over the corpus', function () {
  this.timeout(60_000);

  it('converts, removes and moves without changing anything else in the document', () => {
    const done = { convert: 0, remove: 0, move: 0 };
    const wrong: string[] = [];
    const check = (what: string, file: string, text: string, edits: TextEditSpec[], expect: unknown): void => {
      const got = toJS(apply(text, edits));
      if (!got.ok || !isDeepStrictEqual(got.value, expect))
        wrong.push(`${file}: ${what}${got.ok ? '' : `: ${got.message}`}`);
    };
    for (const { localFile: file } of corpusRows()) {
      const model = new ModelCache().parseFile(readFileSync(join(CORPUS, file), 'utf8'));
      if (model.template) continue;
      for (const { model: doc } of model.documents) {
        const original = doc.syntaxErrors.length === 0 ? toJS(doc.text) : undefined;
        if (!original?.ok) continue;
        const text = doc.text;
        const fresh = (): unknown => structuredClone(original.value);
        for (const pod of doc.pods) {
          for (const c of pod.containers) {
            if (c.list === 'ephemeralContainers') continue;
            const convert = convertToNativeSidecar(doc, pod, c);
            if (convert) {
              done.convert++;
              const expect = fresh();
              const spec = specOf(expect, pod);
              const moved = spec['containers']!.splice(c.index, 1)[0] as Record<string, unknown>;
              moved['restartPolicy'] = 'Always';
              spec['initContainers'] = [...(spec['initContainers'] ?? []), moved];
              check(`convert ${c.name?.value}`, file, text, convert, expect);
            }
            // the first key (on the `- ` line), one in the middle and the last (up to the item's end)
            const items = c.node.items;
            for (const pair of new Set([items[0], items[Math.floor(items.length / 2)], items[items.length - 1]])) {
              const key = (pair?.key as { value?: unknown } | null | undefined)?.value;
              if (typeof key !== 'string') continue;
              const remove = removeContainerField(doc, c, key);
              if (!remove) continue;
              done.remove++;
              const expect = fresh();
              delete (specOf(expect, pod)[c.list]![c.index] as Record<string, unknown>)[key];
              check(`remove ${key} of ${c.name?.value}`, file, text, remove, expect);
            }
          }
          const inits = pod.containers.filter((c) => c.list === 'initContainers');
          for (const c of inits.slice(1)) {
            const move = moveInitContainerBefore(doc, pod, c.index, inits[0]!.index);
            if (!move) continue;
            done.move++;
            const expect = fresh();
            const list = specOf(expect, pod)['initContainers']!;
            list.unshift(list.splice(c.index, 1)[0]);
            check(`move ${c.name?.value} first`, file, text, move, expect);
          }
        }
      }
    }
    assert.deepEqual(wrong, []);
    // the corpus has about 200 movable containers, 2000 keys and 60 init containers to reorder
    assert.ok(done.convert > 150 && done.remove > 1500 && done.move > 40, JSON.stringify(done));
  });
});

// Quick fixes of the storage, injection and hygiene rules, applied to their invalid fixtures: each
// fix leaves parseable YAML, changes only the lines it is about and makes its finding go away.
import * as assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../server/src/fixes/edits';
import type { Fix } from '../../server/src/engine/types';
import { FIXTURES, lintText, listYaml, read, type LineFinding } from '../support/lint';

const FIXABLE = [
  'unused-volume',
  'sidecar-mount-readonly',
  'writable-host-path',
  'injection-annotation-placement',
  'istio-inject-annotation',
  'resources',
  'duplicate-env',
];

/**
 * A finding's fixes, in file offsets: rules compute edits relative to their document (so cached
 * findings stay valid when documents before them move), and the linter shifts them with the finding.
 */
function fixesOf(f: LineFinding): Fix[] {
  return f.fixes?.() ?? [];
}

/** Line numbers (1-based) of `text` that an edit range touches. */
function touchedLines(text: string, fix: Fix): Set<number> {
  const lines = new Set<number>();
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  for (const e of fix.edits) {
    // an insertion at a line start touches no existing line
    const end = e.range.end > e.range.start && text[e.range.end - 1] === '\n' ? e.range.end - 1 : e.range.end;
    if (e.range.start === e.range.end && (e.range.start === 0 || text[e.range.start - 1] === '\n')) continue;
    for (let l = lineAt(e.range.start); l <= lineAt(end); l++) lines.add(l);
  }
  return lines;
}

function assertParses(text: string): void {
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `fixed text parses:\n${text}`,
    );
  }
}

/** Every line no edit touches is still in the result, in order. */
function assertUntouchedKept(before: string, after: string, fix: Fix): void {
  const touched = touchedLines(before, fix);
  const kept = before.split('\n').filter((_, i) => !touched.has(i + 1));
  const out = after.split('\n');
  let at = 0;
  for (const line of kept) {
    while (at < out.length && out[at] !== line) at++;
    assert.ok(at < out.length, `line "${line}" is kept:\n${after}`);
    at++;
  }
}

describe('quick fixes over invalid fixtures', () => {
  for (const id of FIXABLE) {
    for (const file of listYaml(join(FIXTURES, 'rules', id, 'invalid'))) {
      it(`${id}: every fix of invalid/${basename(file)} is clean`, () => {
        const text = read(file);
        const findings = lintText(text).filter((f) => f.rule === id);
        assert.ok(
          findings.some((f) => fixesOf(f).length > 0),
          'some finding offers a fix',
        );
        for (const finding of findings) {
          for (const fix of fixesOf(finding)) {
            const after = applyEdits(text, fix.edits);
            assertParses(after);
            assertUntouchedKept(text, after, fix);
            const again = lintText(after);
            assert.equal(
              again.filter((f) => f.rule === id).length,
              findings.length - 1,
              `"${fix.title}" removes its finding and only it:\n${after}`,
            );
            // and adds no new problem of another rule
            const others = (fs: LineFinding[]): string[] =>
              fs.filter((f) => f.rule !== id && f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`);
            assert.deepEqual(others(again), others(lintText(text)), fix.title);
          }
        }
      });
    }
  }
});

function fixOne(text: string, rule: string, line: number): { fix: Fix; after: string } {
  const finding = lintText(text).find((f) => f.rule === rule && f.line === line);
  assert.ok(finding, `a ${rule} finding on line ${line}`);
  const [fix] = fixesOf(finding);
  assert.ok(fix, 'a fix');
  return { fix, after: applyEdits(text, fix.edits) };
}

/** The text with `removed` gone and `added` right after `anchor`: what moving an entry gives. */
function moved(text: string, removed: string, anchor: string, added: string): string {
  return text.replace(removed, '').replace(anchor, anchor + added);
}

describe('quick fixes, exact results', () => {
  it('unused-volume removes the volume with its comment; the last one takes `volumes:` with it', () => {
    const text = read(join(FIXTURES, 'rules', 'unused-volume', 'invalid', 'leftover.yaml'));
    const { fix, after } = fixOne(text, 'unused-volume', 24);
    assert.equal(
      after,
      text.replace(
        '        # scratch space, no longer used\n        - name: scratch # <- unused-volume\n          emptyDir: {}\n',
        '',
      ),
    );
    assert.equal(fix.safe, false);
    const only = read(join(FIXTURES, 'rules', 'unused-volume', 'invalid', 'only-volume.yaml'));
    assert.equal(
      fixOne(only, 'unused-volume', 13).after,
      only.replace('  volumes:\n    - name: tmp # <- unused-volume\n      emptyDir: {}\n', ''),
    );
  });

  it('read-only fixes add readOnly: true or flip readOnly: false', () => {
    const text = read(join(FIXTURES, 'rules', 'writable-host-path', 'invalid', 'node-logs.yaml'));
    assert.equal(
      fixOne(text, 'writable-host-path', 18).after,
      text.replace(
        '              mountPath: /var/log\n',
        '              mountPath: /var/log\n              readOnly: true\n',
      ),
    );
    assert.equal(
      fixOne(text, 'writable-host-path', 24).after,
      text.replace('              readOnly: false\n', '              readOnly: true\n'),
    );
  });

  it('injection-annotation-placement moves the key into the template, creating maps it needs', () => {
    const text = read(join(FIXTURES, 'rules', 'injection-annotation-placement', 'invalid', 'deployment-metadata.yaml'));
    const label = fixOne(text, 'injection-annotation-placement', 7);
    assert.equal(label.fix.edits.length, 2);
    assert.equal(
      label.after,
      moved(
        text,
        '    sidecar.istio.io/inject: "true" # <- injection-annotation-placement\n',
        '      labels:\n        app: orders\n',
        '        sidecar.istio.io/inject: "true"\n',
      ),
    );
    const cron = read(
      join(FIXTURES, 'rules', 'injection-annotation-placement', 'invalid', 'no-template-metadata.yaml'),
    );
    const { after } = fixOne(cron, 'injection-annotation-placement', 6);
    assert.equal(
      after,
      moved(
        cron,
        '  annotations:\n    linkerd.io/inject: enabled # <- injection-annotation-placement\n',
        '                  memory: 64Mi\n',
        // the template had no metadata: it is created, after the pod spec
        '        metadata:\n          annotations:\n            linkerd.io/inject: enabled\n',
      ),
    );
  });

  it('istio-inject-annotation turns the annotation into a label, or drops it when the label is set', () => {
    const text = read(join(FIXTURES, 'rules', 'istio-inject-annotation', 'invalid', 'annotation.yaml'));
    assert.equal(
      fixOne(text, 'istio-inject-annotation', 14).after,
      moved(
        text,
        '        sidecar.istio.io/inject: "false" # <- istio-inject-annotation\n',
        '      labels:\n        app: reviews\n',
        '        sidecar.istio.io/inject: "false"\n',
      ),
    );
    assert.equal(
      fixOne(text, 'istio-inject-annotation', 32).after,
      text.replace('  annotations:\n    sidecar.istio.io/inject: "true" # <- istio-inject-annotation\n', ''),
    );
  });

  it("istio-inject-annotation's move applies in an editor when the labels end where the annotations begin", () => {
    // (found by the property tests: the label goes in where the removed `annotations:` starts, and
    // a client that read the removal first took the insertion for an overlap)
    const text = read(join(FIXTURES, 'workspace', 'web', 'deploy.yaml'));
    const finding = lintText(text).find((f) => f.rule === 'istio-inject-annotation')!;
    const fix = fixesOf(finding).find((f) => f.title === 'Make it a label')!;
    const doc = TextDocument.create('file:///d.yaml', 'yaml', 1, text);
    const edits = fix.edits.map((e) => ({
      range: { start: doc.positionAt(e.range.start), end: doc.positionAt(e.range.end) },
      newText: e.newText,
    }));
    const after = TextDocument.applyEdits(doc, edits);
    assert.equal(after, applyEdits(text, fix.edits));
    assert.equal(
      after,
      text.replace(
        '        app: web\n      annotations:\n        sidecar.istio.io/inject: "true"\n',
        '        app: web\n        sidecar.istio.io/inject: "true"\n',
      ),
    );
  });

  it('resources inserts a memory skeleton, never unattended', () => {
    const text = read(join(FIXTURES, 'rules', 'resources', 'invalid', 'no-memory.yaml'));
    const placeholder = '128Mi # placeholder: what the container needs';
    const sidecar = fixOne(text, 'resources', 15);
    assert.equal(sidecar.fix.safe, false);
    assert.equal(
      sidecar.after,
      text.replace(
        '          restartPolicy: Always\n',
        `          restartPolicy: Always\n          resources:\n            requests:\n              memory: ${placeholder}\n            limits:\n              memory: ${placeholder}\n`,
      ),
    );
    assert.equal(
      fixOne(text, 'resources', 19).after,
      text.replace('              cpu: 100m\n', `              cpu: 100m\n              memory: ${placeholder}\n`),
    );
    assert.equal(
      fixOne(text, 'resources', 24).after,
      text.replace(
        '          resources: {}\n',
        `          resources:\n            requests:\n              memory: ${placeholder}\n            limits:\n              memory: ${placeholder}\n`,
      ),
    );
  });

  it('duplicate-env removes the earlier entry with its comment; unsafe when a later value expands it', () => {
    const text = read(join(FIXTURES, 'rules', 'duplicate-env', 'invalid', 'twice.yaml'));
    const level = fixOne(text, 'duplicate-env', 17);
    assert.equal(level.fix.safe, true);
    assert.equal(
      level.after,
      text.replace('        # log level for local runs\n        - name: LOG_LEVEL\n          value: debug\n', ''),
    );
    // URL expands $(PORT) between the two PORTs: removing the first changes URL
    assert.equal(fixOne(text, 'duplicate-env', 21).fix.safe, false);
  });
});

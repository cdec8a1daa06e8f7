// Bugs the hardening tests found (each of these failed before its fix).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Scalar } from 'yaml';
import { scalarText } from '../../server/src/fixes/scalar-text';
import { ModelCache } from '../../server/src/model/file-model';
import { completions } from '../../server/src/services/completion';
import { cursorContext } from '../../server/src/services/completion-context';
import { lintText } from '../support/lint';

describe('regressions found by the hardening tests', () => {
  // server/src/services/completion-context.ts:92: `(.*)$` does not match across a lone CR (classic
  // Mac line ends, or one pasted in), U+2028 or U+2029, so the non-null assertion on exec() fails
  it('completion context does not throw on lone CR, U+2028 or U+2029 before the cursor', () => {
    for (const text of ['x: |\r', 'apiVersion: v1\rkind: Pod\rspec:\r  ', 'a: b\u2028c', 'spec:\n  x\u2029']) {
      assert.doesNotThrow(() => cursorContext(text, text.length), JSON.stringify(text));
      const doc = TextDocument.create('file:///k.yaml', 'yaml', 1, text);
      const end = doc.positionAt(text.length);
      assert.doesNotThrow(() => completions(new ModelCache().parseFile(text), doc, end), JSON.stringify(text));
    }
  });

  // server/src/rules/api-version.ts:45: on a document that does not parse, the model may have lost
  // the apiVersion pair the text has; the rule then states something false
  it('api-version does not claim apiVersion is missing when the YAML around it is broken', () => {
    const readme = '# Title\n\nkind: Pod\n\n```yaml\napiVersion: v1\n```\n';
    const findings = lintText(readme);
    assert.ok(findings.length > 0, 'the syntax errors are reported');
    assert.deepEqual(
      findings.filter((f) => f.rule === 'api-version' && /missing/.test(f.message)),
      [],
    );
  });

  // server/src/engine/config-file.ts (ignoreMatcher): picomatch compiles globs to regular
  // expressions that backtrack, so a hostile `.sidecar-pods.yaml` in an untrusted workspace (or a
  // repository checked by the CLI with its config) can stall the server for minutes on a file name:
  // `*a*a*a*a*a*a*a*a*a*a*a*a*b` against 60 letters. Run in a child so the test itself cannot hang.
  it('an ignore glob in the config file cannot stall matching (ReDoS)', function () {
    this.timeout(10_000);
    const module = join(__dirname, '..', '..', 'server', 'src', 'engine', 'config-file.js');
    const script = `
      const { ignoreMatcher } = require(${JSON.stringify(module)});
      const m = ignoreMatcher({ ignore: ['*a*a*a*a*a*a*a*a*a*a*a*a*b', '@(a|a)*'.repeat(10) + 'b'] });
      m('a'.repeat(60) + '.yaml');
      m('deploy/' + 'a'.repeat(60));`;
    const r = spawnSync(process.execPath, ['-e', script], { timeout: 2000, encoding: 'utf8' });
    assert.equal(r.signal, null, 'matching one file name took more than two seconds');
    assert.equal(r.status, 0, r.stderr);
  });

  // server/src/model/parse.ts, server/src/fixes/scalar-text.ts: the `yaml` package warns through process.emitWarning when it turns
  // a key that is a list or a map into a string (for the schema check); the CLI then printed a Node
  // warning about the user's file on stderr, and the server wrote it to its log
  it('a collection used as a key does not make the parser print a process warning', async () => {
    const warnings: unknown[] = [];
    const listener = (w: unknown): number => warnings.push(w);
    process.on('warning', listener);
    try {
      const text =
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    ? [x]\n    : y\n' +
        'spec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';
      lintText(text);
      // the text a fix writes for a value is checked with the same parser
      assert.equal(scalarText(new Scalar('a'), '!x y'), '"!x y"');
      // process warnings are emitted on a later tick
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(warnings, []);
  });
});

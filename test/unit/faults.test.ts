// The server survives its own faults: a rule or handler that throws is logged, and everything else
// keeps working. Faults are injected through the constructors production code already has.
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { CompletionHandler } from '../../server/src/lsp/completion-handler';
import { DiagnosticsHandler } from '../../server/src/lsp/diagnostics-handler';
import type { ConfigStore } from '../../server/src/lsp/config-store';
import { ModelCache } from '../../server/src/model/file-model';
import type { FileModel } from '../../server/src/model/types';
import { RULES } from '../../server/src/rules';
import type { Finding, Rule } from '../../server/src/engine/types';
import { Linter } from '../../server/src/engine/linter';
import { Engine } from '../../server/src/engine';

const BAD_POD = 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: "b:1"}, {name: a, image: "b:1"}]\n';

function broken(scope: Rule['scope']): Rule {
  const meta = {
    id: `broken-${scope}`,
    description: 'throws',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'x',
  } as const;
  const check = (): void => {
    throw new TypeError(`${scope} rule bug`);
  };
  return { meta, scope, check } as Rule;
}

/** A connection that records what the server logs and publishes, and the handlers it registers. */
function fakeConnection(): {
  connection: Connection;
  errors: string[];
  published: unknown[];
  handlers: Map<string, (...args: unknown[]) => unknown>;
} {
  const errors: string[] = [];
  const published: unknown[] = [];
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const connection = {
    console: {
      error: (m: string) => errors.push(m),
      warn: () => undefined,
      log: () => undefined,
      info: () => undefined,
    },
    sendDiagnostics: (p: unknown) => {
      published.push(p);
      return Promise.resolve();
    },
    onCompletion: (h: (...args: unknown[]) => unknown) => handlers.set('completion', h),
  } as unknown as Connection;
  return { connection, errors, published, handlers };
}

function documentsOf(...docs: TextDocument[]): TextDocuments<TextDocument> {
  return {
    get: (uri: string) => docs.find((d) => d.uri === uri),
    all: () => docs,
  } as unknown as TextDocuments<TextDocument>;
}

describe('faults inside the server', () => {
  it('a rule that throws, at any scope, is logged with its id and the others still report', () => {
    const logged: string[] = [];
    const linter = new Linter([broken('file'), broken('object'), broken('pod'), ...RULES], (m) => logged.push(m));
    const findings = linter.lint(new ModelCache().parseFile(BAD_POD), DEFAULT_SETTINGS);
    const healthy = new Linter(RULES).lint(new ModelCache().parseFile(BAD_POD), DEFAULT_SETTINGS);
    const rules = (fs: Finding[]): string[] => fs.map((f) => f.rule);
    assert.ok(rules(healthy).includes('duplicate-container-name'));
    assert.deepEqual(rules(findings), rules(healthy), 'the healthy rules report exactly what they report alone');
    assert.equal(logged.length, 3);
    for (const scope of ['file', 'object', 'pod']) {
      assert.ok(
        logged.some((m) => m.startsWith(`rule broken-${scope} failed: TypeError: ${scope} rule bug`)),
        logged.join('\n'),
      );
    }
  });

  it('a quick fix that throws does not take the findings with it', () => {
    const throwingFix: Rule = {
      meta: { id: 'throwing-fix', description: 'x', defaultSeverity: 'warning', fixable: true, docs: 'x' },
      scope: 'object',
      check(_doc, ctx) {
        ctx.report({
          message: 'm',
          range: { start: 0, end: 1 },
          fixes: () => {
            throw new Error('fix bug');
          },
        });
      },
    };
    const findings: Finding[] = new Linter([throwingFix]).lint(new ModelCache().parseFile(BAD_POD), DEFAULT_SETTINGS);
    assert.equal(findings.length, 1, 'fixes are computed lazily: a broken one costs nothing until asked');
  });

  it('the diagnostics handler logs a failing check, publishes the next version, and is idle after each', async () => {
    const { connection, errors, published } = fakeConnection();
    let failing = true;
    class FlakyLinter extends Linter {
      override lint(file: FileModel, settings: typeof DEFAULT_SETTINGS): Finding[] {
        if (failing) throw new Error('linter bug');
        return super.lint(file, settings);
      }
    }
    const doc = TextDocument.create('file:///f.yaml', 'yaml', 1, BAD_POD);
    const settings = {
      get: () => Promise.resolve({ ignored: false, settings: DEFAULT_SETTINGS }),
      isConfigFile: () => false,
    } as unknown as ConfigStore;
    const engine = new Engine();
    // the engine's linter, made to fail
    (engine as { linter: Linter }).linter = new FlakyLinter();
    const handler = new DiagnosticsHandler(connection, documentsOf(doc), engine, settings);
    const settled = async (done: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !done(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    handler.schedule(doc.uri);
    await settled(() => errors.length > 0);
    assert.equal(published.length, 0);
    assert.match(errors[0] ?? '', /^validating file:\/\/\/f\.yaml failed: Error: linter bug/);
    // a failed check has ended all the same: the background work waiting for the checks goes on
    await handler.idle();
    failing = false;
    handler.schedule(doc.uri);
    // idle() settles once the scheduled check has published (the workspace scan waits for it)
    assert.equal(await handler.idle().then(() => published.length), 1, 'the handler still works after a failure');
  });

  it('the completion handler answers nothing, and logs, when the service throws', () => {
    const { connection, errors, handlers } = fakeConnection();
    const doc = TextDocument.create('file:///c.yaml', 'yaml', 1, BAD_POD);
    const fail = (): never => {
      throw new RangeError('model bug');
    };
    const engine = { open: fail } as unknown as Engine;
    new CompletionHandler(connection, documentsOf(doc), engine).listen();
    const answer = handlers.get('completion')!({ textDocument: { uri: doc.uri }, position: { line: 3, character: 2 } });
    assert.deepEqual(answer, []);
    assert.match(errors[0] ?? '', /^completion failed: RangeError: model bug/);
  });
});

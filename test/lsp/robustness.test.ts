// The server over stdio, fed what an editor may send it: damaged documents, attacks, extremes.
// Every request it advertises is asked at random places, and must be answered within a second.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fc from 'fast-check';
import { ResponseError } from 'vscode-jsonrpc';
import type { Diagnostic, InitializeResult, Position } from 'vscode-languageserver-protocol';
import { DIAGRAM_REQUEST, type DiagramParams } from '../../shared/src/protocol';
import { STATS_METHOD } from '../../shared/src/protocol';
import { LspClient } from '../support/lsp-client';
import { aliasBomb, deepCompactBlock, deepFlow, manyDocuments, podWithBlobs } from '../support/extremes';
import { mutatedYaml, seedTexts } from '../support/mutations';

const ANSWER_MS = 1000;

interface Probe {
  method: string;
  params: (uri: string, at: Position, diagnostics: Diagnostic[]) => unknown;
  /** Follow-up requests built from the answer (resolve requests). */
  followUps?: (result: unknown) => { method: string; params: unknown }[];
}

const td = (uri: string): { uri: string } => ({ uri });
const range = (at: Position): { start: Position; end: Position } => ({
  start: { line: at.line, character: 0 },
  end: at,
});

/**
 * What to ask for each capability a server may advertise. A capability the server advertises that
 * is missing here fails the test, so a new feature is fuzzed from the day it is switched on.
 */
const PROBES: Record<string, (capability: unknown) => Probe[]> = {
  textDocumentSync: () => [],
  workspace: () => [], // workspace folders: notifications, no request to ask
  completionProvider: (cap) => {
    const resolve = (cap as { resolveProvider?: boolean }).resolveProvider === true;
    const followUps = (result: unknown): { method: string; params: unknown }[] => {
      const items = Array.isArray(result) ? result : ((result as { items?: unknown[] } | null)?.items ?? []);
      return resolve ? items.slice(0, 5).map((item) => ({ method: 'completionItem/resolve', params: item })) : [];
    };
    return [
      { method: 'textDocument/completion', params: (uri, at) => ({ textDocument: td(uri), position: at }), followUps },
      {
        method: 'textDocument/completion',
        params: (uri, at) => ({
          textDocument: td(uri),
          position: at,
          context: { triggerKind: 2, triggerCharacter: ' ' },
        }),
        followUps,
      },
    ];
  },
  hoverProvider: () => [
    { method: 'textDocument/hover', params: (uri, at) => ({ textDocument: td(uri), position: at }) },
  ],
  codeActionProvider: (cap) => [
    {
      method: 'textDocument/codeAction',
      params: (uri, at, diagnostics) => ({
        textDocument: td(uri),
        range: diagnostics[0]?.range ?? range(at),
        context: { diagnostics, triggerKind: 1 },
      }),
      followUps: (result) =>
        (cap as { resolveProvider?: boolean }).resolveProvider === true && Array.isArray(result)
          ? result
              .filter((a: { edit?: unknown }) => !a.edit)
              .map((a: unknown) => ({ method: 'codeAction/resolve', params: a }))
          : [],
    },
  ],
  documentSymbolProvider: () => [
    { method: 'textDocument/documentSymbol', params: (uri) => ({ textDocument: td(uri) }) },
  ],
  definitionProvider: () => [
    { method: 'textDocument/definition', params: (uri, at) => ({ textDocument: td(uri), position: at }) },
  ],
  referencesProvider: () => [
    {
      method: 'textDocument/references',
      params: (uri, at) => ({ textDocument: td(uri), position: at, context: { includeDeclaration: true } }),
    },
  ],
  documentHighlightProvider: () => [
    { method: 'textDocument/documentHighlight', params: (uri, at) => ({ textDocument: td(uri), position: at }) },
  ],
  foldingRangeProvider: () => [{ method: 'textDocument/foldingRange', params: (uri) => ({ textDocument: td(uri) }) }],
  selectionRangeProvider: () => [
    { method: 'textDocument/selectionRange', params: (uri, at) => ({ textDocument: td(uri), positions: [at] }) },
  ],
  documentLinkProvider: () => [{ method: 'textDocument/documentLink', params: (uri) => ({ textDocument: td(uri) }) }],
  codeLensProvider: () => [{ method: 'textDocument/codeLens', params: (uri) => ({ textDocument: td(uri) }) }],
  renameProvider: () => [
    { method: 'textDocument/prepareRename', params: (uri, at) => ({ textDocument: td(uri), position: at }) },
    { method: 'textDocument/rename', params: (uri, at) => ({ textDocument: td(uri), position: at, newName: 'x' }) },
  ],
  inlayHintProvider: () => [
    { method: 'textDocument/inlayHint', params: (uri, at) => ({ textDocument: td(uri), range: range(at) }) },
  ],
};

/** Custom requests: not advertised in capabilities, so listed here. */
const CUSTOM: Probe[] = [
  { method: STATS_METHOD, params: () => null },
  { method: DIAGRAM_REQUEST, params: (uri): DiagramParams => ({ uri }) },
];

/** vscode-jsonrpc answers InternalError when a handler throws; other errors are deliberate refusals. */
const INTERNAL_ERROR = -32603;

function probesFor(init: InitializeResult): Probe[] {
  const unknown: string[] = [];
  const probes: Probe[] = [...CUSTOM];
  for (const [capability, value] of Object.entries(init.capabilities)) {
    if (value === undefined || value === false) continue;
    const make = PROBES[capability];
    if (make) probes.push(...make(value));
    else unknown.push(capability);
  }
  assert.deepEqual(unknown, [], 'capabilities the server advertises that this test does not yet exercise');
  return probes;
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('language server over stdio: damaged input and extremes', function () {
  this.timeout(120_000);
  let client: LspClient;
  let probes: Probe[];

  beforeEach(async () => {
    client = new LspClient();
    probes = probesFor((await client.initialize()) as InitializeResult);
  });
  afterEach(async () => {
    assert.equal(client.alive, true, `the server is still running; its stderr:\n${client.stderr}`);
    await client.shutdown();
  });

  /**
   * Sends a request that must be answered within ANSWER_MS: with a result, or with a deliberate
   * refusal (a rename off a volume name); never with the InternalError of a handler that threw.
   */
  async function ask(what: string, method: string, params: unknown): Promise<unknown> {
    try {
      return await within(ANSWER_MS, what, client.connection.sendRequest(method, params));
    } catch (e) {
      if (!(e instanceof ResponseError)) throw e;
      assert.notEqual(e.code, INTERNAL_ERROR, `${what}: a handler threw: ${e.message}`);
      return undefined;
    }
  }

  /** Asks every probe at `at`. */
  async function askEverything(uri: string, at: Position): Promise<void> {
    const diagnostics = client.published(uri)?.diagnostics ?? [];
    for (const probe of probes) {
      const what = `${probe.method} at ${at.line}:${at.character}`;
      const result = await ask(what, probe.method, probe.params(uri, at, diagnostics));
      for (const f of probe.followUps?.(result) ?? []) await ask(`${f.method} after ${what}`, f.method, f.params);
    }
  }

  it('answers every request it advertises within a second, whatever the document', async () => {
    const samples = fc.sample(fc.tuple(mutatedYaml(seedTexts()), fc.nat(), fc.nat({ max: 120 })), {
      seed: 20261121,
      numRuns: 40,
    });
    const uri = 'file:///fuzz/pod.yaml';
    await client.open(uri, '');
    let version = 1;
    for (const [text, line, character] of samples) {
      version++;
      await client.change(uri, version, [{ text }]);
      const lines = text.split('\n').length;
      // a line past the end and a column past the line's end are what a stale client sends
      await askEverything(uri, { line: line % (lines + 2), character });
    }
    await client.waitForDiagnostics(uri, undefined, version, 20_000);
  });

  it('survives a handler that throws: the request is answered, the fault logged, the rest goes on', async () => {
    // a lone CR before the cursor once made the completion service throw (regressions.test.ts);
    // any fault that is left is answered, logged with its stack, and the server keeps serving
    // (the handler's guard itself is unit-tested in faults.test.ts)
    const uri = 'file:///fault/cr.yaml';
    const text = 'apiVersion: v1\rkind: Pod\rspec:\r  containers:\r    - name: a\r      image: |\r';
    await client.open(uri, text);
    const items = await ask('completion at a lone CR', 'textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: text.length },
    });
    assert.ok(Array.isArray(items) || (items !== null && typeof items === 'object'), 'an answer');
    const failures = client.logs.filter((m) => /completion failed/.test(m));
    assert.ok(
      failures.every((m) => /\n\s+at /.test(m)),
      'a logged fault carries its stack',
    );
    await askEverything(uri, { line: 0, character: 3 });
    const good = 'file:///fault/after.yaml';
    await client.open(
      good,
      'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: "b:1"}, {name: a, image: "b:1"}]\n',
    );
    await client.waitForDiagnostics(good, (d) => d.some((x) => x.code === 'duplicate-container-name'));
  });

  it('refuses an alias bomb cheaply with a clear diagnostic', async () => {
    const uri = 'file:///attack/bomb.yaml';
    const started = Date.now();
    await client.open(uri, aliasBomb());
    const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.ok(Date.now() - started < 5000, 'refused in well under five seconds');
    assert.ok(
      diags.some((d) => /cannot be expanded/.test(String(d.message)) && /alias/i.test(String(d.message))),
      JSON.stringify(diags),
    );
    await askEverything(uri, { line: 5, character: 10 });
  });

  for (const [name, text] of [
    ['flow', deepFlow(10_000)],
    ['block', deepCompactBlock(10_000)],
  ] as const) {
    it(`survives 10,000 levels of ${name} nesting and says why it stops`, async () => {
      const uri = `file:///attack/deep-${name}.yaml`;
      await client.open(uri, text);
      const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0, undefined, 30_000);
      assert.ok(
        diags.every((d) => /nests too deeply/.test(String(d.message))),
        JSON.stringify(diags),
      );
      await askEverything(uri, { line: 3, character: 8 });
      await askEverything(uri, { line: 9000, character: 9000 });
    });
  }

  // (once a bug: the diagnostics left files over MAX_FILE_CHARS alone, but the other handlers
  // parsed them anyway, synchronously, for seconds)
  it('declines a file over 20 MB with one notice, and keeps answering', async () => {
    const uri = 'file:///big/over-limit.yaml';
    // 2,200 pods of 10 KB: over the limit, and seconds of parsing for whoever does not respect it
    const text = podWithBlobs(2200, 10_000);
    assert.ok(text.length > 20 * 1024 * 1024);
    await client.open(uri, text);
    const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0, undefined, 30_000);
    assert.deepEqual(
      diags.map((d) => d.code),
      ['file-too-large'],
    );
    await askEverything(uri, { line: 9000, character: 4 });
  });

  /**
   * Opens a 5 MB file of 500 pods and, until its diagnostics arrive, keeps asking `ask`; returns how
   * many rounds were answered while the check ran.
   */
  async function duringBigCheck(uri: string, ask: (round: number) => Promise<unknown>): Promise<number> {
    const text = podWithBlobs(500, 10_000);
    assert.ok(text.length > 5_000_000);
    await client.open(uri, text);
    let published = false;
    const waiting = client
      .waitForDiagnostics(uri, (d) => d.length > 0, undefined, 60_000)
      .then((d) => {
        published = true;
        return d;
      });
    let rounds = 0;
    while (!published) {
      await ask(rounds++);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const diags = await waiting;
    assert.equal(diags.filter((d) => d.code === 'port-conflict').length, 500);
    return rounds;
  }

  it('checks a 5 MB file and answers another request meanwhile', async () => {
    const rounds = await duringBigCheck('file:///big/five-mb.yaml', () =>
      within(ANSWER_MS, STATS_METHOD, client.connection.sendRequest(STATS_METHOD)),
    );
    assert.ok(rounds > 1, `${rounds} requests answered while the check ran`);
  });

  // (once a bug: requests other than the diagnostics parsed the whole file synchronously, so on a
  // 5 MB file whose sliced check was still running they blocked the server for seconds)
  it('answers every advertised request on a 5 MB file while its check runs', async () => {
    const uri = 'file:///big/five-mb-all.yaml';
    await duringBigCheck(uri, (round) => askEverything(uri, { line: 5 + round * 11, character: 4 }));
  });

  it('checks 20,000 tiny documents in one file', async () => {
    const uri = 'file:///big/many.yaml';
    const many = manyDocuments(20_000);
    await client.open(uri, many.text);
    const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0, undefined, 60_000);
    assert.ok(
      diags.some((d) => d.code === 'duplicate-container-name' && d.range.start.line === many.findingLine),
      JSON.stringify(diags),
    );
    const [first, end] = many.podLines;
    assert.deepEqual(
      diags.filter((d) => d.range.start.line < first || d.range.start.line >= end),
      [],
      'nothing reported on the tiny documents',
    );
    await askEverything(uri, { line: 40_000, character: 3 });
  });

  it('says nothing about binary files opened as YAML', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      randomBytes(4000),
    ]);
    const files: [string, string][] = [
      ['file:///bin/image.yaml', png.toString('latin1')],
      ['file:///bin/noise.yaml', new TextDecoder('utf-8').decode(randomBytes(20_000))],
      ['file:///bin/nul.yaml', '\0'.repeat(1000)],
    ];
    for (const [uri, text] of files) {
      await client.open(uri, text);
      assert.deepEqual(await client.waitForDiagnostics(uri), [], uri);
      await askEverything(uri, { line: 0, character: 3 });
    }
  });
});

// The workspace over stdio: the server indexes the folders it is given, and hovers, definition,
// references and completion reach the objects of files that are not open.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, Diagnostic, Hover, Location } from 'vscode-languageserver-protocol';
import type { DiagramModel } from '../../shared/src/diagram-model';
import { DIAGRAM_REQUEST, STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import { FIXTURES } from '../support/lint';
import { LspClient } from '../support/lsp-client';

/** A Service, the Deployment it selects and the ConfigMaps it reads (also the unit tests' set). */
const FIXTURE = join(FIXTURES, 'workspace', 'web');
const SERVICE = readFileSync(join(FIXTURE, 'svc.yaml'), 'utf8');
const CONFIG = readFileSync(join(FIXTURE, 'config.yaml'), 'utf8');

/** A SidecarSet that selects the fixture's Deployment; its container listens on `port` if given. */
function sidecarSet(port?: number): string {
  return [
    'apiVersion: apps.kruise.io/v1alpha1',
    'kind: SidecarSet',
    'metadata:',
    '  name: log-agent',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  containers:',
    '    - name: fluent-bit',
    '      image: fluent/fluent-bit:3.1',
    ...(port === undefined ? [] : ['      ports:', `        - containerPort: ${port}`]),
    '',
  ].join('\n');
}

describe('the workspace over stdio', function () {
  let root: string;
  let client: LspClient;
  const uri = (name: string): string => pathToFileURL(join(root, name)).href;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'sidecar-ws-'));
    cpSync(FIXTURE, root, { recursive: true });
    client = new LspClient();
    await client.initialize([pathToFileURL(root).href]);
    for (let i = 0; i < 500; i++) {
      const stats = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
      if (stats.index.scanMs !== null) {
        assert.equal(stats.index.files, 4);
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail('the index never finished');
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it("hover on an open Service's targetPort names the container of a file that is not open", async () => {
    await client.open(uri('svc.yaml'), SERVICE);
    await client.waitForDiagnostics(uri('svc.yaml'));
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uri('svc.yaml') },
      position: { line: 10, character: 19 },
    });
    assert.ok(hover);
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /Deployment `web` in deploy\.yaml: container `app` \(app container\), port 8080 `http`/);
  });

  it('go to definition from the targetPort lands on the containerPort in the other file', async () => {
    const found = await client.connection.sendRequest<Location[] | null>('textDocument/definition', {
      textDocument: { uri: uri('svc.yaml') },
      position: { line: 10, character: 19 },
    });
    assert.deepEqual(
      found?.map((l) => [l.uri, l.range.start.line]),
      [[uri('deploy.yaml'), 25]],
    );
  });

  it('find references of a ConfigMap opened alone finds the Deployment on disk that reads it', async () => {
    await client.open(uri('config.yaml'), CONFIG);
    await client.waitForDiagnostics(uri('config.yaml'));
    const found = await client.connection.sendRequest<Location[] | null>('textDocument/references', {
      textDocument: { uri: uri('config.yaml') },
      position: { line: 3, character: 9 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      found?.map((l) => [l.uri, l.range.start.line]),
      [[uri('deploy.yaml'), 31]],
    );
  });

  it("completion of a targetPort being typed offers the selected pods' port names", async () => {
    const typed = SERVICE.replace('targetPort: http', 'targetPort: h');
    await client.change(uri('svc.yaml'), 2, [{ text: typed }]);
    await client.waitForDiagnostics(uri('svc.yaml'), () => true, 2);
    const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uri('svc.yaml') },
      position: { line: 10, character: 19 },
    });
    const http = items.find((i) => i.label === 'http');
    assert.ok(http, JSON.stringify(items.map((i) => i.label)));
    assert.deepEqual((http.textEdit as { range: unknown }).range, {
      start: { line: 10, character: 18 },
      end: { line: 10, character: 19 },
    });
  });

  it("the diagram of an open Deployment draws the Service of another file at the pod's edge, with where it is", async () => {
    const deploy = readFileSync(join(FIXTURE, 'deploy.yaml'), 'utf8');
    await client.open(uri('deploy.yaml'), deploy);
    await client.waitForDiagnostics(uri('deploy.yaml'));
    const model = await client.connection.sendRequest<DiagramModel | null>(DIAGRAM_REQUEST, {
      uri: uri('deploy.yaml'),
    });
    const services = model?.pods[0]?.services ?? [];
    assert.deepEqual(
      services.map((s) => [s.name, s.uri, s.range.start.line]),
      [['web', uri('svc.yaml'), 0]],
    );
    // the Service is open with `targetPort: h` typed (the completion case above): its text wins
    const http = services[0]!.ports.find((p) => p.name === 'http');
    assert.match(http?.broken ?? '', /no container of the pod has a TCP port named "h"/);
  });

  it('the set rules run in the editor: a typed targetPort no pod on disk declares is an error on the Service, related to the pods', async () => {
    // svc.yaml is open with `targetPort: h` typed (the completion case above)
    const found = await client.waitForDiagnostics(uri('svc.yaml'), (d) =>
      d.some((x) => x.code === 'service-target-port'),
    );
    const d = found.find((x) => x.code === 'service-target-port')!;
    assert.equal(d.range.start.line, 10);
    assert.ok(
      d.relatedInformation?.some((r) => r.location.uri === uri('deploy.yaml')),
      JSON.stringify(d.relatedInformation),
    );
    // typed back: the finding goes
    await client.change(uri('svc.yaml'), 3, [{ text: SERVICE }]);
    await client.waitForDiagnostics(uri('svc.yaml'), (x) => !x.some((y) => y.code === 'service-target-port'), 3);
  });

  it("an edit re-checks only the files whose set findings it can change: a pod's port renamed re-checks it and its Service", async () => {
    // deploy.yaml is open (the diagram case above); svc.yaml too, typed back to its text on disk
    const deploy = readFileSync(join(FIXTURE, 'deploy.yaml'), 'utf8');
    const before = (await client.connection.sendRequest<ServerStats>(STATS_METHOD)).index.setCheckFiles.length;
    // the Service's targetPort http now reaches nothing: its open file gets the error
    await client.change(uri('deploy.yaml'), 2, [{ text: deploy.replace('- name: http', '- name: web') }]);
    await client.waitForDiagnostics(uri('svc.yaml'), (d) => d.some((x) => x.code === 'service-target-port'));
    const stats = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
    const checks = stats.index.setCheckFiles.slice(before);
    assert.ok(checks.length > 0, 'a set check ran');
    assert.ok(
      checks.every((n) => n <= 2),
      `deploy.yaml and svc.yaml only, of ${stats.index.files} files: ${checks.join(', ')}`,
    );
    await client.change(uri('deploy.yaml'), 3, [{ text: deploy }]);
    await client.waitForDiagnostics(uri('svc.yaml'), (d) => !d.some((x) => x.code === 'service-target-port'));
  });

  it('a burst of edits faster than anyone types is checked as a set once it pauses, on its last text', async () => {
    // deploy.yaml is open at version 3 with its text on disk (the case above)
    const deploy = readFileSync(join(FIXTURE, 'deploy.yaml'), 'utf8');
    const before = (await client.connection.sendRequest<ServerStats>(STATS_METHOD)).index.setCheckFiles.length;
    // ten versions 10 ms apart (each would be checked at once on its own), the last with the
    // port the Service targets renamed
    for (let v = 4; v <= 13; v++) {
      const name = v % 2 === 1 ? 'web' : 'http';
      await client.change(uri('deploy.yaml'), v, [{ text: deploy.replace('- name: http', `- name: ${name}`) }]);
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.waitForDiagnostics(uri('svc.yaml'), (d) => d.some((x) => x.code === 'service-target-port'));
    const checks = (await client.connection.sendRequest<ServerStats>(STATS_METHOD)).index.setCheckFiles.slice(before);
    assert.ok(checks.length >= 1 && checks.length <= 3, `set checks for 10 edits: ${checks.length}`);
    await client.change(uri('deploy.yaml'), 14, [{ text: deploy }]);
    await client.waitForDiagnostics(uri('svc.yaml'), (d) => !d.some((x) => x.code === 'service-target-port'));
  });

  it("a SidecarSet written in another file of the workspace injects its containers into the diagram's pod", async () => {
    writeFileSync(join(root, 'sidecarset.yaml'), sidecarSet());
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('sidecarset.yaml'), type: 1 }],
    });
    // deploy.yaml is open (the diagram case above)
    let injected: string[] = [];
    for (let i = 0; i < 100 && injected.length === 0; i++) {
      const model = await client.connection.sendRequest<DiagramModel | null>(DIAGRAM_REQUEST, {
        uri: uri('deploy.yaml'),
      });
      injected = (model?.pods[0]?.containers ?? [])
        .filter((c) => c.injectedBy?.includes('SidecarSet'))
        .map((c) => c.name);
      if (injected.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(injected, ['fluent-bit']);
  });

  it('the pod rules of an open Deployment see a SidecarSet of another file, and a change of it checks the Deployment again', async () => {
    // on disk: its fluent-bit listens on the app's port 8080 (deploy.yaml is open: the cases above)
    writeFileSync(join(root, 'sidecarset.yaml'), sidecarSet(8080));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('sidecarset.yaml'), type: 2 }],
    });
    const clash = (d: Diagnostic[]): Diagnostic | undefined => d.find((x) => x.code === 'injected-port-conflict');
    const found = clash(await client.waitForDiagnostics(uri('deploy.yaml'), (d) => clash(d) !== undefined))!;
    assert.equal(found.range.start.line, 26);
    assert.match(String(found.message), /taken by fluent-bit, which SidecarSet log-agent injects into this pod/);
    assert.deepEqual(
      found.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [
        [uri('deploy.yaml'), 11, 'selected by SidecarSet log-agent'],
        [uri('sidecarset.yaml'), 12, 'SidecarSet log-agent injects fluent-bit, which listens on 8080'],
      ],
    );
    // opened and typed into: another port, and the Deployment's finding goes without a change of its own
    await client.open(uri('sidecarset.yaml'), sidecarSet(8080));
    await client.change(uri('sidecarset.yaml'), 2, [{ text: sidecarSet(2020) }]);
    await client.waitForDiagnostics(uri('deploy.yaml'), (d) => clash(d) === undefined);
  });

  it("a hover on an open Deployment's port lists what a SidecarSet of another file injects", async () => {
    // sidecarset.yaml is open with fluent-bit on 2020 (the case above)
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uri('deploy.yaml') },
      position: { line: 26, character: 20 },
    });
    const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(value, /Ports of this pod/);
    assert.match(value, /`fluent-bit` \| injected by SidecarSet log-agent[^|]* \| 2020 \|/);
  });

  it("a copy of a Service in another folder is the same object: drawn once, the file's own copy first", async () => {
    mkdirSync(join(root, 'copy'));
    cpSync(join(FIXTURE, 'svc.yaml'), join(root, 'copy', 'svc.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(join(root, 'copy', 'svc.yaml')).href, type: 1 }],
    });
    await new Promise((r) => setTimeout(r, 200));
    const model = await client.connection.sendRequest<DiagramModel | null>(DIAGRAM_REQUEST, {
      uri: uri('deploy.yaml'),
    });
    assert.deepEqual(
      model?.pods[0]?.services?.map((s) => s.name),
      ['web'],
    );
  });
});

import * as assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { DiagramModel } from '../../shared/src/diagram-model';
import { DIAGRAM_REQUEST } from '../../shared/src/protocol';
import { LspClient } from '../support/lsp-client';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - containerPort: 8080
    - name: metrics
      image: nginx/nginx-prometheus-exporter:1.3.0
      ports:
        - containerPort: 8080
`;

describe('sidecarPods/diagram and the diagram CodeLens over stdio', function () {
  let client: LspClient;

  beforeEach(async () => {
    client = new LspClient();
  });
  afterEach(async () => {
    await client.shutdown();
  });

  it('answers with the model of an open document, at its version, and a lens per pod', async () => {
    const init = (await client.initialize()) as { capabilities: { codeLensProvider?: unknown } };
    assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
    const uri = 'file:///tmp/diagram.yaml';
    await client.open(uri, `apiVersion: v1\nkind: ConfigMap\n---\n${POD}`, 7);
    const model = await client.connection.sendRequest<DiagramModel | null>(DIAGRAM_REQUEST, { uri });
    assert.ok(model);
    assert.equal(model.version, 7);
    assert.deepEqual(
      model.pods.map((p) => [p.id, p.name, p.containers.map((c) => c.name)]),
      [['d1.p0', 'web', ['app', 'metrics']]],
    );
    const clash = model.pods[0]!.containers[1]!.ports[0]!;
    assert.equal(clash.clash, true);
    assert.deepEqual(clash.selectionRange, { start: { line: 16, character: 25 }, end: { line: 16, character: 29 } });
    assert.deepEqual(
      (await client.connection.sendRequest<DiagramModel>(DIAGRAM_REQUEST, { uri, document: 0 })).pods,
      [],
    );

    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, [
      {
        range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
        command: { title: 'Show pod diagram', command: 'sidecarPods.showDiagram', arguments: [uri, 1, 'd1.p0'] },
      },
    ]);
  });

  it('draws the Services of the file that select the pod, also when asked for the pod document alone', async () => {
    await client.initialize();
    const uri = 'file:///tmp/diagram-service.yaml';
    const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
    - name: admin
      port: 81
      targetPort: admin
`;
    await client.open(uri, `${POD.replace('  name: web\n', '  name: web\n  labels:\n    app: web\n')}---\n${service}`);
    for (const params of [{ uri }, { uri, document: 0 }]) {
      const model = await client.connection.sendRequest<DiagramModel>(DIAGRAM_REQUEST, params);
      const drawn = model.pods[0]!.services ?? [];
      assert.deepEqual(
        drawn.map((s) => [s.name, s.ports.map((p) => [p.targets, p.broken !== undefined])]),
        [
          [
            'web',
            [
              [['containers[0].ports[0]', 'containers[1].ports[0]'], false],
              [[], true],
            ],
          ],
        ],
        JSON.stringify(params),
      );
      // the Service box points at its name in the second document
      assert.deepEqual(drawn[0]!.selectionRange, {
        start: { line: 20, character: 8 },
        end: { line: 20, character: 11 },
      });
    }
  });

  it('gives null for documents it does not hold or that are not YAML, and rejects bad params', async () => {
    await client.initialize();
    assert.equal(await client.connection.sendRequest(DIAGRAM_REQUEST, { uri: 'file:///tmp/never-opened.yaml' }), null);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///tmp/notes.txt', languageId: 'plaintext', version: 1, text: POD },
    });
    assert.equal(await client.connection.sendRequest(DIAGRAM_REQUEST, { uri: 'file:///tmp/notes.txt' }), null);
    for (const params of [
      {},
      { uri: 3 },
      { uri: 'file:///x.yaml', document: -1 },
      { uri: 'file:///x.yaml', document: 1.5 },
    ]) {
      await assert.rejects(client.connection.sendRequest(DIAGRAM_REQUEST, params), /expected \{ uri: string/);
    }
    // the server is still there
    assert.equal(await client.connection.sendRequest(DIAGRAM_REQUEST, { uri: 'file:///tmp/notes.txt' }), null);
  });
});

import * as assert from 'node:assert/strict';
import { STATS_METHOD, type ServerStats } from '../../shared/src/protocol';
import { parse } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { SIDECAR_SNIPPETS } from '../../snippets/catalogue';
import { applyCompletion, cursorFixture } from '../support/completion';
import { lintText } from '../support/lint';
import { LspClient } from '../support/lsp-client';

const SNIPPET = 15; // CompletionItemKind.Snippet
const SIDECAR_TITLES = SIDECAR_SNIPPETS.map((s) => s.title);

describe('completion over LSP', function () {
  let client: LspClient;
  let opened = 0;

  before(async () => {
    client = new LspClient();
    const init = (await client.initialize()) as { capabilities: { completionProvider?: unknown } };
    assert.ok(init.capabilities.completionProvider);
  });
  after(async () => {
    await client.shutdown();
  });

  /** Opens `text` under a fresh URI and asks for completions at `offset`. */
  async function completeText(
    text: string,
    offset: number,
    name = 'doc.yaml',
    context?: unknown,
  ): Promise<CompletionItem[]> {
    const uri = `file:///completion/${opened++}/${name}`;
    await client.open(uri, text);
    const position = TextDocument.create(uri, 'yaml', 1, text).positionAt(offset);
    const result = await client.connection.sendRequest<CompletionItem[] | CompletionList | null>(
      'textDocument/completion',
      { textDocument: { uri }, position, ...(context ? { context } : {}) },
    );
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  async function complete(fixture: string): Promise<{ text: string; items: CompletionItem[] }> {
    const { text, offset } = cursorFixture(fixture);
    return { text, items: await completeText(text, offset, fixture) };
  }

  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
  const sidecars = (items: CompletionItem[]): CompletionItem[] =>
    items.filter((i) => i.kind === SNIPPET && SIDECAR_TITLES.includes(i.label));
  const problems = (text: string): string[] =>
    lintText(text)
      .filter((f) => f.severity !== 'info')
      .map((f) => `${f.line}: ${f.rule}: ${f.message}`);

  describe('sidecars at a new list item', () => {
    it('offers every sidecar in its classic form in containers', async () => {
      const { items } = await complete('deployment-containers.yaml');
      const offered = sidecars(items);
      assert.deepEqual(labels(offered), SIDECAR_TITLES);
      for (const item of offered) {
        assert.equal(item.insertTextFormat, 2);
        assert.equal(item.labelDetails?.description, 'sidecar');
        assert.doesNotMatch((item.textEdit as { newText: string }).newText, /restartPolicy/);
      }
    });

    it('offers the native form (restartPolicy: Always) in initContainers', async () => {
      const { items } = await complete('deployment-init.yaml');
      const offered = sidecars(items);
      assert.deepEqual(labels(offered), SIDECAR_TITLES);
      for (const item of offered) {
        assert.match((item.textEdit as { newText: string }).newText, /\n {10}restartPolicy: Always\n/);
      }
    });

    it("offers none in a Job's containers, where a helper would keep the Job running", async () => {
      const { items } = await complete('job-containers.yaml');
      assert.deepEqual(sidecars(items), []);
      // the container's own keys are still offered
      assert.ok(labels(items).includes('image'));
    });

    for (const fixture of ['deployment-containers.yaml', 'deployment-init.yaml', 'job-init.yaml', 'empty-init.yaml']) {
      it(`every sidecar inserted in ${fixture} lints clean`, async () => {
        const { text, items } = await complete(fixture);
        const offered = sidecars(items);
        assert.equal(offered.length, SIDECAR_SNIPPETS.length);
        for (const item of offered) {
          const after = applyCompletion(text, item);
          assert.deepEqual(problems(after), [], `${item.label}:\n${after}`);
        }
      });
    }

    it('adds the shared volume to spec.volumes and mounts it in the app', async () => {
      const { text, items } = await complete('deployment-containers.yaml');
      const item = items.find((i) => i.label === 'Fluent Bit log shipper')!;
      const spec = parse(applyCompletion(text, item)).spec.template.spec;
      assert.deepEqual(spec.volumes, [
        { name: 'logs', emptyDir: {} },
        { name: 'fluent-bit-config', configMap: { name: 'fluent-bit-config' } },
      ]);
      assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'logs', mountPath: '/var/log/app' }]);
      assert.deepEqual(spec.containers[1].volumeMounts, [
        { name: 'logs', mountPath: '/var/log/app', readOnly: true },
        { name: 'fluent-bit-config', mountPath: '/fluent-bit/etc/', readOnly: true },
      ]);
    });

    it('reuses the emptyDir the app already mounts at the same path', async () => {
      const { text, items } = await complete('reuse-emptydir.yaml');
      const item = items.find((i) => i.label === 'Log tailer (busybox)')!;
      assert.equal(item.additionalTextEdits, undefined);
      const spec = parse(applyCompletion(text, item)).spec;
      assert.deepEqual(spec.volumes, [{ name: 'app-logs', emptyDir: {} }]);
      assert.deepEqual(spec.initContainers[0].volumeMounts, [
        { name: 'app-logs', mountPath: '/var/log/app', readOnly: true },
      ]);
      assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'app-logs', mountPath: '/var/log/app' }]);
    });

    it('turns empty flow lists into block lists, keeping what was typed for filtering', async () => {
      const { text, items } = await complete('flow-volumes.yaml');
      const item = items.find((i) => i.label === 'Fluent Bit log shipper')!;
      assert.match(item.filterText ?? '', /^fluent-bit /);
      const after = applyCompletion(text, item);
      assert.deepEqual(problems(after), [], after);
      const spec = parse(after).spec;
      assert.deepEqual(
        spec.volumes.map((v: { name: string }) => v.name),
        ['logs', 'fluent-bit-config'],
      );
      assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'logs', mountPath: '/var/log/app' }]);
    });

    it('renames a new volume whose name another kind of volume has, in compact lists', async () => {
      const { text, items } = await complete('name-clash.yaml');
      const item = items.find((i) => i.label === 'Log tailer (busybox)')!;
      const after = applyCompletion(text, item);
      assert.deepEqual(problems(after), [], after);
      const spec = parse(after).spec;
      assert.deepEqual(spec.volumes[1], { name: 'logs-2', emptyDir: {} });
      assert.deepEqual(spec.containers[0].volumeMounts[1], { name: 'logs-2', mountPath: '/var/log/app' });
      assert.equal(spec.containers[1].volumeMounts[0].name, 'logs-2');
    });
  });

  describe('schema keys and values', () => {
    it('offers the keys of the map under the cursor on a half-typed line, without the present ones', async () => {
      const { text, items } = await complete('container-keys.yaml');
      const names = labels(items);
      for (const key of ['image', 'imagePullPolicy', 'livenessProbe', 'volumeMounts'])
        assert.ok(names.includes(key), key);
      assert.ok(!names.includes('name') && !names.includes('ports'), 'present keys are not offered');
      const image = items.find((i) => i.label === 'image')!;
      assert.match(String((image.documentation as { value: string }).value), /Container image name/);
      // the edit replaces the half-typed word
      const edit = image.textEdit as { range: { start: { line: number; character: number } } };
      assert.deepEqual(edit.range.start, { line: 9, character: 10 });
      assert.equal(applyCompletion(text, image).split('\n')[9], '          image: ');
    });

    it('sorts required keys first and explains them', async () => {
      const { items } = await complete('deployment-containers.yaml');
      const keys = items.filter((i) => i.kind !== SNIPPET).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
      assert.equal(keys[0]!.label, 'name');
      assert.match(keys[0]!.detail ?? '', /required/);
    });

    it('offers enum values', async () => {
      const { items } = await complete('enum-value.yaml');
      assert.deepEqual(labels(items), ['Always', 'Never', 'IfNotPresent']);
    });

    it("offers the pod's volumes for a mount, the ones this container lacks first", async () => {
      const { items } = await complete('mount-name.yaml');
      const sorted = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
      assert.deepEqual(labels(sorted), ['config', 'logs']);
      assert.equal(items.find((i) => i.label === 'logs')!.detail, 'emptyDir volume');
    });

    it("offers the container's own port names for a probe", async () => {
      const { items } = await complete('probe-port.yaml');
      assert.deepEqual(labels(items), ['http', 'admin']);
      assert.equal(items[0]!.detail, 'port 8080/TCP');
    });

    it('offers the top-level keys that are missing', async () => {
      const { items } = await complete('pod-root.yaml');
      assert.deepEqual(labels(items), ['spec']);
    });
  });

  describe('injectors', () => {
    it("offers Istio's label on the pod template's labels", async () => {
      const { text, items } = await complete('template-labels.yaml');
      assert.ok(labels(items).includes('sidecar.istio.io/inject'));
      assert.ok(!labels(items).includes('dapr.io/enabled'), 'annotations are not offered as labels');
      const injection = items.find((i) => i.label === 'Istio sidecar injection')!;
      const after = applyCompletion(text, injection);
      assert.deepEqual(parse(after).spec.template.metadata.labels, { app: 'web', 'sidecar.istio.io/inject': 'true' });
      assert.deepEqual(problems(after), []);
    });

    it("offers annotations on the pod template's annotations, without the keys present", async () => {
      const { text, items } = await complete('template-annotations.yaml');
      const names = labels(items);
      for (const key of ['linkerd.io/inject', 'dapr.io/app-id', 'vault.hashicorp.com/agent-inject']) {
        assert.ok(names.includes(key), key);
      }
      assert.ok(!names.includes('dapr.io/enabled') && !names.includes('Dapr sidecar injection'));
      assert.ok(!names.includes('sidecar.istio.io/inject'), 'the Istio label is not offered as an annotation');
      for (const title of ['Linkerd proxy injection', 'Vault Agent injection', 'OpenTelemetry Collector injection']) {
        const after = applyCompletion(
          text,
          items.find((i) => i.label === title)!,
        );
        assert.deepEqual(problems(after), [], after);
      }
      const documentation = items.find((i) => i.label === 'linkerd.io/inject')!.documentation as { value: string };
      assert.match(documentation.value, /linkerd\.io/);
    });

    it("offers nothing on a Deployment's own metadata, where injectors do not look", async () => {
      const { items } = await complete('workload-annotations.yaml');
      assert.deepEqual(items, []);
    });

    it("offers an injector key's values", async () => {
      const { items } = await complete('annotation-value.yaml');
      assert.deepEqual(labels(items), ['enabled', 'disabled', 'ingress']);
    });
  });

  describe('where it stays quiet', () => {
    it('in docker-compose files and other YAML', async () => {
      assert.deepEqual((await complete('docker-compose.yaml')).items, []);
      assert.deepEqual((await complete('configmap.yaml')).items, []);
    });

    it('on a space typed into indentation, but not after a dash', async () => {
      const { text, offset } = cursorFixture('template-labels.yaml');
      const trigger = { triggerKind: 2, triggerCharacter: ' ' };
      assert.deepEqual(await completeText(text, offset, 'space.yaml', trigger), []);
      const dash = cursorFixture('deployment-init.yaml');
      assert.equal(sidecars(await completeText(dash.text, dash.offset, 'dash.yaml', trigger)).length, 10);
    });

    it('inside comments, quoted strings, block scalars, flow lists and text that does not nest', async () => {
      const base = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n';
      for (const tail of [
        '      # ima',
        '      image: "ngi',
        '      args:\n        - |\n          ech',
        '      command: [sh, ',
        // between the list's key and its items: no item or key fits there
        '   weird',
        // under a plain value: a multi-line scalar
        '      image: nginx\n        ',
        '      env:\n        - name: A\n      value: x\n          ',
        '\t\timage: ',
        '      - - - ',
        '---\n',
      ]) {
        const text = base + tail;
        assert.deepEqual(await completeText(text, text.length, 'odd.yaml'), [], JSON.stringify(tail));
      }
      assert.equal(client.stderr, '');
    });
  });

  it('answers on a 10,000-line file from the documents already parsed', async () => {
    const env = Array.from({ length: 40 }, (_, j) => `            - name: VAR_${j}\n              value: "v${j}"`).join(
      '\n',
    );
    const docs: string[] = [];
    for (let i = 0; docs.join('').split('\n').length < 10_000; i++) {
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          env:\n${env}\n---\n`,
      );
    }
    const middle = Math.floor(docs.length / 2);
    docs[middle] = docs[middle]!.replace('          env:', '        - \n          env:');
    const text = docs.join('');
    const offset = text.indexOf('        - \n') + '        - '.length;
    const uri = `file:///completion/${opened++}/big.yaml`;
    await client.open(uri, text);
    await client.waitForDiagnostics(uri);
    const position = TextDocument.create(uri, 'yaml', 1, text).positionAt(offset);
    // speed is the benchmark's business (npm run bench); here: the first check kept no syntax
    // tree, so completion parses the one document at the cursor once, whatever the size of the file
    const before = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
    for (let round = 0; round < 5; round++) {
      const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position,
      });
      assert.equal(sidecars(items).length, SIDECAR_SNIPPETS.length);
    }
    const after = await client.connection.sendRequest<ServerStats>(STATS_METHOD);
    assert.equal(after.parseCount - before.parseCount, 1, 'one document parsed, once');
  });
});

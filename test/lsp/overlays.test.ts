// Rendered kustomize overlays in the editor (lsp/overlay-handler.ts), over stdio as an editor runs
// the server: findings of the rendered overlay on the files that wrote them when a file is opened,
// again on save, the diagram of a kustomization, and renderers that are missing, fail or hang,
// none of which blocks the server.
import * as assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DIAGRAM_REQUEST } from '../../shared/src/protocol';
import type { DiagramModel } from '../../shared/src/diagram-model';
import { findRenderer } from '../../server/src/workspace/render';
import { LspClient } from '../support/lsp-client';
import { FIXTURES } from '../support/lint';

const KUBECTL = findRenderer('kubectl');
const NO_KUBECTL = ' (skipped: no kubectl on PATH)';

const keys = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}:${String(d.code)}`).sort();

describe('rendered kustomize overlays in the editor', function () {
  this.timeout(60_000);
  let root: string;
  let client: LspClient | undefined;
  const file = (...p: string[]): string => join(root, ...p);
  const uri = (...p: string[]): string => pathToFileURL(file(...p)).href;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sp-lsp-overlays-'));
    cpSync(join(FIXTURES, 'kustomize', 'app'), root, { recursive: true });
  });
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  async function start(settings: Record<string, unknown> = {}, env?: NodeJS.ProcessEnv): Promise<LspClient> {
    client = new LspClient(['--stdio'], env);
    client.settings = settings;
    await client.initialize([pathToFileURL(root).href]);
    return client;
  }

  (KUBECTL ? it : it.skip)(
    `opening a base file renders the overlay: findings land on the patches, and again on save${KUBECTL ? '' : NO_KUBECTL}`,
    async () => {
      const c = await start();
      // the base file: the workspace's overlay uses it, so the overlay is rendered
      await c.open(uri('base', 'deployment.yaml'), readFileSync(file('base', 'deployment.yaml'), 'utf8'));
      // the patch is not open: its rendered findings are published all the same
      const shipper = uri('overlays', 'prod', 'patches', 'log-shipper.yaml');
      const rendered = await c.waitForDiagnostics(shipper, (ds) => ds.some((d) => d.code === 'resources'));
      assert.deepEqual(keys(rendered), ['10:resources']);
      assert.match(String(rendered[0]!.message), /"log-shipper" has no memory request/);
      // the base wrote nothing wrong: nothing rendered lands on it
      assert.deepEqual(keys(await c.waitForDiagnostics(uri('base', 'deployment.yaml'), () => true, 1)), []);

      // a patch opened and closed again keeps what the rendered overlay found in it
      const mistake = uri('overlays', 'prod', 'patches', 'mistake.yaml');
      await c.open(mistake, readFileSync(file('overlays', 'prod', 'patches', 'mistake.yaml'), 'utf8'));
      await c.waitForDiagnostics(mistake, (ds) => ds.some((d) => d.code === 'schema'), 1);
      await c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: mistake } });
      const afterClose = await c.waitForDiagnostics(
        mistake,
        (ds) => ds.length > 0 && ds.every((d) => d.code === 'resources'),
      );
      assert.deepEqual(keys(afterClose), ['13:resources', '17:resources']);

      // opened and edited, the patch gets its memory request: no render on a keystroke...
      const fixedText = readFileSync(file('overlays', 'prod', 'patches', 'log-shipper.yaml'), 'utf8').replace(
        '          restartPolicy: Always\n',
        '          restartPolicy: Always\n          resources:\n            requests:\n              memory: 32Mi\n',
      );
      await c.open(shipper, readFileSync(file('overlays', 'prod', 'patches', 'log-shipper.yaml'), 'utf8'));
      await c.change(shipper, 2, [{ text: fixedText }]);
      const typed = await c.waitForDiagnostics(shipper, () => true, 2);
      assert.deepEqual(keys(typed), ['10:resources'], 'the overlay as saved still lacks it');
      // ...and on save, the render reads the saved file
      writeFileSync(file('overlays', 'prod', 'patches', 'log-shipper.yaml'), fixedText);
      await c.save(shipper);
      await c.waitForDiagnostics(shipper, (ds) => ds.length === 0, 2);
    },
  );

  (KUBECTL ? it : it.skip)(
    `the set rules run on the rendered overlay: once per cause, related information in the source files${KUBECTL ? '' : NO_KUBECTL}`,
    async () => {
      cpSync(join(FIXTURES, 'kustomize', 'shop'), file('shop'), { recursive: true });
      // a second overlay of the same base, which finds the same
      cpSync(file('shop', 'overlays', 'prod'), file('shop', 'overlays', 'staging'), { recursive: true });
      const staging = file('shop', 'overlays', 'staging', 'kustomization.yaml');
      writeFileSync(staging, readFileSync(staging, 'utf8').replace(/prod/g, 'staging'));
      const c = await start();
      const service = uri('shop', 'base', 'service.yaml');
      await c.open(service, readFileSync(file('shop', 'base', 'service.yaml'), 'utf8'));
      // the rendered Service targets a port the overlay's patch renamed; the base's own port 9090
      // reaches nothing either, which the workspace set says, and the rendered set does not again
      const once = (ds: Diagnostic[]): boolean => keys(ds).join() === '11:service-target-port,13:service-target-port';
      // both overlays rendered: the first of them (as the CLI orders them) is the one kept
      const ds = await c.waitForDiagnostics(
        service,
        (d) => once(d) && d.some((x) => /overlays\/prod\)$/.test(String(x.message))),
      );
      const renamed = ds.find((d) => d.range.start.line === 10)!;
      assert.equal(renamed.severity, 1);
      assert.match(String(renamed.message), /\(they name web\).*\(rendered with the overlay \.\.\/overlays\/prod\)$/);
      assert.deepEqual(
        renamed.relatedInformation?.map((r) => `${r.location.uri}:${r.location.range.start.line + 1} ${r.message}`),
        [`${uri('shop', 'overlays', 'prod', 'port-name.yaml')}:12 Deployment prod-shop declares web (8080)`],
      );
      // a file not open: the key its pod reads from the generated ConfigMap, related to the generator
      const deployment = uri('shop', 'base', 'deployment.yaml');
      const key = await c.waitForDiagnostics(deployment, (d) => d.some((x) => x.code === 'missing-key'));
      assert.deepEqual(keys(key), ['25:missing-key']);
      assert.deepEqual(
        key[0]!.relatedInformation?.map((r) => `${r.location.uri}:${r.location.range.start.line + 1}`),
        [`${uri('shop', 'overlays', 'prod', 'kustomization.yaml')}:9`],
      );
      // what the workspace set reports may arrive after the render: still once, a while later
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(once(c.published(service)!.diagnostics), keys(c.published(service)!.diagnostics).join());

      // the pod gets a port 9090 as typed: the workspace set no longer says it, while the overlay as
      // saved (rendered) still lacks it, which the render now says, unrendered again
      const text = readFileSync(file('shop', 'base', 'deployment.yaml'), 'utf8');
      const withPort = text.replace(
        '              containerPort: 8080\n',
        '              containerPort: 8080\n            - name: metrics\n              containerPort: 9090\n',
      );
      await c.open(deployment, text);
      // opening renders again: wait until that render is in, so the change below is a set check's only
      await c.waitForDiagnostics(deployment, (d) => keys(d).join() === '25:missing-key', 1);
      await new Promise((r) => setTimeout(r, 1500));
      await c.change(deployment, 2, [{ text: withPort }]);
      const rendered = await c.waitForDiagnostics(service, (d) =>
        d.some((x) => x.range.start.line === 12 && /rendered with the overlay/.test(String(x.message))),
      );
      assert.deepEqual(keys(rendered), ['11:service-target-port', '13:service-target-port']);
      // saved: rendered again, and the port is there
      writeFileSync(file('shop', 'base', 'deployment.yaml'), withPort);
      await c.save(deployment);
      await c.waitForDiagnostics(service, (d) => keys(d).join() === '11:service-target-port');
    },
  );

  (KUBECTL ? it : it.skip)(
    `"Show Pod Diagram" on a kustomization draws the rendered pods${KUBECTL ? '' : NO_KUBECTL}`,
    async () => {
      const c = await start();
      const kustomization = uri('overlays', 'prod', 'kustomization.yaml');
      await c.open(kustomization, readFileSync(file('overlays', 'prod', 'kustomization.yaml'), 'utf8'));
      const model = (await c.connection.sendRequest(DIAGRAM_REQUEST, { uri: kustomization })) as DiagramModel;
      assert.equal(model.pods.length, 1);
      assert.deepEqual(model.pods[0]!.containers.map((x) => x.name).sort(), ['debug', 'log-shipper', 'metrics', 'web']);
    },
  );

  it('without a renderer on PATH: one info, once, and the files still checked', async () => {
    // a PATH with node's folder only: no kubectl, no kustomize
    const c = await start({}, { ...process.env, PATH: join(root, 'no-such-bin') });
    const kustomization = uri('overlays', 'prod', 'kustomization.yaml');
    await c.open(kustomization, readFileSync(file('overlays', 'prod', 'kustomization.yaml'), 'utf8'));
    const told = await c.waitForDiagnostics(kustomization, (ds) =>
      ds.some((d) => /No kustomize renderer on PATH/.test(String(d.message))),
    );
    assert.equal(told.filter((d) => /No kustomize renderer/.test(String(d.message))).length, 1);
    assert.equal(told.find((d) => /No kustomize renderer/.test(String(d.message)))!.severity, 3);
    // a second file of the overlay: the patch is checked as written, and nothing is said again
    const mistake = uri('overlays', 'prod', 'patches', 'mistake.yaml');
    await c.open(mistake, readFileSync(file('overlays', 'prod', 'patches', 'mistake.yaml'), 'utf8'));
    assert.deepEqual(keys(await c.waitForDiagnostics(mistake, () => true, 1)), [
      '12:schema',
      '14:classic-sidecar',
      '20:port-conflict',
    ]);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!(c.published(mistake)?.diagnostics ?? []).some((d) => /renderer/.test(String(d.message))));
    assert.equal(
      c.published(kustomization)!.diagnostics.filter((d) => /No kustomize renderer/.test(String(d.message))).length,
      1,
    );
  });

  it('a renderer that fails: one error with its message on the kustomization, and the server goes on', async () => {
    const script = file('fail.sh');
    writeFileSync(script, "#!/bin/sh\necho 'Error: accumulating resources: no such thing' >&2\nexit 1\n");
    chmodSync(script, 0o755);
    const c = await start({ kustomizeRenderer: script });
    const kustomization = uri('overlays', 'prod', 'kustomization.yaml');
    await c.open(kustomization, readFileSync(file('overlays', 'prod', 'kustomization.yaml'), 'utf8'));
    const ds = await c.waitForDiagnostics(kustomization, (d) => d.some((x) => /cannot build/.test(String(x.message))));
    const errors = ds.filter((d) => /cannot build/.test(String(d.message)));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, 'kustomize cannot build this overlay: accumulating resources: no such thing');
    assert.equal(errors[0]!.severity, 1);
    assert.ok(c.alive);
  });

  it('a renderer that hangs is killed after the limit, and the server answers meanwhile', async () => {
    const script = file('hang.sh');
    const pidFile = file('hang.pid');
    writeFileSync(script, `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\nwait\n`);
    chmodSync(script, 0o755);
    const c = await start({ kustomizeRenderer: script, kustomizeTimeoutSeconds: 2 });
    const kustomization = uri('overlays', 'prod', 'kustomization.yaml');
    const patch = uri('overlays', 'prod', 'patches', 'mistake.yaml');
    const started = Date.now();
    await c.open(patch, readFileSync(file('overlays', 'prod', 'patches', 'mistake.yaml'), 'utf8'));
    // the patch's own diagnostics do not wait for the render
    await c.waitForDiagnostics(patch, (ds) => ds.length > 0, 1);
    assert.ok(Date.now() - started < 2000, 'published before the render ended');
    const hover = Date.now();
    await c.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: patch },
      position: { line: 11, character: 16 },
    });
    assert.ok(Date.now() - hover < 1000, 'a hover is answered while the renderer runs');
    const ds = await c.waitForDiagnostics(kustomization, (d) => d.some((x) => /took longer/.test(String(x.message))));
    assert.deepEqual(
      ds.filter((d) => /took longer/.test(String(d.message))).map((d) => d.message),
      ['This overlay was not checked as rendered: the renderer took longer than 2 s and was stopped.'],
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 300));
    const running = ((): boolean => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      // a zombie waiting for PID 1 to reap it has stopped all the same
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    })();
    assert.equal(running, false, 'what the renderer started is killed too');
  });
});

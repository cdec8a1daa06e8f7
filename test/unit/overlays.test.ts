// Rendered overlays (workspace/overlays.ts, workspace/render.ts): which kustomizations are rendered,
// where a rendered finding lands (the source line that wrote the value, else the overlay's entry),
// one finding per cause, and renderers that are missing, fail or hang.
import * as assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type Finding } from '../../server/src/engine';
import { normalizeSettings } from '../../shared/src/settings';
import {
  checkRendered,
  KustomizationGraph,
  kustomizationsAbove,
  notRendered,
  renderedContext,
  topOverlays,
  type FileFindings,
} from '../../server/src/workspace/overlays';
import {
  failureMessage,
  findRenderer,
  render,
  renderSync,
  type RenderOutcome,
} from '../../server/src/workspace/render';
import { FIXTURES } from '../support/lint';

const KUBECTL = findRenderer('kubectl');

/** A copy of the base/overlay fixture (test/fixtures/kustomize/app) to change at will. */
function copyApp(): string {
  const root = mkdtempSync(join(tmpdir(), 'sp-overlays-'));
  cpSync(join(FIXTURES, 'kustomize', 'app'), root, { recursive: true });
  return root;
}

function contextOf(engine: Engine, reported?: (path: string) => readonly Finding[]) {
  const { settings } = normalizeSettings({});
  return renderedContext(engine, {
    settingsFor: (path: string) => {
      const g = engine.govern({ path }, settings);
      return g.ignored ? undefined : g.settings;
    },
    textOf: (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
    ...(reported ? { reported } : {}),
  });
}

/** `file:line: rule` of each finding, the line 1-based, files relative to `root`. */
function lines(found: FileFindings, root: string): string[] {
  const out: string[] = [];
  for (const [file, list] of found) {
    const text = readFileSync(file, 'utf8');
    for (const f of list) {
      const line = text.slice(0, f.range.start).split('\n').length;
      out.push(`${file.slice(root.length + 1)}:${line}: ${f.rule}`);
    }
  }
  return out.sort();
}

/** A rendered output as kustomize writes it, origin annotation and all, for tests without kubectl. */
function renderedText(origin: string, containers: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ${origin}
  name: prod-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
${containers}`;
}

describe('rendered overlays', () => {
  describe('which kustomizations are rendered', () => {
    let root: string;
    before(() => (root = copyApp()));
    after(() => rmSync(root, { recursive: true, force: true }));

    it('renders the overlay, not the base it includes, for a base file and for all files', () => {
      const graph = new KustomizationGraph();
      const base = join(root, 'base', 'kustomization.yaml');
      const prod = join(root, 'overlays', 'prod', 'kustomization.yaml');
      const deployment = join(root, 'base', 'deployment.yaml');
      assert.deepEqual(kustomizationsAbove(deployment).slice(0, 1), [base]);
      // only the base is among or above the base's file: it is rendered on its own
      assert.deepEqual(topOverlays([deployment], kustomizationsAbove(deployment), graph), [base]);
      // with the overlay among the candidates, the overlay includes the base: one render
      assert.deepEqual(topOverlays([deployment], [base, prod], graph), [prod]);
      const patch = join(root, 'overlays', 'prod', 'patches', 'mistake.yaml');
      assert.deepEqual(topOverlays([patch], kustomizationsAbove(patch), graph), [prod]);
      // a kustomization that uses none of the files is not rendered
      assert.deepEqual(topOverlays([join(root, 'elsewhere.yaml')], [base, prod], graph), []);
    });

    it('knows the patches of the tree, the overlay first, and survives a cycle', () => {
      const dir = mkdtempSync(join(tmpdir(), 'sp-cycle-'));
      try {
        mkdirSync(join(dir, 'a'));
        mkdirSync(join(dir, 'b'));
        writeFileSync(join(dir, 'a', 'kustomization.yaml'), 'resources: [../b]\npatches: [{path: p.yaml}]\n');
        writeFileSync(join(dir, 'a', 'p.yaml'), 'kind: Deployment\n');
        writeFileSync(join(dir, 'b', 'kustomization.yaml'), 'resources: [../a]\n');
        const node = new KustomizationGraph().node(join(dir, 'a', 'kustomization.yaml'));
        assert.deepEqual(node?.patches, [join(dir, 'a', 'p.yaml')]);
        assert.ok(node?.includes.has(join(dir, 'b', 'kustomization.yaml')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('does not render an overlay with remote targets, and says so once', () => {
      const dir = mkdtempSync(join(tmpdir(), 'sp-remote-'));
      try {
        writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - github.com/example/app//base?ref=v1\n');
        const node = new KustomizationGraph().node(join(dir, 'kustomization.yaml'))!;
        const f = notRendered(node, readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
        assert.equal(f?.severity, 'info');
        assert.match(f!.message, /github\.com\/example\/app\/\/base\?ref=v1/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('where a rendered finding lands', () => {
    let root: string;
    before(() => (root = copyApp()));
    after(() => rmSync(root, { recursive: true, force: true }));

    it('a value a patch writes lands on the patch line; what the base wrote and reports itself, not again', () => {
      const prod = join(root, 'overlays', 'prod', 'kustomization.yaml');
      // what kubectl kustomize makes of the overlay (origin relative to the generated folder)
      const text = renderedText(
        '../base/deployment.yaml',
        `      - image: ghcr.io/example/web:1.4.2
        name: web
        ports:
        - containerPort: 8080
      - image: nginx/nginx-prometheus-exporter:1.3.0
        name: metrics
        ports:
        - containerPort: 9113
      - image: busybox:1.36
        name: debug
        ports:
        - containerPort: 9113
`,
      );
      const outcome: RenderOutcome = { ok: true, text, base: join(root, 'x') };
      const found = checkRendered(prod, outcome, new KustomizationGraph(), contextOf(new Engine()));
      const got = lines(found, root);
      // debug's 9113 is written on line 20 of the patch, which its own check reports already (the
      // port clash within the patch): not twice. The containers the patch adds have no memory
      // request: that is known only rendered, and lands on each container's name in the patch.
      assert.ok(!got.some((l) => l.includes('port-conflict')), got.join('\n'));
      assert.ok(got.includes('overlays/prod/patches/mistake.yaml:13: resources'), got.join('\n'));
      assert.ok(got.includes('overlays/prod/patches/mistake.yaml:17: resources'), got.join('\n'));
      // the base's own container has its memory request: nothing lands on the base
      assert.ok(!got.some((l) => l.startsWith('base/')), got.join('\n'));
    });

    it('a sidecar patched in on a port the base container uses: the finding is on the patch line', () => {
      const patch = join(root, 'overlays', 'prod', 'patches', 'log-shipper.yaml');
      writeFileSync(
        patch,
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          ports:
            - containerPort: 8080
`,
      );
      const text = renderedText(
        '../base/deployment.yaml',
        `      - image: ghcr.io/example/web:1.4.2
        name: web
        ports:
        - containerPort: 8080
        resources:
          requests:
            memory: 128Mi
      - image: envoyproxy/envoy:v1.31.0
        name: proxy
        ports:
        - containerPort: 8080
`,
      );
      const prod = join(root, 'overlays', 'prod', 'kustomization.yaml');
      const found = checkRendered(
        prod,
        { ok: true, text, base: join(root, 'x') },
        new KustomizationGraph(),
        contextOf(new Engine()),
      );
      const got = lines(found, root);
      assert.ok(got.includes('overlays/prod/patches/log-shipper.yaml:12: port-conflict'), got.join('\n'));
      // once: not also on the base's line
      assert.equal(got.filter((l) => l.endsWith('port-conflict')).length, 1, got.join('\n'));
    });

    it('a comment that silences a rule on the line a rendered finding lands on silences it', () => {
      const dir = copyApp();
      try {
        const patch = join(dir, 'overlays', 'prod', 'patches', 'mistake.yaml');
        writeFileSync(
          patch,
          readFileSync(patch, 'utf8').replace(
            '        - name: metrics\n',
            '        # sidecar-pods-disable-next-line resources -- the exporter is tiny\n        - name: metrics\n',
          ),
        );
        const text = renderedText(
          '../base/deployment.yaml',
          `      - image: nginx/nginx-prometheus-exporter:1.3.0
        name: metrics
      - image: busybox:1.36
        name: debug
`,
        );
        const found = checkRendered(
          join(dir, 'overlays', 'prod', 'kustomization.yaml'),
          { ok: true, text, base: join(dir, 'x') },
          new KustomizationGraph(),
          contextOf(new Engine()),
        );
        // the metrics container's is silenced; debug's is not
        assert.deepEqual(
          lines(found, dir).filter((l) => l.endsWith(': resources')),
          ['overlays/prod/patches/mistake.yaml:18: resources'],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a value no source file wrote lands on the entry that brought the object in, naming it', () => {
      const prod = join(root, 'overlays', 'prod', 'kustomization.yaml');
      // an image tag set by an images: transformer is written in no manifest
      const text = renderedText(
        '../base/deployment.yaml',
        `      - image: ghcr.io/example/web:latest
        name: web
`,
      );
      const found = checkRendered(
        prod,
        { ok: true, text, base: join(root, 'x') },
        new KustomizationGraph(),
        contextOf(new Engine()),
      );
      const onEntry = (found.get(prod) ?? []).filter((f) => f.rule === 'image-tag');
      assert.equal(onEntry.length, 1);
      assert.match(
        onEntry[0]!.message,
        /\(in the rendered Deployment prod-web, from \.\.\/\.\.\/base\/deployment\.yaml\)$/,
      );
      const kustomization = readFileSync(prod, 'utf8');
      assert.equal(kustomization.slice(onEntry[0]!.range.start, onEntry[0]!.range.end), '../../base');
    });

    it('a failed render is one error on the kustomization, unless the kustomization rule says why', () => {
      const prod = join(root, 'overlays', 'prod', 'kustomization.yaml');
      const found = checkRendered(
        prod,
        { ok: false, message: 'no matches for Id Deployment.v1.apps/nope.[noNs]' },
        new KustomizationGraph(),
        contextOf(new Engine()),
      );
      assert.deepEqual(
        [...found.entries()].map(([f, l]) => [f, l.map((x) => `${x.severity}: ${x.message}`)]),
        [[prod, ['error: kustomize cannot build this overlay: no matches for Id Deployment.v1.apps/nope.[noNs]']]],
      );
      const dir = mkdtempSync(join(tmpdir(), 'sp-broken-'));
      try {
        writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - gone.yaml\n');
        const broken = checkRendered(
          join(dir, 'kustomization.yaml'),
          { ok: false, message: "accumulating resources: 'gone.yaml' no such file" },
          new KustomizationGraph(),
          contextOf(new Engine()),
        );
        assert.equal(broken.size, 0, 'the missing file is reported once, by the kustomization rule');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reads the message out of kubectl and kustomize errors', () => {
      assert.equal(
        failureMessage(
          `# Warning: 'bases' is deprecated.\nE1203 18:18:47.256787 24530 run.go:72] "command failed" err="accumulating resources: \\"x\\" missing"\n`,
          1,
        ),
        'accumulating resources: "x" missing',
      );
      assert.equal(
        failureMessage('Error: map[string]interface {}(nil): yaml: unmarshal errors\n', 1),
        'map[string]interface {}(nil): yaml: unmarshal errors',
      );
      assert.equal(failureMessage('', 3), 'the renderer exited with status 3');
    });
  });

  describe('the set rules on a rendered overlay', () => {
    let root: string;
    // the shop fixture: a base Deployment and Service, an overlay that renames the container's port,
    // sets a namespace and a name prefix, and generates the ConfigMap the pod reads
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'sp-rendered-set-'));
      cpSync(join(FIXTURES, 'kustomize', 'shop'), root, { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const prod = (): string => join(root, 'overlays', 'prod', 'kustomization.yaml');
    /** What kubectl kustomize makes of overlays/prod (origins relative to the generated folder). */
    const shopRendered = (): string => readFileSync(join(FIXTURES, 'kustomize', 'shop-prod.rendered.yaml'), 'utf8');
    const PORTS = '        ports:\n        - containerPort: 8080\n          name: web\n';
    const checkShop = (text = shopRendered(), reported?: (path: string) => readonly Finding[]): FileFindings =>
      checkRendered(
        prod(),
        { ok: true, text, base: join(root, 'x') },
        new KustomizationGraph(),
        contextOf(new Engine(), reported),
      );
    /** `file:line` (1-based, relative to root) of a range of a file. */
    const at = (file: string, range: { start: number }): string =>
      `${file.slice(root.length + 1)}:${readFileSync(file, 'utf8').slice(0, range.start).split('\n').length}`;
    const ofRule = (found: FileFindings, rule: string) =>
      [...found].flatMap(([file, list]) => list.filter((f) => f.rule === rule).map((f) => ({ file, f })));

    it('a port a patch renames: the Service that still targets it, on its targetPort line, related to the patch', () => {
      const found = ofRule(checkShop(), 'service-target-port').filter((x) => x.f.severity === 'error');
      assert.deepEqual(
        found.map((x) => at(x.file, x.f.range)),
        ['base/service.yaml:11'],
      );
      const { f } = found[0]!;
      assert.match(
        f.message,
        /^targetPort http is a port name no container of the selected pods declares \(they name web\)/,
      );
      assert.match(f.message, /\(rendered with the overlay \.\.\/overlays\/prod\)$/);
      // the other side: where the patch writes the port that is now named web
      assert.deepEqual(
        f.related?.map((r) => `${at(r.key!, r.range)} ${r.message}`),
        ['overlays/prod/port-name.yaml:12 Deployment prod-shop declares web (8080)'],
      );
      assert.equal(f.fixes, undefined, 'a fix would edit the rendered text');
    });

    it('a key the generated ConfigMap lacks: on the key the pod reads, related to the generator', () => {
      const found = ofRule(checkShop(), 'missing-key');
      assert.deepEqual(
        found.map((x) => at(x.file, x.f.range)),
        ['base/deployment.yaml:25'],
      );
      const related = found[0]!.f.related ?? [];
      assert.deepEqual(
        related.map((r) => at(r.key!, r.range)),
        ['overlays/prod/kustomization.yaml:9'],
      );
      const kustomization = readFileSync(prod(), 'utf8');
      assert.equal(kustomization.slice(related[0]!.range.start, related[0]!.range.end), 'shop-settings');
    });

    it('a pod with no port: the related object is where its own file names it, not the patch that names it too', () => {
      const found = ofRule(checkShop(shopRendered().replace(PORTS, '')), 'service-target-port').filter(
        (x) => x.f.severity === 'error',
      );
      assert.deepEqual(
        found[0]!.f.related?.map((r) => `${at(r.key!, r.range)} ${r.message}`),
        // the rendered name prod-shop is written `shop` (namePrefix)
        ['base/deployment.yaml:4 Deployment prod-shop declares no port'],
      );
    });

    it('what the set rules say on the source files is not said again', () => {
      // the source files as one set, as the CLI and the editor's workspace check them
      const engine = new Engine();
      const { settings } = normalizeSettings({});
      const files = [join(root, 'base', 'deployment.yaml'), join(root, 'base', 'service.yaml'), prod()];
      const own = engine.checkSet(files.map((f) => ({ key: f, text: readFileSync(f, 'utf8'), settings })));
      // the Service's port 9090 reaches no container port, in the base already
      assert.deepEqual(
        [...own].flatMap(([file, list]) => list.map((f) => `${at(file, f.range)} ${f.rule}`)),
        ['base/service.yaml:13 service-target-port'],
      );
      const port9090 = (found: FileFindings): string[] =>
        ofRule(found, 'service-target-port')
          .filter((x) => x.f.severity === 'info')
          .map((x) => at(x.file, x.f.range));
      assert.deepEqual(port9090(checkShop()), ['base/service.yaml:13'], 'said by the render alone');
      assert.deepEqual(
        port9090(checkShop(shopRendered(), (path) => own.get(path) ?? [])),
        [],
        'said once, by the set check of the files',
      );
      // the render's own finding stays: no set check of the files says it
      assert.equal(
        ofRule(
          checkShop(shopRendered(), (path) => own.get(path) ?? []),
          'missing-key',
        ).length,
        1,
      );
    });

    it('a comment that silences a rule where the value is written silences the rendered finding', () => {
      const service = join(root, 'base', 'service.yaml');
      writeFileSync(
        service,
        readFileSync(service, 'utf8').replace(
          '      targetPort: http\n',
          '      # sidecar-pods-disable-next-line service-target-port -- prod routes by its own Service\n      targetPort: http\n',
        ),
      );
      const found = ofRule(checkShop(), 'service-target-port');
      assert.deepEqual(
        found.map((x) => `${at(x.file, x.f.range)} ${x.f.severity}`),
        ['base/service.yaml:14 info'],
      );
    });
  });

  describe('renderers', function () {
    this.timeout(30_000);
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'sp-renderers-'));
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('finds kubectl, then kustomize, on PATH; off and an absent one give none', () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'kustomize'), '#!/bin/sh\n');
      chmodSync(join(bin, 'kustomize'), 0o755);
      assert.deepEqual(findRenderer(undefined, bin), { command: join(bin, 'kustomize'), style: 'kustomize' });
      writeFileSync(join(bin, 'kubectl'), '#!/bin/sh\n');
      chmodSync(join(bin, 'kubectl'), 0o755);
      assert.deepEqual(findRenderer('', bin), { command: join(bin, 'kubectl'), style: 'kubectl' });
      assert.equal(findRenderer('off', bin), undefined);
      assert.equal(findRenderer(undefined, join(dir, 'nothing-here')), undefined);
      assert.deepEqual(findRenderer('/opt/x/my-render', bin), { command: '/opt/x/my-render', style: 'kustomize' });
    });

    it('kills a renderer that hangs, with what it started, in the background and in the CLI', async () => {
      const pidFile = join(dir, 'child.pid');
      const script = join(dir, 'hang.sh');
      writeFileSync(script, `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\nwait\n`);
      chmodSync(script, 0o755);
      const renderer = { command: script, style: 'kustomize' as const };
      // a killed process whose parent died too waits for PID 1 to reap it, which in a container
      // may never come: a zombie has stopped all the same
      const alive = (): boolean => {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        try {
          process.kill(pid, 0);
        } catch {
          return false;
        }
        const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
        return !/^\d+ \(.*\) Z/.test(stat);
      };
      for (const run of [() => render(dir, renderer, 0.5), async () => renderSync(dir, renderer, 0.5)]) {
        rmSync(pidFile, { force: true });
        const t = Date.now();
        const outcome = await run();
        assert.ok(Date.now() - t < 5000, 'stopped at the limit');
        assert.deepEqual(outcome, {
          ok: false,
          timedOut: true,
          message: 'the renderer took longer than 0.5 s and was stopped',
        });
        await new Promise((r) => setTimeout(r, 200));
        assert.ok(existsSync(pidFile), 'the script ran');
        assert.equal(alive(), false, 'the sleep it started is killed too');
      }
    });

    it('a renderer that fails gives its message; one that cannot start says so', async () => {
      const script = join(dir, 'fail.sh');
      writeFileSync(script, '#!/bin/sh\necho "Error: something is off" >&2\nexit 1\n');
      chmodSync(script, 0o755);
      assert.deepEqual(await render(dir, { command: script, style: 'kustomize' }), {
        ok: false,
        message: 'something is off',
      });
      assert.deepEqual(renderSync(dir, { command: script, style: 'kustomize' }), {
        ok: false,
        message: 'something is off',
      });
      const none = await render(dir, { command: join(dir, 'absent'), style: 'kustomize' });
      assert.equal(none.ok, false);
      assert.match((none as { message: string }).message, /could not be run: .*ENOENT/);
    });

    (KUBECTL ? it : it.skip)(
      `renders a real overlay with origin annotations, touching no user file${KUBECTL ? '' : ' (skipped: no kubectl on PATH)'}`,
      async () => {
        const root = copyApp();
        try {
          const before = readFileSync(join(root, 'overlays', 'prod', 'kustomization.yaml'), 'utf8');
          const outcome = await render(join(root, 'overlays', 'prod'), KUBECTL!);
          assert.ok(outcome.ok, JSON.stringify(outcome));
          assert.match(outcome.text, /config\.kubernetes\.io\/origin: \|\n\s+path: \S*base\/deployment\.yaml/);
          assert.equal(readFileSync(join(root, 'overlays', 'prod', 'kustomization.yaml'), 'utf8'), before);
          assert.deepEqual(renderSync(join(root, 'overlays', 'prod'), KUBECTL!).ok, true);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    );
  });
});

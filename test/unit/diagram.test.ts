import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { run } from '../../cli/src/main';
import {
  findNode,
  nodeAt,
  type DiagramContainer,
  type DiagramModel,
  type DiagramRange,
} from '../../shared/src/diagram-model';
import { isHostMessage, isWebviewMessage } from '../../shared/src/webview-protocol';
import { ModelCache } from '../../server/src/model/file-model';
import { diagramLenses } from '../../server/src/services/diagram';
import { renderDiagram, toSvgString, type SvgElement, type SvgNode } from '../../webview/src/render';
import { LIGHT } from '../../webview/src/theme';
import { bigPodYaml, diagramOf, hostilePodYaml } from '../support/diagram-fixtures';

function textAt(text: string, range: DiagramRange): string {
  const doc = TextDocument.create('file:///t.yaml', 'yaml', 1, text);
  return doc.getText(range);
}

function container(model: DiagramModel, name: string, pod = 0): DiagramContainer {
  const c = model.pods[pod]?.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name} in ${JSON.stringify(model.pods[pod]?.containers.map((x) => x.name))}`);
  return c;
}

const SIDECAR_POD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    metadata:
      labels:
        sidecar.istio.io/inject: "true"
    spec:
      initContainers:
        - name: migrate
          image: example/migrate:1
        - name: log-shipper
          image: fluent/fluent-bit:3.1
          restartPolicy: Always
          volumeMounts:
            - name: logs
              mountPath: /var/log/app
              readOnly: true
        - name: warm-cache
          image: example/warm:1
      containers:
        - name: api
          image: example/api:1
          ports:
            - containerPort: 8080
              name: http
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          livenessProbe:
            exec:
              command: ["cat", "/tmp/alive"]
          volumeMounts:
            - name: logs
              mountPath: /var/log/app
            - name: scratch
              mountPath: /tmp/scratch
      ephemeralContainers:
        - name: debugger
          image: busybox:1.36
      volumes:
        - name: logs
          emptyDir: {}
`;

const CLASH = `apiVersion: v1
kind: Pod
metadata:
  name: clash
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources: { requests: { memory: 64Mi } }
      ports:
        - containerPort: 8080
        - containerPort: 9000
    - name: metrics
      # not a known sidecar image, so no classic-sidecar advice lands on the container itself
      image: ghcr.io/example/metrics:1.0.0
      resources: { requests: { memory: 16Mi } }
      ports:
        - containerPort: 8080
`;

describe('pod diagram model (services/diagram)', () => {
  it('puts containers in lanes in start order, with ghosts for the injections asked for', () => {
    const model = diagramOf(SIDECAR_POD);
    assert.equal(model.pods.length, 1);
    const pod = model.pods[0]!;
    assert.equal(pod.kind, 'Deployment');
    assert.equal(pod.name, 'orders');
    assert.deepEqual(
      pod.containers.map((c) => [c.name, c.lane, c.startOrder]),
      [
        ['migrate', 'init', 1],
        ['log-shipper', 'sidecar', 2],
        ['warm-cache', 'init', 3],
        ['api', 'regular', undefined],
        ['debugger', 'ephemeral', undefined],
        ['istio-init', 'injected', undefined],
        ['istio-proxy', 'injected', undefined],
      ],
    );
    assert.equal(container(model, 'log-shipper').knownSidecar, 'Fluent Bit');
    const proxy = container(model, 'istio-proxy');
    assert.equal(proxy.injectedBy, 'Istio');
    assert.equal(proxy.ghostRole, 'regular');
    assert.ok(proxy.ports.some((p) => p.port === 15001));
    // a ghost points at what asks for it
    assert.equal(textAt(SIDECAR_POD, proxy.selectionRange), 'sidecar.istio.io/inject');
    assert.equal(textAt(SIDECAR_POD, proxy.range), 'sidecar.istio.io/inject: "true"');
  });

  it('wires each mount to its volume with path and read-only, and shows undeclared volumes', () => {
    const model = diagramOf(SIDECAR_POD);
    const pod = model.pods[0]!;
    const logs = pod.volumes.find((v) => v.name === 'logs');
    assert.ok(logs && !logs.missing && logs.source === 'emptyDir');
    assert.deepEqual(
      pod.containers.flatMap((c) => c.mounts.map((m) => [c.name, m.path, m.readOnly, m.volumeId])),
      [
        ['log-shipper', '/var/log/app', true, logs.id],
        ['api', '/var/log/app', false, logs.id],
        ['api', '/tmp/scratch', false, undefined],
      ],
    );
    const missing = pod.volumes.find((v) => v.missing);
    assert.equal(missing?.name, 'scratch');
    // the missing-volume finding lands on the mount that names it, not on the container
    const scratch = container(model, 'api').mounts[1]!;
    assert.deepEqual(
      scratch.findings.map((f) => f.rule),
      ['missing-volume'],
    );
    assert.equal(scratch.severity, 'error');
    assert.equal(textAt(SIDECAR_POD, scratch.selectionRange), '/tmp/scratch');
  });

  it('describes probes and points at their keys', () => {
    const model = diagramOf(SIDECAR_POD);
    const api = container(model, 'api');
    assert.deepEqual(
      api.probes.map((p) => [p.kind, p.handler]),
      [
        ['liveness', 'exec cat /tmp/alive'],
        ['readiness', 'httpGet :http /healthz'],
      ],
    );
    assert.equal(textAt(SIDECAR_POD, api.probes[1]!.selectionRange), 'readinessProbe');
    assert.match(textAt(SIDECAR_POD, api.probes[1]!.range), /^readinessProbe:\n\s+httpGet:[\s\S]*port: http\n?$/);
  });

  it('marks both ports of a clash red and puts the finding on the later one', () => {
    const model = diagramOf(CLASH);
    const web = container(model, 'web');
    const metrics = container(model, 'metrics');
    assert.deepEqual(
      web.ports.map((p) => [p.port, p.clash]),
      [
        [8080, true],
        [9000, false],
      ],
    );
    assert.equal(metrics.ports[0]!.clash, true);
    assert.deepEqual(
      metrics.ports[0]!.findings.map((f) => [f.rule, f.severity]),
      [['port-conflict', 'error']],
    );
    assert.equal(metrics.ports[0]!.severity, 'error');
    // the container is not blamed for its port's finding
    assert.equal(metrics.severity, undefined);
    assert.equal(textAt(CLASH, metrics.ports[0]!.selectionRange), '8080');
  });

  it('gives every node the range of its YAML, in the right document of a multi-document file', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${CLASH}---\n${SIDECAR_POD}`;
    const model = diagramOf(text);
    assert.deepEqual(
      model.pods.map((p) => [p.id, p.documentIndex, p.name]),
      [
        ['d1.p0', 1, 'clash'],
        ['d2.p0', 2, 'orders'],
      ],
    );
    const web = container(model, 'web', 0);
    assert.equal(textAt(text, web.selectionRange), 'web');
    assert.match(textAt(text, web.range), /^name: web\n\s+image: nginx:1\.27/);
    const api = container(model, 'api', 1);
    assert.equal(textAt(text, api.selectionRange), 'api');
    assert.equal(textAt(text, model.pods[1]!.selectionRange), 'orders');
    // one document only
    assert.deepEqual(
      diagramOf(text, 2).pods.map((p) => p.name),
      ['orders'],
    );
    assert.deepEqual(diagramOf(text, 0).pods, []);
  });

  it('draws nothing for non-pod YAML and for Helm templates', () => {
    assert.deepEqual(diagramOf('services:\n  web:\n    image: nginx\n').pods, []);
    const helm = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  containers:\n    - name: a\n      image: b\n`;
    assert.deepEqual(diagramOf(helm).pods, []);
  });

  it('survives half-typed YAML', () => {
    const broken = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      ports:\n        - containerPort: \n      volumeMounts:\n        - mountPath: /x\n    - image:\n  volumes:\n    - \n`;
    const model = diagramOf(broken);
    assert.equal(model.pods.length, 1);
    assert.deepEqual(
      model.pods[0]!.containers.map((c) => c.name),
      ['a', '#2 of containers'],
    );
    assert.deepEqual(model.pods[0]!.containers[0]!.ports, []);
  });

  it('finds the innermost node under the cursor, and nodes by id', () => {
    const model = diagramOf(SIDECAR_POD);
    const lines = SIDECAR_POD.split('\n');
    const line = lines.findIndex((l) => l.includes('path: /healthz'));
    const hit = nodeAt(model, { line, character: 20 });
    assert.equal(hit?.node.id, 'containers[0].readinessProbe');
    const nameLine = lines.findIndex((l) => l.includes('name: warm-cache'));
    assert.equal(nodeAt(model, { line: nameLine, character: 18 })?.node.id, 'initContainers[2]');
    // the injection label is in the pod's metadata, not in a ghost
    const labelLine = lines.findIndex((l) => l.includes('sidecar.istio.io/inject'));
    assert.equal(nodeAt(model, { line: labelLine, character: 12 })?.node.id, 'd0.p0');
    assert.equal(findNode(model, 'd0.p0', 'containers[0].volumeMounts[1]')?.findings[0]?.rule, 'missing-volume');
    assert.equal(findNode(model, 'd0.p0', 'nope'), undefined);
    assert.equal(findNode(model, 'd9.p0', 'containers[0]'), undefined);
  });

  it('puts one lens on the first line of each pod-bearing object', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\n---\n# a comment\n${CLASH}`;
    const lenses = diagramLenses(new ModelCache().parseFile(text));
    assert.equal(lenses.length, 1);
    const at = TextDocument.create('file:///t.yaml', 'yaml', 1, text).positionAt(lenses[0]!.offset);
    assert.equal(at.line, 4);
    assert.deepEqual([lenses[0]!.documentIndex, lenses[0]!.podId, lenses[0]!.title], [1, 'd1.p0', 'Show pod diagram']);
  });
});

describe('webview protocol guards', () => {
  it('accepts the messages of the protocol and nothing else', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'reveal', podId: 'd0.p0', nodeId: 'containers[1].ports[0]' }));
    assert.ok(isWebviewMessage({ type: 'selectPod', podId: 'd1.p0' }));
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'edit', text: 'x' },
      { type: 'reveal', podId: 'd0.p0' },
      { type: 'reveal', podId: 'd0.p0', nodeId: '<img onerror=x>' },
      { type: 'reveal', podId: 1, nodeId: 'a' },
      { type: 'selectPod', podId: 'x'.repeat(500) },
    ]) {
      assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
    }
  });

  it('checks a model deeply before the webview draws it', () => {
    const model = diagramOf(SIDECAR_POD);
    assert.ok(isHostMessage({ type: 'model', model, fileName: 'a.yaml' }));
    assert.ok(isHostMessage({ type: 'highlight', podId: null, nodeId: null }));
    const broken = JSON.parse(JSON.stringify(model)) as { pods: { containers: { ports: unknown[] }[] }[] };
    broken.pods[0]!.containers[3]!.ports.push({ id: 'x', port: '8080' });
    assert.equal(isHostMessage({ type: 'model', model: broken, fileName: 'a.yaml' }), false);
    assert.equal(isHostMessage({ type: 'model', model: { uri: 'x' }, fileName: 'a.yaml' }), false);
    assert.equal(isHostMessage({ type: 'script', code: 'alert(1)' }), false);
  });
});

/** Boxes (container, volume, chip) of a rendered tree with their absolute positions. */
function boxes(tree: SvgElement): { id: string; x: number; y: number; w: number; h: number }[] {
  const out: { id: string; x: number; y: number; w: number; h: number }[] = [];
  const walk = (node: SvgNode, dy: number, id: string | undefined): void => {
    if (typeof node === 'string') return;
    const m = /^translate\(0 ([\d.]+)\)$/.exec(String(node.attrs['transform'] ?? ''));
    const y0 = dy + (m ? Number(m[1]) : 0);
    const nodeId = node.attrs['data-node'] !== undefined ? String(node.attrs['data-node']) : id;
    const cls = String(node.attrs['class'] ?? '');
    if (node.tag === 'rect' && nodeId && (cls === 'sp-box' || cls === '')) {
      const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(node.attrs[k]));
      out.push({ id: nodeId, x: x!, y: y! + y0, w: w!, h: h! });
    }
    for (const c of node.children) walk(c, y0, nodeId);
  };
  walk(tree, 0, undefined);
  return out;
}

describe('diagram renderer', () => {
  it('lays out 12 containers and 10 volumes without overlapping boxes', () => {
    const model = diagramOf(bigPodYaml());
    const pod = model.pods[0]!;
    assert.equal(pod.containers.filter((c) => !c.injectedBy).length, 12);
    assert.equal(pod.volumes.length, 10);
    const placed = boxes(renderDiagram(model.pods));
    assert.ok(placed.length >= 12 + 10 + 2, `${placed.length} boxes`);
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i]!;
        const b = placed[j]!;
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        assert.ok(apart, `${a.id} overlaps ${b.id}`);
      }
    }
  });

  it('escapes every string of the model in the SVG text', () => {
    const svg = toSvgString(renderDiagram(diagramOf(hostilePodYaml()).pods, { palette: LIGHT }));
    // markup comes only from the renderer: every tag is one it writes, every string is text
    const tags = new Set([...svg.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]));
    assert.deepEqual([...tags].sort(), ['circle', 'g', 'path', 'rect', 'style', 'svg', 'text', 'title']);
    const openings = svg.match(/<[a-z]/g) ?? [];
    const wellFormed = [...svg.matchAll(/<[a-z]+((?:\s[\w-]+="[^"<>]*")*)>/g)];
    assert.equal(wellFormed.length, openings.length, 'every tag is a tag the renderer writes, quoted');
    const names = new Set(wellFormed.flatMap((m) => [...m[1]!.matchAll(/\s([\w-]+)=/g)].map((n) => n[1])));
    assert.ok(![...names].some((n) => /^on/i.test(n!)), `no event handler attribute: ${[...names].join(' ')}`);
    assert.match(svg, /&lt;script&gt;window\.__pwned = 1&lt;\/script&gt;/);
    assert.match(svg, /&amp;amp; &amp;lt;b&amp;gt;/);
  });

  it('is deterministic', () => {
    const a = toSvgString(renderDiagram(diagramOf(bigPodYaml()).pods));
    const b = toSvgString(renderDiagram(diagramOf(bigPodYaml()).pods));
    assert.equal(a, b);
  });
});

describe('sidecar-pods diagram', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-diagram-'));
  const cli = (args: string[]): { code: number; out: string; err: string } => {
    let out = '';
    let err = '';
    const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => '', cwd: dir });
    return { code, out, err };
  };

  it('writes an SVG of the pods of a file, one document or all, in light or dark', () => {
    const file = join(dir, 'two.yaml');
    writeFileSync(file, `${CLASH}---\n${SIDECAR_POD}`);
    const out = join(dir, 'out.svg');
    assert.equal(cli(['diagram', file, '-o', out]).code, 0);
    const all = readFileSync(out, 'utf8');
    assert.match(all, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(all, />Pod clash · 2 containers, 0 volumes</);
    assert.match(all, />Deployment orders · 5 containers \(\+2 injected\), 1 volume</);
    assert.equal(cli(['diagram', file, '--doc', '2', '--theme', 'dark', '-o', out]).code, 0);
    const second = readFileSync(out, 'utf8');
    assert.doesNotMatch(second, /Pod clash/);
    assert.match(second, /\.sp-bg \{ fill: #1e1e1e; \}/);
    assert.match(cli(['diagram', file, '--doc', '1', '-o', '-']).out, /Pod clash/);
  });

  it('explains bad usage and exits 2; exits 1 when there is no pod', () => {
    const file = join(dir, 'one.yaml');
    writeFileSync(file, CLASH);
    const cases: [string[], RegExp][] = [
      [['diagram'], /no FILE given/],
      [['diagram', file], /no output file given/],
      [['diagram', file, '-o', 'x.svg', '--theme', 'blue'], /--theme must be light or dark/],
      [['diagram', file, '-o', 'x.svg', '--doc', '0'], /--doc expects a document number from 1/],
      [['diagram', file, '-o', 'x.svg', '--doc', '2'], /has 1 YAML document$/m],
      [['diagram', file, '-o', 'x.svg', '--bogus'], /Unknown option '--bogus'/],
      [['diagram', join(dir, 'none.yaml'), '-o', 'x.svg'], /none\.yaml: no such file or directory/],
      [['diagram', file, '-o', join(dir, 'no', 'such', 'dir.svg')], /dir\.svg: no such file or directory/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message, args.join(' '));
    }
    assert.match(cli(['diagram', file]).err, /Usage: sidecar-pods diagram FILE/);
    assert.match(cli(['diagram', '--help']).out, /Usage: sidecar-pods diagram FILE/);
    const plain = join(dir, 'compose.yaml');
    writeFileSync(plain, 'services:\n  web:\n    image: nginx\n');
    const none = cli(['diagram', plain, '-o', join(dir, 'n.svg')]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no Kubernetes pod in/);
  });
});

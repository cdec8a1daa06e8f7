// The Services at the pod's edge (issue 17, part 5): where each Service port lands (the shared
// portTargets), the diagram's Service nodes and arrows, Services from other files, and a layout
// that takes the width it is given with no text smaller than the font asked for.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { run } from '../../cli/src/main';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { findNode, nodeAt, nodeUri, type DiagramModel } from '../../shared/src/diagram-model';
import { isHostMessage } from '../../shared/src/webview-protocol';
import { Engine, positionsOf } from '../../server/src/engine';
import { ModelCache } from '../../server/src/model/file-model';
import { inboundProxy, portTargets } from '../../server/src/model/service-ports';
import { servicesInFile, servicesOf } from '../../server/src/model/services';
import type { PodModel } from '../../server/src/model/types';
import { renderDiagram, toSvgString, type SvgElement, type SvgNode } from '../../webview/src/render';
import { diagramOf, eightContainersYaml } from '../support/diagram-fixtures';
import { FIXTURES } from '../support/lint';

const POD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    metadata:
      labels:
        app: shop
    spec:
      initContainers:
        - name: proxy
          image: envoyproxy/envoy:v1.31
          restartPolicy: Always
          ports:
            - containerPort: 9901
              name: admin
        - name: migrate
          image: example/migrate:1
          ports:
            - containerPort: 7000
              name: once
      containers:
        - name: web
          image: example/web:1
          ports:
            - containerPort: 8080
              name: http
            - containerPort: 5353
              name: dns
              protocol: UDP
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  type: NodePort
  selector:
    app: shop
  ports:
    - name: web
      port: 80
      targetPort: http
    - name: by-number
      port: 81
      targetPort: 8080
    - name: admin
      port: 9901
    - name: typo
      port: 82
      targetPort: htpp
    - name: init-only
      port: 83
      targetPort: once
    - name: dns-as-tcp
      port: 53
      targetPort: dns
    - name: nowhere
      port: 84
      targetPort: 9999
`;

function podOf(text: string): PodModel {
  const file = new ModelCache().parseFile(text);
  const pod = file.documents.find((d) => d.model.isPodDocument)?.model.pods[0];
  assert.ok(pod);
  return pod;
}

function model(text: string): DiagramModel {
  return diagramOf(text);
}

describe('portTargets: where a Service port lands in a pod', () => {
  const file = new ModelCache().parseFile(`${POD}---\n${SERVICE}`);
  const pod = file.documents[0]!.model.pods[0]!;
  const [service] = servicesInFile(file);
  assert.ok(service);

  it('summarises every port of the Service with name, port, targetPort and protocol', () => {
    assert.deepEqual(
      service.ports.map((p) => [p.name, p.port, p.targetPort, p.protocol]),
      [
        ['web', 80, 'http', 'TCP'],
        ['by-number', 81, 8080, 'TCP'],
        ['admin', 9901, 9901, 'TCP'],
        ['typo', 82, 'htpp', 'TCP'],
        ['init-only', 83, 'once', 'TCP'],
        ['dns-as-tcp', 53, 'dns', 'TCP'],
        ['nowhere', 84, 9999, 'TCP'],
      ],
    );
    assert.equal(service.type, 'NodePort');
    // targetPort written, or defaulted from port
    assert.deepEqual(
      service.ports.map((p) => p.targetWritten),
      [true, true, false, true, true, true, true],
    );
    assert.deepEqual(servicesOf(pod, [service]), [service]);
  });

  it('lands by name or number on app containers and native sidecars, with the protocol; says why not', () => {
    const targets = portTargets(service, pod);
    const where = targets.map((t) => t.landings.map((l) => `${l.container?.name?.value}:${l.number}`));
    assert.deepEqual(where, [['web:8080'], ['web:8080'], ['proxy:9901'], [], [], [], []]);
    assert.equal(targets[0]!.problem, undefined);
    assert.equal(targets[3]!.problem, 'targetPort "htpp": no container of the pod has a TCP port named "htpp"');
    // a run-to-completion init container serves no traffic
    assert.match(targets[4]!.problem!, /named "once"/);
    // a name on a UDP port does not serve a TCP Service port
    assert.match(targets[5]!.problem!, /TCP port named "dns"/);
    assert.equal(targets[6]!.problem, 'targetPort 9999: no container of the pod declares 9999/TCP');
  });

  it('leaves a target written through a placeholder unknown; says so of a port with neither targetPort nor port', () => {
    const templated = new ModelCache().parseFile(
      `${POD}---\n${SERVICE.replace('targetPort: 8080', 'targetPort: "{{ .Values.port }}"')}    - name: bare\n      protocol: TCP\n`,
    );
    const [s] = servicesInFile(templated);
    assert.ok(s);
    const byNumber = s.ports[1]!;
    assert.equal(byNumber.targetPort, undefined);
    assert.equal(byNumber.targetUnknown, true);
    const targets = portTargets(s, pod);
    assert.deepEqual(targets[1]!.landings, []);
    assert.equal(targets[1]!.problem, undefined);
    const bare = targets.at(-1)!;
    assert.equal(bare.servicePort.name, 'bare');
    assert.equal(bare.servicePort.targetUnknown, undefined);
    assert.equal(bare.problem, 'the port sets neither targetPort nor port');
  });

  it('counts a port an injected container binds as reached', () => {
    const meshed = podOf(
      POD.replace('        app: shop\n', '        app: shop\n        sidecar.istio.io/inject: "true"\n'),
    );
    const [t] = portTargets({ selector: {}, ports: [{ ...service.ports[0]!, targetPort: 15021 }] }, meshed);
    assert.deepEqual(
      t?.landings.map((l) => [l.injected, l.number]),
      [['istio-proxy', 15021]],
    );
  });

  it('names the mesh proxy inbound traffic passes first, unless the port is excluded', () => {
    assert.equal(inboundProxy(podOf(POD), 8080), undefined);
    const istio = podOf(
      POD.replace(
        '        app: shop\n',
        '        app: shop\n        sidecar.istio.io/inject: "true"\n      annotations:\n        traffic.sidecar.istio.io/excludeInboundPorts: "9000-9999"\n',
      ),
    );
    assert.deepEqual(inboundProxy(istio, 8080), { container: 'istio-proxy', injector: 'Istio', port: 15006 });
    assert.equal(inboundProxy(istio, 9901), undefined);
    assert.equal(inboundProxy(istio, 8080, 'UDP'), undefined);
    const linkerd = podOf(
      POD.replace(
        '    metadata:\n      labels:',
        '    metadata:\n      annotations:\n        linkerd.io/inject: enabled\n      labels:',
      ),
    );
    assert.equal(inboundProxy(linkerd, 8080)?.port, 4143);
  });

  it('keeps pod findings cached when only a Service moves', () => {
    const engine = new Engine();
    const text = `${POD}---\n${SERVICE}`;
    engine.check(text, DEFAULT_SETTINGS, 'k');
    const before = engine.linter.checkCount;
    // a comment line above the Service moves it (its ranges and offset) but not what it selects
    engine.check(text.replace('---\n', '---\n# moved\n'), DEFAULT_SETTINGS, 'k');
    assert.equal(engine.linter.checkCount - before, 1, 'only the edited document is checked again');
  });
});

describe('the diagram draws the Services that select the pod', () => {
  it('gives each Service port its targets and a broken arrow with the reason', () => {
    const m = model(`${POD}---\n${SERVICE}`);
    const [s] = m.pods[0]!.services ?? [];
    assert.ok(s);
    assert.equal(s.name, 'shop');
    assert.equal(s.type, 'NodePort');
    assert.deepEqual(
      s.ports.map((p) => [p.name, p.targets, p.broken !== undefined]),
      [
        ['web', ['containers[0].ports[0]'], false],
        ['by-number', ['containers[0].ports[0]'], false],
        ['admin', ['initContainers[0].ports[0]'], false],
        ['typo', [], true],
        ['init-only', [], true],
        ['dns-as-tcp', [], true],
        ['nowhere', [], true],
      ],
    );
    // every target is a port node of the pod
    for (const p of s.ports) for (const t of p.targets) assert.ok(findNode(m, m.pods[0]!.id, t), t);
    // the Service box points at its YAML: a click selects its name, the cursor in it highlights it
    const text = `${POD}---\n${SERVICE}`;
    const doc = TextDocument.create('file:///test.yaml', 'yaml', 1, text);
    assert.equal(doc.getText(s.selectionRange), 'shop');
    assert.equal(nodeAt(m, s.ports[3]!.range.start)?.node.id, 'service[0].ports[3]');
    assert.equal(nodeUri(m, m.pods[0]!, s.id), m.uri);
    assert.ok(isHostMessage({ type: 'model', model: m, fileName: 'x.yaml' }));
  });

  it('draws no Service that does not select the pod', () => {
    const m = model(`${POD}---\n${SERVICE.replace('    app: shop', '    app: other')}`);
    assert.equal(m.pods[0]!.services, undefined);
  });

  it('sends meshed traffic through the injected proxy', () => {
    const meshed = POD.replace('        app: shop\n', '        app: shop\n        sidecar.istio.io/inject: "true"\n');
    const s = model(`${meshed}---\n${SERVICE}`).pods[0]!.services![0]!;
    assert.deepEqual(s.ports[0]!.via, { containerId: 'injected:istio-proxy', port: 15006 });
    const svg = toSvgString(renderDiagram(model(`${meshed}---\n${SERVICE}`).pods));
    assert.match(
      svg,
      /class="sp-traffic" data-service-port="service\[0\]\.ports\[0\]" data-to="injected:istio-proxy\.ports\[3\]"/,
    );
    assert.match(
      svg,
      /class="sp-traffic sp-via" data-service-port="service\[0\]\.ports\[0\]" data-to="containers\[0\]\.ports\[0\]"/,
    );
  });

  it('takes Services from other files, which point into their own file', () => {
    const engine = new Engine();
    const file = engine.open(POD)!;
    const other = engine.open(`# elsewhere\n${SERVICE}`)!;
    const m = engine.diagram(file, DEFAULT_SETTINGS, {
      uri: 'file:///pod.yaml',
      version: 1,
      positionAt: positionsOf(POD),
      elsewhere: [
        { service: servicesInFile(other)[0]!, uri: 'file:///svc.yaml', positionAt: positionsOf(other.text) },
        // the same file is not drawn twice
        { service: servicesInFile(other)[0]!, uri: 'file:///pod.yaml', positionAt: positionsOf(other.text) },
      ],
    });
    const services = m.pods[0]!.services ?? [];
    assert.equal(services.length, 1);
    assert.equal(services[0]!.uri, 'file:///svc.yaml');
    assert.equal(services[0]!.selectionRange.start.line, 4, 'the name line in svc.yaml');
    assert.equal(nodeUri(m, m.pods[0]!, 'service[0].ports[1]'), 'file:///svc.yaml');
    // its ranges are in the other file: the cursor in pod.yaml never lands on it
    assert.notEqual(nodeAt(m, { line: 4, character: 10 })?.node.id, 'service[0]');
  });

  it('puts the finding on the Service port it is about', () => {
    // a Service in the file whose port names a port that is not there: whatever rule reports it,
    // the diagram draws the broken arrow with the check's own words when none does
    const m = model(`${POD}---\n${SERVICE}`);
    const typo = m.pods[0]!.services![0]!.ports[3]!;
    const rule = typo.findings.find((f) => f.rule === 'service-target-port');
    assert.equal(
      typo.broken,
      rule ? rule.message : 'targetPort "htpp": no container of the pod has a TCP port named "htpp"',
    );
  });
});

/** Text elements of a rendered tree: font size, where they start, how wide they can be. */
function texts(tree: SvgElement): { size: number; y: number; content: string }[] {
  const out: { size: number; y: number; content: string }[] = [];
  const walk = (node: SvgNode): void => {
    if (typeof node === 'string') return;
    if (node.tag === 'text') {
      out.push({
        size: Number(node.attrs['font-size']),
        y: Number(node.attrs['y']),
        content: node.children.join(''),
      });
    }
    node.children.forEach(walk);
  };
  walk(tree);
  return out;
}

describe('the diagram is legible as drawn', () => {
  const m = model(eightContainersYaml());

  it('draws no text smaller than the font it is given', () => {
    for (const font of [12, 14, 18]) {
      const all = texts(renderDiagram(m.pods, { fontSize: font, width: 700 }));
      assert.ok(all.length > 50);
      const small = all.filter((t) => !(t.size >= font));
      assert.deepEqual(small, [], `font ${font}`);
    }
  });

  it('takes the width it is given: wide side by side, narrow stacked, never scaled', () => {
    const wide = renderDiagram(m.pods, { fontSize: 14, width: 1400 });
    const half = renderDiagram(m.pods, { fontSize: 14, width: 700 });
    const narrow = renderDiagram(m.pods, { fontSize: 14, width: 420 });
    assert.equal(wide.attrs['width'], 1400);
    assert.equal(half.attrs['width'], 700);
    assert.equal(narrow.attrs['width'], 420);
    // the viewBox is the size: the picture is drawn at 1:1, not scaled to fit
    for (const t of [wide, half, narrow])
      assert.equal(t.attrs['viewBox'], `0 0 ${t.attrs['width']} ${t.attrs['height']}`);
    const svg = (t: SvgElement): string => toSvgString(t);
    // side by side: wires; stacked: no wire, and each mount names its volume
    assert.match(svg(half), /class="sp-wire/);
    assert.doesNotMatch(svg(narrow), /class="sp-wire/);
    assert.match(svg(narrow), />data-5 ro</);
    // the Service's arrow and its broken port are drawn at every width
    for (const t of [wide, half, narrow]) {
      assert.match(
        svg(t),
        /class="sp-traffic" data-service-port="service\[0\]\.ports\[0\]" data-to="containers\[0\]\.ports\[0\]"/,
      );
      assert.match(svg(t), /class="sp-broken"/);
      assert.match(svg(t), />targetPort &quot;metrics&quot;: no/);
    }
  });

  it('keeps the CLI picture as it was when no width is given', () => {
    const natural = renderDiagram(m.pods);
    assert.ok(Number(natural.attrs['width']) >= 700, `natural width ${natural.attrs['width']}`);
  });
});

describe('sidecar-pods diagram draws the Services too', () => {
  it('writes the Service box, its arrow and the broken port into the SVG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-diagram-svc-'));
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, `${POD}---\n${SERVICE}`);
    let err = '';
    const out = join(dir, 'shop.svg');
    const code = run(['diagram', file, '-o', out], {
      stdout: () => undefined,
      stderr: (s) => (err += s),
      readStdin: () => '',
      cwd: dir,
    });
    assert.equal(code, 0, err);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, />Service shop</);
    assert.match(
      svg,
      /class="sp-traffic" data-service-port="service\[0\]\.ports\[0\]" data-to="containers\[0\]\.ports\[0\]"/,
    );
    // the reason in full in the tooltip; on the picture, wrapped to the box beside the broken arrow
    assert.match(
      svg,
      /reaches nothing: targetPort &quot;htpp&quot;: no container of the pod has a TCP port named &quot;htpp&quot;/,
    );
    assert.match(svg, /class="sp-broken"/);
  });
});

describe('a Service that targets a port of a container a SidecarSet injects', () => {
  const dir = join(FIXTURES, 'rules', 'service-target-port');
  const text = (kind: 'valid' | 'invalid'): string =>
    ['deployment.yaml', 'sidecarset.yaml', 'service.yaml']
      .map((f) => readFileSync(join(dir, kind, 'sidecar-set', f), 'utf8'))
      .join('---\n');

  function drawn(kind: 'valid' | 'invalid'): DiagramModel {
    const engine = new Engine();
    const t = text(kind);
    const file = engine.open(t)!;
    const positions = positionsOf(t);
    return engine.diagram(file, DEFAULT_SETTINGS, { uri: 'file:///d.yaml', version: 1, positionAt: positions });
  }

  it('lands on the injected container by name, and is broken where the SidecarSet selects another pod', () => {
    const port = drawn('valid').pods[0]!.services![0]!.ports[0]!;
    assert.equal(port.broken, undefined);
    assert.equal(port.targets.length, 1);
    assert.match(port.targets[0]!, /^injected:metrics-agent\.ports\[0\]$/);
    const broken = drawn('invalid').pods[0]!.services![0]!.ports[0]!;
    assert.match(broken.broken ?? '', /no container of the pod has a TCP port named "metrics"/);
  });
});

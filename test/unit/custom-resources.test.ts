// Pods inside custom resources (model/kinds.ts): every rule, the schema of the embedded pod spec,
// hovers, completion and the diagram work there as in a Deployment, with each kind's quirks.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine } from '../../server/src/engine';
import { completions } from '../../server/src/services/completion';
import { hover } from '../../server/src/services/hover';
import { FIXTURES, lintText, read } from '../support/lint';

const DIR = join(FIXTURES, 'custom-resources');
const found = (name: string): string[] => lintText(read(join(DIR, name))).map((f) => `${f.line}:${f.rule}`);

describe('pods in custom resources', () => {
  it('an Argo Rollout gets every pod rule, and the schema of its pod template', () => {
    assert.deepEqual(found('rollout.yaml'), ['29:missing-volume', '32:classic-sidecar', '34:port-conflict']);
    const typo = read(join(DIR, 'rollout.yaml')).replace(
      '          ports:\n            - containerPort: 8080\n          resources',
      '          poarts:\n            - containerPort: 8080\n          resources',
    );
    const schema = lintText(typo).filter((f) => f.rule === 'schema');
    assert.deepEqual(
      schema.map((f) => [f.line, f.message]),
      [[23, 'unknown field "poarts" (did you mean "ports"?)']],
      'and nothing about the Rollout fields outside the template (strategy, steps)',
    );
  });

  it('a Knative Service: its RevisionSpec fields and its unnamed container are its own, not mistakes', () => {
    assert.deepEqual(found('knative-service.yaml'), ['14:image-tag']);
  });

  it('a KEDA ScaledJob runs to completion like a Job: a helper in containers keeps it running', () => {
    const findings = lintText(read(join(DIR, 'scaledjob.yaml')));
    assert.deepEqual(
      findings.map((f) => `${f.line}:${f.rule}`),
      ['17:job-sidecar'],
    );
    assert.match(findings[0]!.message, /runs in containers of a ScaledJob/);
  });

  it('a Kubeflow PyTorchJob: one pod per replica role', () => {
    const engine = new Engine();
    const file = engine.open(read(join(DIR, 'pytorchjob.yaml')))!;
    assert.deepEqual(
      file.documents[0]!.model.pods.map((p) => p.specPath.join('.')),
      ['spec.pytorchReplicaSpecs.Master.template.spec', 'spec.pytorchReplicaSpecs.Worker.template.spec'],
    );
    assert.deepEqual(found('pytorchjob.yaml'), ['28:missing-volume']);
  });

  it('a Flink pod template is partial: its main container needs no image, no whole-pod rule runs', () => {
    assert.deepEqual(found('flink.yaml'), ['21:classic-sidecar']);
  });

  it('unknown custom resources stay silent, also with built-in kind names', () => {
    const unknown =
      'apiVersion: example.com/v1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers: [{name: a}, {name: a}]\n';
    assert.deepEqual(lintText(unknown), []);
  });

  it('hovers, completion and the diagram work inside a Rollout', () => {
    const text = read(join(DIR, 'rollout.yaml'));
    const engine = new Engine();
    const file = engine.open(text)!;
    const doc = TextDocument.create('file:///r.yaml', 'yaml', 1, text);
    const at = (needle: string, delta = 2) => doc.positionAt(text.indexOf(needle) + delta);
    const h = hover(file, doc, at('image: ghcr.io/example/web'));
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(value, /\*\*image\*\*/, value);
    const port = hover(file, doc, at('containerPort: 8080'));
    assert.ok(port, 'a port hover');
    // completion of container keys under the Rollout's pod template
    const withKey = text.replace(
      '          image: ghcr.io/example/web:1.4.2\n',
      '          image: ghcr.io/example/web:1.4.2\n          read\n',
    );
    const file2 = engine.open(withKey)!;
    const doc2 = TextDocument.create('file:///r.yaml', 'yaml', 2, withKey);
    const items = completions(file2, doc2, doc2.positionAt(withKey.indexOf('          read\n') + 14));
    assert.ok(
      items.some((i) => i.label === 'readinessProbe'),
      items.map((i) => i.label).join(' '),
    );
    const diagram = engine.diagram(file, DEFAULT_SETTINGS, {
      uri: 'file:///r.yaml',
      version: 1,
      positionAt: (o) => doc.positionAt(o),
    });
    assert.deepEqual(
      diagram.pods[0]!.containers.map((c) => c.name),
      ['web', 'envoy'],
    );
    assert.equal(diagram.pods[0]!.kind, 'Rollout');
  });
});

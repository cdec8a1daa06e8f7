// Pods a controller assembles from parts written in its own shape (model/kinds.ts AssembledSite):
// Argo Workflows templates and Tekton TaskSpecs. Every pod rule, the schema of each part, hovers,
// completion and the diagram read them as the pods the cluster runs.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine } from '../../server/src/engine';
import { completions } from '../../server/src/services/completion';
import { hover } from '../../server/src/services/hover';
import { rename } from '../../server/src/services/navigation';
import { sidecarSetsOf } from '../../server/src/model/sidecar-sets';
import { FIXTURES, lintText, read } from '../support/lint';

const DIR = join(FIXTURES, 'custom-resources');
const found = (text: string): string[] => lintText(text).map((f) => `${f.line}:${f.rule}`);

function hoverText(text: string, needle: string, delta = 2): string {
  const file = new Engine().open(text)!;
  const doc = TextDocument.create('file:///h.yaml', 'yaml', 1, text);
  const h = hover(file, doc, doc.positionAt(text.indexOf(needle) + delta));
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

function diagramOf(text: string) {
  const engine = new Engine();
  const file = engine.open(text)!;
  const doc = TextDocument.create('file:///d.yaml', 'yaml', 1, text);
  return engine.diagram(file, DEFAULT_SETTINGS, {
    uri: 'file:///d.yaml',
    version: 1,
    positionAt: (o) => doc.positionAt(o),
  });
}

describe('Argo Workflows templates are pods', () => {
  const text = read(join(DIR, 'argo-workflow.yaml'));

  it('one pod per template with a container; the steps template is none', () => {
    const pods = new Engine().open(text)!.documents[0]!.model.pods;
    assert.deepEqual(
      pods.map((p) => p.specPath.join('.')),
      ['spec.templates.1', 'spec.templates.2', 'spec.templates.3'],
    );
    assert.deepEqual(
      pods.map((p) => p.containers.map((c) => `${c.role}:${c.name?.value ?? c.clusterName}`)),
      [
        ['regular:main', 'regular:dind'],
        ['regular:main', 'init:fetch'],
        ['regular:a', 'regular:main'],
      ],
    );
    // the WorkflowSpec's volumes and the claim templates are volumes of every template's pod
    assert.deepEqual(
      pods[0]!.volumes.map((v) => v.name?.value),
      ['build-config', 'workdir'],
    );
  });

  it('a real-world Workflow raises nothing: its own fields, placeholders, shared volumes, a sidecar the controller stops', () => {
    assert.deepEqual(found(text), []);
  });

  it('its containers get the pod rules and the schema of a Container, in the kind words', () => {
    const findings = lintText(read(join(DIR, 'argo-invalid.yaml')));
    assert.deepEqual(
      findings.map((f) => `${f.line}:${f.rule}`),
      ['13:schema', '17:missing-volume', '26:port-conflict', '30:duplicate-container-name', '32:schema'],
    );
    const byRule = (id: string) => findings.find((f) => f.rule === id)!;
    assert.match(byRule('missing-volume').message, /container "main" mounts volume "data"/);
    assert.match(
      byRule('duplicate-container-name').message,
      /"main" is already used in containers \(by the CronWorkflow's controller\)/,
    );
    const typo = findings.find((f) => f.line === 32)!;
    assert.equal(typo.message, 'unknown field "mirrorVolumeMoutns" (did you mean "mirrorVolumeMounts"?)');
    assert.equal(typo.fixes?.()[0]?.title, 'Rename "mirrorVolumeMoutns" to "mirrorVolumeMounts"');
  });

  it('a shared volume of the WorkflowSpec is reported once, not once per template', () => {
    const broken = text.replace(
      '      configMap:\n        name: build-config\n',
      '      configMap:\n        name: 7\n',
    );
    assert.deepEqual(found(broken), ['21:schema']);
  });

  it('a helper sidecar does not hold the workflow up: Argo stops it when the main container ends', () => {
    const logging = text.replace('image: docker:27.3-dind', 'image: cr.fluentbit.io/fluent/fluent-bit:3.1');
    assert.deepEqual(found(logging), []);
    // the same helper in a Job's containers is the job-sidecar finding
    const job =
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n' +
      '        - {name: main, image: "app:1", resources: {limits: {memory: 1Mi}}}\n' +
      '        - {name: log, image: "cr.fluentbit.io/fluent/fluent-bit:3.1", resources: {limits: {memory: 1Mi}}}\n';
    assert.deepEqual(found(job), ['10:job-sidecar']);
  });

  it('the diagram shows the controller-injected init and wait as ghosts', () => {
    const diagram = diagramOf(text);
    assert.equal(diagram.pods.length, 3);
    const first = diagram.pods[0]!;
    assert.deepEqual(
      first.containers.map((c) => `${c.name}${c.injectedBy ? ` (${c.injectedBy}, ${c.ghostRole})` : ''}`),
      ['main', 'dind', 'init (Argo Workflows, init)', 'wait (Argo Workflows, regular)'],
    );
  });

  it('hovers read a template part as the PodSpec field it stands for', () => {
    assert.match(hoverText(text, 'containerPort: 2375', 17), /2375/);
    assert.match(hoverText(text, 'image: python:3.12'), /\*\*image\*\*/);
    // the port table names each container by what it is in the template
    assert.match(
      hoverText(text, 'containerPort: 2375', 17),
      /\| `dind` \| Argo sidecar \(stopped when the main container ends\) \|/,
    );
  });

  it('renaming a volume of the WorkflowSpec renames its mounts in every template', () => {
    const both = text.replace(
      '          - name: workdir\n            mountPath: /src\n',
      '          - name: workdir\n            mountPath: /src\n          - name: build-config\n            mountPath: /etc/build\n',
    );
    assert.notEqual(both, text);
    const file = new Engine().open(both)!;
    const doc = TextDocument.create('file:///r.yaml', 'yaml', 1, both);
    const at = doc.positionAt(both.indexOf('- name: build-config') + 9);
    const result = rename(file, doc, at, 'settings');
    assert.ok(result.ok);
    const edits = result.edit.changes!['file:///r.yaml']!;
    assert.deepEqual(
      edits.map((e) => [e.range.start.line + 1, e.newText]),
      [
        [19, 'settings'],
        [43, 'settings'],
        [65, 'settings'],
      ],
    );
  });

  it('completion offers Container fields inside a script template', () => {
    const withKey = text.replace('        command: [python]\n', '        command: [python]\n        imagePull\n');
    const file = new Engine().open(withKey)!;
    const doc = TextDocument.create('file:///c.yaml', 'yaml', 1, withKey);
    const at = doc.positionAt(withKey.indexOf('        imagePull\n') + 17);
    const labels = completions(file, doc, at).map((i) => i.label);
    assert.ok(labels.includes('imagePullPolicy'), labels.join(' '));
  });

  it('other groups with the same kind names stay silent', () => {
    const other = text.replace('argoproj.io/v1alpha1', 'example.com/v1');
    assert.deepEqual(new Engine().open(other)!.documents[0]!.model.pods, []);
  });
});

describe('Tekton TaskSpecs are pods', () => {
  const text = read(join(DIR, 'tekton-task.yaml'));

  it('steps run one after another, sidecars beside them; the cluster names them step- and sidecar-', () => {
    const [pod] = new Engine().open(text)!.documents[0]!.model.pods;
    assert.deepEqual(
      pod!.containers.map((c) => `${c.role}:${c.clusterName}`),
      ['sidecar:sidecar-postgres', 'init:step-build', 'init:step-test', 'init:step-unnamed-2'],
    );
  });

  it('a real-world Task raises nothing: Step fields, no image under a stepTemplate, the same port in two steps', () => {
    assert.deepEqual(found(text), []);
  });

  it('a step and a sidecar do run together; Tekton names sidecars apart from steps', () => {
    const findings = lintText(read(join(DIR, 'tekton-invalid.yaml')));
    assert.deepEqual(
      findings.map((f) => `${f.line}:${f.rule}`),
      ['13:schema', '18:port-conflict', '27:duplicate-container-name', '38:schema'],
    );
    assert.equal(findings[0]!.message, 'unknown field "scriptt" (did you mean "script"?)');
    assert.match(findings[1]!.message, /a Tekton sidecar that is already running when this Tekton step starts/);
    // step db-test and sidecar db-test are step-db-test and sidecar-db-test: only the two sidecars clash
    assert.match(findings[2]!.message, /"sidecar-db-test"/);
  });

  it('a Pipeline runs one pod per embedded taskSpec, finally included', () => {
    const pods = new Engine().open(read(join(DIR, 'tekton-invalid.yaml')))!.documents[0]!.model.pods;
    assert.deepEqual(
      pods.map((p) => p.specPath.join('.')),
      ['spec.pipelineSpec.tasks.0.taskSpec', 'spec.pipelineSpec.finally.0.taskSpec'],
    );
  });

  it('a TaskRun may take its volumes from its podTemplate; a Task may get them from its run', () => {
    const run =
      'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: r}\nspec:\n  taskSpec:\n    steps:\n' +
      '      - {name: write, image: "ubuntu:24.04", volumeMounts: [{name: custom, mountPath: /c}], computeResources: {limits: {memory: 1Mi}}}\n' +
      '  podTemplate:\n    volumes:\n      - {name: custom, emptyDir: {}}\n';
    assert.deepEqual(found(run), []);
    assert.deepEqual(found(run.replace('name: custom, emptyDir', 'name: other, emptyDir')), ['7:missing-volume']);
    const task = text.replace('    - name: cache\n      emptyDir: {}\n', '    - name: scratch\n      emptyDir: {}\n');
    assert.deepEqual(found(task), ['53:unused-volume']);
  });

  it("a Task's own metadata is not held to pod-template placement: Tekton copies it to the pod", () => {
    const annotated = text.replace(
      'metadata:\n  name: integration-test\n',
      'metadata:\n  name: integration-test\n  annotations:\n    sidecar.istio.io/inject: "false"\n',
    );
    assert.notEqual(annotated, text);
    assert.deepEqual(found(annotated), []);
  });

  it('hovers call sidecars and steps what Tekton calls them, and the diagram shows the prepare init container Tekton adds', () => {
    // a step's name is optional: Tekton names an unnamed one step-unnamed-<index>
    const name = hoverText(text, '- name: build', 3);
    assert.match(name, /\*\*name\*\*/);
    assert.doesNotMatch(name, /required/);
    const port = hoverText(text, 'containerPort: 5432', 17);
    assert.match(port, /`postgres` \| Tekton sidecar \|/, port);
    const diagram = diagramOf(text);
    assert.deepEqual(
      diagram.pods[0]!.containers.map((c) => c.name),
      ['postgres', 'build', 'test', 'step-unnamed-2', 'prepare', 'place-scripts'],
    );
  });
});

describe('OpenKruise SidecarSets inject into the pods they select', () => {
  const text = read(join(DIR, 'sidecarset.yaml'));

  it('its own containers are schema-checked with their SidecarContainer fields, nothing required', () => {
    assert.deepEqual(found(text), []);
    const typo = text.replace('podInjectPolicy: AfterAppContainer', 'podInjectPolicyy: AfterAppContainer');
    assert.deepEqual(
      lintText(typo).map((f) => [f.line, f.message]),
      [[13, 'unknown field "podInjectPolicyy" (did you mean "podInjectPolicy"?)']],
    );
  });

  it('the selected Deployment shows its containers as injected ghosts, with podInjectPolicy', () => {
    const web = diagramOf(text).pods.find((p) => p.kind === 'Deployment')!;
    assert.deepEqual(
      web.containers.map((c) => `${c.name}${c.injectedBy ? ` (${c.injectedBy}, ${c.ghostRole})` : ''}`),
      ['web', 'setup (SidecarSet log-agent, init)', 'fluent-bit (SidecarSet log-agent, AfterAppContainer, regular)'],
    );
    const port = hoverText(text, 'containerPort: 8080', 17);
    assert.match(port, /`fluent-bit` \| injected by SidecarSet log-agent, AfterAppContainer \| 2020/, port);
  });

  it('a pod it does not select gets nothing: other labels, another namespace, a paused injection', () => {
    const ghosts = (t: string): string[] =>
      diagramOf(t)
        .pods.find((p) => p.kind === 'Deployment')!
        .containers.filter((c) => c.injectedBy)
        .map((c) => c.name);
    assert.deepEqual(ghosts(text.replace('        app: web\n    spec:', '        app: shop\n    spec:')), []);
    assert.deepEqual(ghosts(text.replace('  name: web\n  namespace: shop', '  name: web\n  namespace: other')), []);
    assert.deepEqual(
      ghosts(
        text.replace(
          '  namespace: shop\n  containers:',
          '  namespace: shop\n  injectionStrategy: {paused: true}\n  containers:',
        ),
      ),
      [],
    );
    // a pod whose file names no namespace may run in the SidecarSet's
    assert.deepEqual(ghosts(text.replace('  name: web\n  namespace: shop\n', '  name: web\n')), [
      'setup',
      'fluent-bit',
    ]);
  });

  it('SidecarSets of other files count where the caller has them (the CLI set, the workspace index)', () => {
    const [setText, deployment] = text.split('---\n');
    const engine = new Engine();
    const sets = sidecarSetsOf(engine.open(setText!)!.documents);
    const file = engine.open(deployment!)!;
    const doc = TextDocument.create('file:///d.yaml', 'yaml', 1, deployment!);
    const view = { uri: 'file:///d.yaml', version: 1, positionAt: (o: number) => doc.positionAt(o) };
    const alone = engine.diagram(file, DEFAULT_SETTINGS, view).pods[0]!.containers.map((c) => c.name);
    const withSets = engine.diagram(file, DEFAULT_SETTINGS, view, sets).pods[0]!.containers.map((c) => c.name);
    assert.deepEqual(alone, ['web']);
    assert.deepEqual(withSets, ['web', 'setup', 'fluent-bit']);
  });
});

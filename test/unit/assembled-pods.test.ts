// Pods a controller assembles from parts written in its own shape (model/kinds.ts AssembledSite):
// Argo Workflows templates and Tekton TaskSpecs. Every pod rule, the schema of each part, hovers,
// completion and the diagram read them as the pods the cluster runs.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine, type Finding } from '../../server/src/engine';
import { completions } from '../../server/src/services/completion';
import { hover } from '../../server/src/services/hover';
import { rename } from '../../server/src/services/navigation';
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

  it("a sidecar with mirrorVolumeMounts sees the main container's mounts: drawn on it, named by the volume hover", () => {
    const build = diagramOf(text).pods[0]!;
    const dind = build.containers.find((c) => c.name === 'dind')!;
    assert.deepEqual(
      dind.mounts.map((m) => [m.volumeName, m.path, m.mirroredFrom, m.selectionRange.start.line]),
      [['workdir', '/src', 'main', text.split('\n').indexOf('          mirrorVolumeMounts: true')]],
    );
    // wired to the volume the main container mounts
    const main = build.containers.find((c) => c.name === 'main')!;
    assert.equal(dind.mounts[0]!.volumeId, main.mounts[0]!.volumeId);
    assert.match(
      hoverText(text, 'name: workdir\n            mountPath: /src', 6),
      /\| `dind` \| Argo sidecar \(stopped when the main container ends\) \| `\/src` \| read-write, mirrored from `main` \(mirrorVolumeMounts\) \|/,
    );
    // without the flag, nothing is copied
    const off = text.replace('          mirrorVolumeMounts: true\n', '');
    assert.notEqual(off, text);
    assert.deepEqual(diagramOf(off).pods[0]!.containers.find((c) => c.name === 'dind')!.mounts, []);
  });

  it('a podSpecPatch that cannot be read, or sets more than is read of it, leaves the pod partial', () => {
    const template = (patch: string): string =>
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Workflow',
        'metadata:',
        '  generateName: patched-',
        'spec:',
        '  entrypoint: main',
        '  templates:',
        '    - name: main',
        ...(patch === '' ? [] : [`      podSpecPatch: ${patch}`]),
        '      container:',
        '        command: [make]',
        '        volumeMounts:',
        '          - name: data',
        '            mountPath: /data',
        '',
      ].join('\n');
    // as written: no volume, no resources
    assert.deepEqual(found(template('')), ['10:resources', '12:missing-volume']);
    // a placeholder for the whole patch or for its volumes, an image it sets: the pod is only a part of what runs
    for (const patch of [
      "'{{inputs.parameters.patch}}'",
      '\'{"containers":[{"name":"main","image":"golang:1.23"}]}\'',
      '\'{"volumes": {{inputs.parameters.volumes}} }\'',
    ]) {
      assert.deepEqual(found(template(patch)), [], patch);
    }
    // one it reads that sets resources only: the volume is still missing
    const resources = '\'{"containers":[{"name":"main","resources":{"limits":{"memory":"1Gi"}}}]}\'';
    assert.deepEqual(found(template(resources)), ['13:missing-volume']);
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
    const sets = engine.sidecarSetsIn(setText!, 'file:///sidecar-set.yaml');
    const file = engine.open(deployment!)!;
    const doc = TextDocument.create('file:///d.yaml', 'yaml', 1, deployment!);
    const view = { uri: 'file:///d.yaml', version: 1, positionAt: (o: number) => doc.positionAt(o) };
    const alone = engine.diagram(file, DEFAULT_SETTINGS, view).pods[0]!.containers.map((c) => c.name);
    const withSets = engine.diagram(file, DEFAULT_SETTINGS, view, sets).pods[0]!.containers.map((c) => c.name);
    assert.deepEqual(alone, ['web']);
    assert.deepEqual(withSets, ['web', 'setup', 'fluent-bit']);
  });
});

describe('the pod rules see what SidecarSets inject', () => {
  const text = read(join(DIR, 'sidecarset.yaml'));
  // the app takes fluent-bit's port: Kruise injects fluent-bit beside it
  const clashing = text.replace('containerPort: 8080', 'containerPort: 2020');
  const [setText, deployment] = clashing.split('---\n') as [string, string];
  const conflicts = (findings: readonly Finding[]): Finding[] =>
    findings.filter((f) => f.rule === 'injected-port-conflict');
  /** The text each related location points at: in `own`, or in the file its key names. */
  const pointedAt = (f: Finding, own: string, files: Record<string, string> = {}): string[] =>
    (f.related ?? []).map((r) => {
      const t = r.key === undefined ? own : files[r.key]!;
      return `${t.slice(r.range.start, r.range.end)}${r.key ? ` in ${r.key}` : ''}: ${r.message}`;
    });

  it('a SidecarSet of the same file: a port its container listens on is taken, and the finding points at both', () => {
    const [finding, ...more] = conflicts(new Engine().check(clashing, DEFAULT_SETTINGS));
    assert.deepEqual(more, []);
    assert.equal(
      finding!.message,
      'port 2020 of container "web" is taken by fluent-bit, which SidecarSet log-agent injects into this pod (its ' +
        'selector matches the label app: "web"); containers of a pod share one network namespace, so one of them fails to bind it',
    );
    assert.equal(clashing.slice(finding!.range.start, finding!.range.end), '2020');
    assert.ok(finding!.range.start > clashing.indexOf('kind: Deployment'));
    assert.deepEqual(pointedAt(finding!, clashing), [
      'app: selected by SidecarSet log-agent',
      '2020: SidecarSet log-agent injects fluent-bit, which listens on 2020',
    ]);
    // the pointer at the SidecarSet's port is in its document, above the pod's
    assert.ok(finding!.related![1]!.range.start < clashing.indexOf('---'));
  });

  it('a SidecarSet that does not select the pod, or a port it does not use, gives nothing', () => {
    const engine = new Engine();
    assert.deepEqual(conflicts(engine.check(text, DEFAULT_SETTINGS)), []);
    const elsewhere = clashing.replace('  namespace: shop\n  containers:', '  namespace: staging\n  containers:');
    assert.notEqual(elsewhere, clashing);
    assert.deepEqual(conflicts(engine.check(elsewhere, DEFAULT_SETTINGS)), []);
  });

  it('an edit re-checks only the documents a changed SidecarSet selects, and the pointer follows it', () => {
    const other =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers:\n    - name: o\n      image: nginx:1.27\n' +
      '      ports: [{containerPort: 2020}]\n      resources: {limits: {memory: 8Mi}}\n';
    const v1 = `${clashing}---\n${other}`;
    const engine = new Engine();
    assert.equal(conflicts(engine.check(v1, DEFAULT_SETTINGS, 'f')).length, 1);
    const before = engine.linter.checkCount;
    // a line typed into the SidecarSet above its port: it and the pod it selects are checked again, not the other Pod
    const v2 = v1.replace(
      '  containers:\n    - name: fluent-bit',
      '  # the log shipper\n  containers:\n    - name: fluent-bit',
    );
    assert.notEqual(v2, v1);
    const [moved] = conflicts(engine.check(v2, DEFAULT_SETTINGS, 'f'));
    assert.equal(engine.linter.checkCount - before, 2);
    assert.deepEqual(pointedAt(moved!, v2)[1], '2020: SidecarSet log-agent injects fluent-bit, which listens on 2020');
    // an edit of the other Pod leaves the Deployment's findings where they were
    const after = engine.linter.checkCount;
    const v3 = v2.replace('name: other', 'name: another');
    assert.equal(conflicts(engine.check(v3, DEFAULT_SETTINGS, 'f')).length, 1);
    assert.equal(engine.linter.checkCount - after, 1);
  });

  it('a SidecarSet of another file that the caller holds: the finding points into that file, and a change of it counts', () => {
    const engine = new Engine();
    const alone = engine.check(deployment, DEFAULT_SETTINGS, 'deployment.yaml');
    assert.deepEqual(conflicts(alone), []);
    const around = { sidecarSets: engine.sidecarSetsIn(setText, 'sidecarset.yaml') };
    const [finding] = conflicts(engine.check(deployment, DEFAULT_SETTINGS, 'deployment.yaml', around));
    assert.deepEqual(pointedAt(finding!, deployment, { 'sidecarset.yaml': setText }), [
      'app: selected by SidecarSet log-agent',
      '2020 in sidecarset.yaml: SidecarSet log-agent injects fluent-bit, which listens on 2020',
    ]);
    // the SidecarSet's port changed: the pod's cached findings are not served
    const moved = setText.replace('containerPort: 2020', 'containerPort: 2021');
    const changed = { sidecarSets: engine.sidecarSetsIn(moved, 'sidecarset.yaml') };
    assert.deepEqual(conflicts(engine.check(deployment, DEFAULT_SETTINGS, 'deployment.yaml', changed)), []);
  });
});

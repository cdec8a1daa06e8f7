import * as assert from 'node:assert/strict';
import { ModelCache } from '../../server/src/model/file-model';
import {
  findPlaceholders,
  hasPlaceholder,
  isGoTemplateAction,
  maskPlaceholders,
  placeholderDialect,
  PLACEHOLDER_DIALECTS,
} from '../../server/src/model/placeholders';
import { lintText, podText } from '../support/lint';

describe('placeholders', () => {
  it('finds the placeholders of envsubst, Tekton, Kubernetes, Argo and sed', () => {
    const cases: [string, string[]][] = [
      ['${IMAGE}', ['${IMAGE}']],
      ['$IMAGE_URL', ['$IMAGE_URL']],
      ['${TAG:-latest}', ['${TAG:-latest}']],
      ['${HOST:?unset}', ['${HOST:?unset}']],
      ['$(params.image)', ['$(params.image)']],
      ['$(context.taskRun.name)', ['$(context.taskRun.name)']],
      ["$(params['my.param'])", ["$(params['my.param'])"]],
      ['$(params.list[*])', ['$(params.list[*])']],
      ['$(tasks.build.results.digest)', ['$(tasks.build.results.digest)']],
      ['--model=$(MODEL_ID)', ['$(MODEL_ID)']],
      ['{{inputs.parameters.image}}', ['{{inputs.parameters.image}}']],
      ['{{workflow.parameters.y}}', ['{{workflow.parameters.y}}']],
      ['{{steps.gen-list.outputs.result}}', ['{{steps.gen-list.outputs.result}}']],
      ['{{item}}', ['{{item}}']],
      ['{{=asInt(inputs.parameters.n) + 1}}', ['{{=asInt(inputs.parameters.n) + 1}}']],
      ['etcd-{{ cell }}', ['{{ cell }}']],
      ['${REGISTRY}/app:$(params.tag)', ['${REGISTRY}', '$(params.tag)']],
      // not placeholders: literal text, Kubernetes' escape, a shell command with arguments
      ['nginx:1.27', []],
      ['$$(VAR_NAME)', []],
      ['price: 5$', []],
      ['$(hostname -i)', []],
      ['{ a }', []],
      ['{{ unclosed', []],
    ];
    for (const [text, expected] of cases) {
      assert.deepEqual(
        findPlaceholders(text).map((p) => text.slice(p.start, p.end)),
        expected,
        text,
      );
      assert.equal(hasPlaceholder(text), expected.length > 0, text);
    }
    assert.deepEqual(
      findPlaceholders('${A}$B$(c.d){{e}}').map((p) => p.syntax),
      ['dollar-brace', 'dollar', 'dollar-paren', 'braces'],
    );
    assert.equal(hasPlaceholder(8080), false, 'only strings hold placeholders');
    assert.equal(hasPlaceholder(undefined), false);
  });

  it('masks placeholders, leaving what is known', () => {
    assert.equal(maskPlaceholders('${REGISTRY}/app:${TAG:-1.2}', '#'), '#/app:#');
    assert.equal(maskPlaceholders('nginx:1.27', '#'), 'nginx:1.27');
  });

  it('tells Go template actions from other tools’ placeholders', () => {
    const go = [
      ' .Values.image ',
      '.Values.image',
      '- if .Values.enabled ',
      ' end ',
      '- end ',
      ' else ',
      ' include "app.labels" . | nindent 4 ',
      ' template "app.name" . ',
      ' toYaml .Values.resources | nindent 12 ',
      '/* a comment */',
      '- /* a comment */ -',
      ' $name := "x" ',
      ' $.Values.x ',
      ' . ',
      ' "literal" ',
      ' now ',
      '- .Values.x -',
      ' .Release.Name -',
      '=asInt(item)', // outside an Argo document, `=` is not Argo's
    ];
    const other = [
      'inputs.parameters.image',
      'workflow.name',
      'steps.gen-list.outputs.result',
      'tasks.A.outputs.parameters.x',
      'item',
      'item.name',
      ' name ',
      'cell',
      'backup_flags',
    ];
    for (const inner of go) assert.equal(isGoTemplateAction(inner), true, `{{${inner}}}`);
    for (const inner of other) assert.equal(isGoTemplateAction(inner), false, `{{${inner}}}`);
    assert.equal(isGoTemplateAction('=asInt(inputs.parameters.n) + 1', 'argo'), false);
    assert.equal(isGoTemplateAction('= sprig.trim(inputs.parameters.x) ', 'argo'), false);
    assert.equal(isGoTemplateAction(' .Values.x ', 'argo'), true, 'Helm in an Argo document is still Helm');
  });

  it('knows the kinds with a placeholder dialect of their own, as data', () => {
    for (const kind of ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'])
      assert.equal(placeholderDialect('argoproj.io/v1alpha1', kind), 'argo', kind);
    assert.equal(placeholderDialect('argoproj.io/v1alpha1', 'Rollout'), undefined);
    assert.equal(placeholderDialect('example.com/v1', 'Workflow'), undefined);
    assert.equal(placeholderDialect(undefined, 'Workflow'), undefined);
    assert.ok(PLACEHOLDER_DIALECTS.every((d) => d.kinds.length > 0 && d.apiGroup.includes('.')));
  });
});

const DEPLOYMENT = (lines: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n` +
  `  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: app\n` +
  `          resources: {limits: {memory: 64Mi}}\n${lines}`;

const WORKFLOW_TEMPLATE =
  'apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: deploy\nspec:\n  templates:\n' +
  '    - name: main\n      inputs:\n        parameters: [{name: image}]\n      container:\n' +
  '        image: "{{inputs.parameters.image}}"\n        args: ["{{=sprig.trim(inputs.parameters.image)}}"]\n';

describe('template detection', () => {
  const syntaxOf = (text: string): string | undefined => new ModelCache().parseFile(text).template?.syntax;

  it('skips a file with Go template actions, whatever else it holds', () => {
    const cases = [
      '  name: {{ .Values.name }}',
      '{{- if .Values.enabled }}',
      '  name: {{ include "app.fullname" . }}',
      '  name: {{ template "app.name" . }}',
      '  labels: {{ toYaml .Values.labels | nindent 4 }}',
      '{{/* the chart’s pod */}}',
      '{{- end }}',
      '  name: "{{ $.Release.Name }}"',
      '{% if enabled %}',
      '  name: {{ .Values.name', // not closed on its line: a Go pipeline goes on below
      '  name: "{{item}}-{{ .Release.Name }}"',
    ];
    for (const line of cases) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n${line}\nspec:\n  containers: [{name: a, image: "b:1"}]\n`;
      assert.equal(syntaxOf(text), 'go', line);
    }
  });

  it('checks a file whose placeholders are other tools’ and stand inside scalars', () => {
    const cases = [
      '  name: "{{inputs.parameters.name}}"',
      '  name: web-{{workflow.name}}',
      "  name: '{{item}}'",
      '  name: "{{ name }}"',
      '  name: etcd-{{cell}}',
      '  name: ${NAME}',
      '  name: $(params.name)',
      '  # {{ .Values.name }} in a comment',
    ];
    for (const line of cases) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n${line}\nspec:\n  containers: [{name: a, image: "b:1"}]\n`;
      assert.equal(syntaxOf(text), undefined, line);
    }
  });

  it('skips a file whose placeholder stands where YAML expects a value: it is not YAML until filled in', () => {
    for (const line of [
      '  replicas: {{replicas}}',
      '  replicas: {{ count }}',
      '  paused: {{inputs.parameters.paused}}',
    ]) {
      const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${line}\n  template:\n    spec:\n      containers: [{name: a, image: "b:1"}]\n`;
      const file = new ModelCache().parseFile(text);
      assert.equal(file.template?.syntax, 'placeholder', line);
      const marked = text.slice(file.template.range.start, file.template.range.end);
      assert.equal(marked, line.slice(line.indexOf('{{')), line);
    }
    const listed = DEPLOYMENT('          args:\n            - {{item}}\n');
    assert.equal(syntaxOf(listed), 'placeholder');
    const findings = lintText(listed);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['templated'],
    );
    assert.match(findings[0]!.message, /placeholder \{\{item\}\} where YAML expects a value/);
  });

  it('checks an Argo-like file: a WorkflowTemplate and a Deployment whose image is an Argo parameter', () => {
    const text = `${WORKFLOW_TEMPLATE}---\n${DEPLOYMENT('          image: "{{inputs.parameters.image}}"\n          volumeMounts: [{name: data, mountPath: /data}]\n')}`;
    const findings = lintText(text);
    assert.ok(!findings.some((f) => f.rule === 'templated'), 'checked, not skipped');
    assert.ok(findings.some((f) => `${f.line} ${f.rule}` === '29 missing-volume'));
  });

  it('takes an Argo expression outside an Argo document for a template, to be safe', () => {
    // Argo's own kinds name no pod kind, so their documents are not searched today; the dialect
    // (isGoTemplateAction with 'argo') is for when their pods are checked.
    assert.equal(syntaxOf(podText('  annotations: {a: "{{=item}}"}\nspec: {}\n')), 'go');
  });
});

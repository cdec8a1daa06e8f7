import * as assert from 'node:assert/strict';
import {
  findPlaceholders,
  hasPlaceholder,
  isGoTemplateAction,
  maskPlaceholders,
  placeholderDialect,
  PLACEHOLDER_DIALECTS,
} from '../../server/src/model/placeholders';

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

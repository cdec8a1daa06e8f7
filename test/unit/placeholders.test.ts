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
    assert.deepEqual(
      findings.map((f) => `${f.line} ${f.rule}`),
      // the template's container is a pod's now (model/kinds.ts): it has no memory request, and
      // its image and its {{=expression}} argument are Argo's placeholders, not judged
      ['11 resources', '29 missing-volume'],
      'checked, not skipped; the image is not judged',
    );
  });

  it('takes an Argo expression outside an Argo document for a template, to be safe', () => {
    // inside an Argo document the same text is Argo's expression (isGoTemplateAction with 'argo')
    assert.equal(syntaxOf(podText('  annotations: {a: "{{=item}}"}\nspec: {}\n')), 'go');
  });
});

/** A Pod whose container `c` has these fields (and a memory limit, unless they set resources). */
function pod(fields: string, apiVersion = 'v1'): string {
  const memory = fields.includes('resources:') ? '' : '    resources: {limits: {memory: 1Mi}}\n';
  return `apiVersion: ${apiVersion}\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n${memory}    ${fields}\n`;
}

/** A Pod that Dapr serves on `appPort`, whose container declares `port`. */
function daprPod(appPort: string, port: string): string {
  return pod(`image: b:1\n    ports: [{containerPort: ${port}}]`).replace(
    'metadata:\n  name: p\n',
    `metadata:\n  name: p\n  annotations: {dapr.io/enabled: "true", dapr.io/app-port: ${appPort}}\n`,
  );
}

/**
 * Each rule's exemption: a pod with a literal value (the rule fires) and the same pod with a
 * placeholder there (it does not), so the placeholder is what keeps the rule quiet.
 */
const EXEMPTIONS: { rule: string; literal: string; placeholders: string[] }[] = [
  {
    rule: 'image-tag',
    literal: pod('image: nginx'),
    placeholders: [
      'image: ${IMAGE}',
      'image: $IMAGE_URL',
      'image: $(params.image)',
      'image: "{{inputs.parameters.image}}"',
      'image: "{{ image }}"',
      'image: nginx:${TAG}',
      'image: ${IMAGE:-nginx}',
      'image: registry.example/${APP}',
    ].map((f) => pod(f)),
  },
  { rule: 'image-tag', literal: pod('image: nginx:latest'), placeholders: [pod('image: nginx:$(params.tag)')] },
  {
    rule: 'schema',
    literal: pod('image: b:1\n    ports: [{containerPort: "80"}]'),
    placeholders: [
      'image: b:1\n    ports: [{containerPort: "${PORT}"}]',
      'image: b:1\n    ports: [{containerPort: $(params.port)}]',
      'image: b:1\n    ports: [{containerPort: "{{inputs.parameters.port}}"}]',
    ].map((f) => pod(f)),
  },
  {
    rule: 'schema',
    literal: pod('image: b:1\n    imagePullPolicy: Sometimes'),
    placeholders: [pod('image: b:1\n    imagePullPolicy: ${PULL_POLICY}')],
  },
  {
    rule: 'port-name',
    literal: pod('image: b:1\n    ports: [{containerPort: 80, name: HTTP_PORT}]'),
    placeholders: [
      'image: b:1\n    ports: [{containerPort: 80, name: "$(params.port-name)"}]',
      'image: b:1\n    ports: [{containerPort: 80, name: "${PORT_NAME}"}]',
    ].map((f) => pod(f)),
  },
  {
    rule: 'missing-volume',
    literal: pod(
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}]\n  volumes: [{name: other, emptyDir: {}}]',
    ),
    placeholders: [
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}]\n  volumes: [{name: $(params.volume), emptyDir: {}}]',
      'image: b:1\n    volumeMounts: [{name: "${VOLUME}", mountPath: /d}]\n  volumes: [{name: other, emptyDir: {}}]',
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}]\n  volumes: $(params.volumes)',
    ].map((f) => pod(f)),
  },
  {
    rule: 'unused-volume',
    literal: pod(
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}]\n  volumes: [{name: data, emptyDir: {}}, {name: other, emptyDir: {}}]',
    ),
    placeholders: [
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}]\n  volumes: [{name: data, emptyDir: {}}, {name: $(params.x), emptyDir: {}}]',
      'image: b:1\n    volumeMounts: [{name: data, mountPath: /d}, {name: "{{item}}", mountPath: /e}]\n  volumes: [{name: data, emptyDir: {}}, {name: other, emptyDir: {}}]',
      'image: b:1\n    volumeMounts: ${MOUNTS}\n  volumes: [{name: data, emptyDir: {}}, {name: other, emptyDir: {}}]',
    ].map((f) => pod(f)),
  },
  {
    rule: 'probe-port',
    literal: pod(
      'image: b:1\n    ports: [{containerPort: 80, name: web}]\n    readinessProbe: {httpGet: {port: http}}',
    ),
    placeholders: [
      'image: b:1\n    ports: [{containerPort: 80, name: web}]\n    readinessProbe: {httpGet: {port: $(params.port)}}',
      'image: b:1\n    ports: [{containerPort: 80, name: "${PORT_NAME}"}]\n    readinessProbe: {httpGet: {port: http}}',
    ].map((f) => pod(f)),
  },
  {
    rule: 'dapr-app-port',
    literal: daprPod('"8080"', '80'),
    placeholders: [daprPod('"${APP_PORT}"', '80'), daprPod('"8080"', '"${PORT}"')],
  },
  {
    rule: 'api-version',
    literal: pod('image: b:1', 'extensions/v1beta1'),
    placeholders: [pod('image: b:1', '${POD_API_VERSION}'), pod('image: b:1', '$(params.apiVersion)')],
  },
  {
    rule: 'init-restart-policy-value',
    literal: pod('image: b:1\n  initContainers: [{name: i, image: "b:1", restartPolicy: OnFailure}]'),
    placeholders: [pod('image: b:1\n  initContainers: [{name: i, image: "b:1", restartPolicy: "$(params.policy)"}]')],
  },
  {
    rule: 'init-container-probe',
    literal: pod('image: b:1\n  initContainers: [{name: i, image: "b:1", startupProbe: {tcpSocket: {port: 1}}}]'),
    placeholders: [
      pod(
        'image: b:1\n  initContainers: [{name: i, image: "b:1", restartPolicy: "${POLICY}", startupProbe: {tcpSocket: {port: 1}}}]',
      ),
    ],
  },
  {
    rule: 'resources',
    literal: pod('image: b:1\n    resources: {}'),
    placeholders: [
      pod('image: b:1\n    resources: ${RESOURCES}'),
      pod('image: b:1\n    resources: {}\n  resources: $(params.r)'),
    ],
  },
  {
    rule: 'writable-host-path',
    literal: pod(
      'image: b:1\n    volumeMounts: [{name: logs, mountPath: /l}]\n  volumes: [{name: logs, hostPath: {path: /var/log}}]',
    ),
    placeholders: [
      pod(
        'image: b:1\n    volumeMounts: [{name: logs, mountPath: /l, readOnly: "${READ_ONLY}"}]\n  volumes: [{name: logs, hostPath: {path: /var/log}}]',
      ),
    ],
  },
];

/** The lines of `text` that `base` does not have: what a case changes. */
function changed(text: string, base: string): string {
  const lines = new Set(base.split('\n'));
  return text
    .split('\n')
    .filter((l) => !lines.has(l))
    .map((l) => l.trim())
    .join('; ');
}

describe('value checks leave placeholders alone', () => {
  for (const { rule, literal, placeholders } of EXEMPTIONS) {
    for (const text of placeholders) {
      it(`${rule}: ${changed(text, literal)}`, () => {
        const fires = lintText(literal).filter((f) => f.rule === rule);
        assert.ok(fires.length > 0, `the literal value gives no ${rule} finding: the case proves nothing`);
        const findings = lintText(text);
        assert.ok(!findings.some((f) => f.rule === 'templated'), 'checked, not skipped');
        assert.deepEqual(
          findings.filter((f) => f.rule === rule).map((f) => f.message),
          [],
        );
      });
    }
  }

  it('still compares a placeholder written twice: it fills in the same value each time', () => {
    const twice = lintText(
      pod(
        'image: b:1\n    ports: [{containerPort: 80, name: "$(params.p)"}, {containerPort: 81, name: "$(params.p)"}]',
      ),
    );
    assert.deepEqual(
      twice.filter((f) => f.rule === 'port-name').map((f) => f.line),
      [10],
    );
    const apart = lintText(
      pod(
        'image: b:1\n    ports: [{containerPort: 80, name: "$(params.p)"}, {containerPort: 81, name: "$(params.q)"}]',
      ),
    );
    assert.deepEqual(
      apart.filter((f) => f.rule === 'port-name'),
      [],
    );
  });

  it('still reports what is known around a placeholder', () => {
    const latest = lintText(pod('image: ${REGISTRY}/app:latest')).filter((f) => f.rule === 'image-tag');
    assert.equal(latest.length, 1, 'the tag is written: latest');
    const untagged = lintText(pod('image: ${REGISTRY}/app')).filter((f) => f.rule === 'image-tag');
    assert.equal(untagged.length, 1, 'the registry is a placeholder, the name has no tag');
  });
});

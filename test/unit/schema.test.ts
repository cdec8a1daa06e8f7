import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeField, isPodKind, POD_KINDS, validatePodKind } from '../../server/src/schema/validate';
import type { PodKind, SchemaIssue } from '../../server/src/schema/validate';
import { loadSchemaJson, loadValidators } from '../../server/src/schema/generated';

// Runs from out/test/unit (transpiled) or test/unit: the repo root is the first folder up with package.json.
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}
const ROOT = repoRoot();
const FIXTURES = join(ROOT, 'test', 'fixtures', 'schema');

/** Parses like the pod model does: YAML 1.2 core schema (timestamps stay strings), merge keys on. */
function parseDocs(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.2', merge: true }).map((doc) => doc.toJS() as unknown);
}

function parseOne(text: string): Record<string, unknown> {
  const [doc] = parseDocs(text);
  return doc as Record<string, unknown>;
}

function validate(text: string): SchemaIssue[] {
  const doc = parseOne(text);
  assert.ok(isPodKind(doc.kind), `not a pod kind: ${String(doc.kind)}`);
  return validatePodKind(doc.kind, doc);
}

const pod = (containerYaml: string, extraSpec = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
${containerYaml}
${extraSpec}`;

describe('schema: validatePodKind', () => {
  it('reports a named port where an integer is required, with the exact message and path', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      ports:
        - containerPort: http`),
    );
    assert.deepEqual(issues, [
      {
        path: ['spec', 'containers', 0, 'ports', 0, 'containerPort'],
        target: 'value',
        message: 'containerPort: expected an integer, got "http"',
        severity: 'error',
        kind: 'type',
      },
    ]);
  });

  it('reports an unknown field as a warning on its key, with the closest known key', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      poarts:
        - containerPort: 80`),
    );
    assert.deepEqual(issues, [
      {
        path: ['spec', 'containers', 0, 'poarts'],
        target: 'key',
        message: 'unknown field "poarts" (did you mean "ports"?)',
        severity: 'warning',
        kind: 'unknown-field',
        suggestion: 'ports',
      },
    ]);
  });

  it('suggests a known key that differs only in case, and none when nothing is near', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      imagepullpolicy: Always
      frobnicate: true`),
    );
    assert.deepEqual(
      issues.map((i) => [i.path.at(-1), i.suggestion, i.message]),
      [
        ['imagepullpolicy', 'imagePullPolicy', 'unknown field "imagepullpolicy" (did you mean "imagePullPolicy"?)'],
        ['frobnicate', undefined, 'unknown field "frobnicate"'],
      ],
    );
  });

  it('reports a missing required field on the object that lacks it', () => {
    const issues = validate(pod(`    - image: nginx`));
    assert.deepEqual(issues, [
      {
        path: ['spec', 'containers', 0],
        target: 'value',
        message: 'missing required field "name"',
        severity: 'error',
        kind: 'required',
        missing: 'name',
      },
    ]);
  });

  it('reports a value outside an enum, listing the allowed values', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      imagePullPolicy: Sometimes`),
    );
    assert.deepEqual(issues, [
      {
        path: ['spec', 'containers', 0, 'imagePullPolicy'],
        target: 'value',
        message: 'imagePullPolicy: expected one of Always, IfNotPresent, Never, got "Sometimes"',
        severity: 'error',
        kind: 'enum',
      },
    ]);
  });

  it('suggests the enum value a wrongly cased one meant', () => {
    const [issue] = validate(
      pod(`    - name: app
      image: nginx
      ports:
        - containerPort: 80
          protocol: tcp`),
    );
    assert.equal(issue?.message, 'protocol: expected one of SCTP, TCP, UDP, got "tcp" (did you mean "TCP"?)');
    assert.equal(issue?.suggestion, 'TCP');
  });

  it('accepts creationTimestamp: null and date-like strings', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
  creationTimestamp: null
  deletionTimestamp: 2024-01-02T03:04:05Z
  annotations:
    built: 2024-01-02
spec:
  containers:
    - name: app
      image: nginx`);
    assert.deepEqual(issues, []);
  });

  it('accepts null for optional fields of every shape (scalar, object, list, map)', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: null
spec:
  nodeSelector: null
  securityContext: null
  volumes: null
  restartPolicy: null
  containers:
    - name: app
      image: nginx
      imagePullPolicy: null
      ports: null
      resources:
        limits:
          cpu: null
      env:
        - name: A
          value: null
status: null`);
    assert.deepEqual(issues, []);
  });

  it('rejects null for a required field', () => {
    const issues = validate(
      pod(`    - name: null
      image: nginx`),
    );
    assert.deepEqual(
      issues.map((i) => i.message),
      ['name: expected a string, got null'],
    );
  });

  it('accepts a native sidecar (init container with restartPolicy: Always)', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: proxy
      image: envoyproxy/envoy:v1.31
      restartPolicy: Always
  containers:
    - name: app
      image: nginx`);
    assert.deepEqual(issues, []);
  });

  it('accepts named ports and percentages where the API takes IntOrString', () => {
    const issues = validate(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels:
      app: d
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app: d
    spec:
      containers:
        - name: app
          image: nginx
          ports:
            - name: http
              containerPort: 8080
          livenessProbe:
            httpGet:
              port: http
          readinessProbe:
            tcpSocket:
              port: 8080`);
    assert.deepEqual(issues, []);
  });

  it('reports IntOrString given a list as one readable error', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      livenessProbe:
        httpGet:
          port: [80]`),
    );
    assert.deepEqual(
      issues.map((i) => i.message),
      ['port: expected an integer or a string, got a list'],
    );
  });

  it('accepts quantities as strings with suffixes and as numbers', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      resources:
        requests:
          cpu: 100m
          memory: 1Gi
          ephemeral-storage: 2G
        limits:
          cpu: 2
          memory: 1.5e9
          example.com/gpu: "1"`),
    );
    assert.deepEqual(issues, []);
  });

  it('rejects a quantity with an unknown unit', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      resources:
        limits:
          memory: 1GB`),
    );
    assert.deepEqual(issues, [
      {
        path: ['spec', 'containers', 0, 'resources', 'limits', 'memory'],
        target: 'value',
        message: 'memory: expected a quantity such as 500m, 128Mi or 1Gi, got "1GB"',
        severity: 'error',
        kind: 'pattern',
      },
    ]);
  });

  it('accepts emptyDir media "", Memory and HugePages-<size>, and rejects others', () => {
    const volumes = (medium: string): string => `  volumes:
    - name: v
      emptyDir:
        medium: ${medium}`;
    for (const ok of ['""', 'Memory', 'HugePages', 'HugePages-2Mi']) {
      assert.deepEqual(validate(pod('    - {name: app, image: nginx}', volumes(ok))), [], ok);
    }
    assert.deepEqual(
      validate(pod('    - {name: app, image: nginx}', volumes('memory'))).map((i) => i.message),
      ['medium: expected "", Memory, HugePages or HugePages-<size>, got "memory"'],
    );
  });

  it('suggests the quoted text for a number or boolean where a string is required', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      env:
        - name: PORT
          value: 8080
        - name: DEBUG
          value: true`),
    );
    assert.deepEqual(
      issues.map((i) => [i.message, i.suggestion]),
      [
        ['value: expected a string, got 8080', '"8080"'],
        ['value: expected a string, got true', '"true"'],
      ],
    );
  });

  it('warns instead of erring on YAML 1.1 booleans that kubectl accepts', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      tty: yes`),
    );
    assert.deepEqual(
      issues.map((i) => [i.severity, i.message, i.suggestion]),
      [['warning', 'tty: "yes" is a boolean only in YAML 1.1 (kubectl); write true', 'true']],
    );
  });

  it('does not check unexpanded ${VAR} placeholders', () => {
    const issues = validate(
      pod(`    - name: app
      image: nginx
      resources:
        limits:
          nvidia.com/gpu: \${GPU_COUNT}
      ports:
        - containerPort: \${PORT}`),
    );
    assert.deepEqual(issues, []);
  });

  it('accepts container restart rules with values newer than the schema text (RestartAllContainers)', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: init
      image: busybox
      restartPolicy: Never
      restartPolicyRules:
        - action: RestartAllContainers
          exitCodes:
            operator: In
            values: [42]
  containers:
    - name: app
      image: nginx`);
    assert.deepEqual(issues, []);
  });

  it('requires the selector and template of an apps/v1 workload, as the API server does', () => {
    const issues = validate(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 1`);
    assert.deepEqual(
      issues.map((i) => [i.path, i.message]),
      [
        [['spec'], 'missing required field "selector"'],
        [['spec'], 'missing required field "template"'],
      ],
    );
  });

  it('resolves YAML merge keys before validation when parsed with merge: true', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - &base
      name: a
      image: nginx
    - <<: *base
      name: b`);
    assert.deepEqual(issues, []);
  });

  it('orders issues by position in the document and removes duplicates', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    version: 1.0
spec:
  containers:
    - name: a
      image: nginx
      imagePullPolicy: 5
    - image: nginx
      bogus: 1
  restartPolicy: Sometimes`);
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        'version: expected a string, got 1',
        'imagePullPolicy: expected a string, got 5',
        'missing required field "name"',
        'unknown field "bogus"',
        'restartPolicy: expected one of Always, Never, OnFailure, got "Sometimes"',
      ],
    );
  });

  it('escapes keys with slashes back into plain path segments', () => {
    const issues = validate(`apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    sidecar.istio.io/inject: true
spec:
  containers:
    - {name: a, image: nginx}`);
    assert.deepEqual(issues[0]?.path, ['metadata', 'annotations', 'sidecar.istio.io/inject']);
    assert.equal(issues[0]?.message, 'sidecar.istio.io/inject: expected a string, got true');
  });

  it('reports a document that is not an object', () => {
    assert.deepEqual(
      validatePodKind('Pod', 'just text').map((i) => [i.path, i.message]),
      [[[], 'Pod: expected an object, got "just text"']],
    );
  });

  it('finds the expected issues in the invalid fixture', () => {
    const text = readFileSync(join(FIXTURES, 'invalid', 'pod-mistakes.yaml'), 'utf8');
    const issues = validate(text);
    assert.deepEqual(
      issues.map((i) => `${i.severity} ${i.kind} ${i.path.join('.')}: ${i.message}`),
      [
        'error required spec.containers.0: missing required field "name"',
        'error enum spec.containers.0.imagePullPolicy: imagePullPolicy: expected one of Always, IfNotPresent, Never, got "Sometimes"',
        'warning unknown-field spec.containers.0.poarts: unknown field "poarts" (did you mean "ports"?)',
        'error type spec.containers.0.ports.0.containerPort: containerPort: expected an integer, got "http"',
        'error type spec.containers.0.env.0.value: value: expected a string, got 8080',
        'error pattern spec.containers.0.resources.limits.memory: memory: expected a quantity such as 500m, 128Mi or 1Gi, got "1GB"',
      ],
    );
    // One issue per "# !" line.
    assert.equal(issues.length, text.split('\n').filter((line) => / # !( |$)/.test(line)).length);
  });

  for (const file of readdirSync(join(FIXTURES, 'valid')).filter((f) => f.endsWith('.yaml'))) {
    it(`finds no issue in valid fixture ${file}`, () => {
      const docs = parseDocs(readFileSync(join(FIXTURES, 'valid', file), 'utf8')) as Record<string, unknown>[];
      assert.ok(docs.length > 0);
      for (const doc of docs) {
        assert.ok(isPodKind(doc.kind));
        assert.deepEqual(validatePodKind(doc.kind, doc), [], `${String(doc.kind)} in ${file}`);
      }
    });
  }

  it('covers every pod kind in the valid fixtures', () => {
    const kinds = new Set<unknown>();
    for (const file of readdirSync(join(FIXTURES, 'valid'))) {
      for (const doc of parseDocs(readFileSync(join(FIXTURES, 'valid', file), 'utf8')) as Record<string, unknown>[])
        kinds.add(doc.kind);
    }
    assert.deepEqual(
      [...POD_KINDS].filter((k) => !kinds.has(k)),
      [],
    );
  });
});

describe('schema: describeField', () => {
  it('describes a container field with its type and allowed values', () => {
    const field = describeField('Deployment', ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy']);
    assert.ok(field?.description?.startsWith('Image pull policy.'));
    assert.equal(field?.type, 'string');
    assert.deepEqual(field?.enum, ['Always', 'Never', 'IfNotPresent']);
    assert.equal(field?.required, false);
  });

  it('names object, list, map and special scalar types like kubectl explain', () => {
    const type = (kind: PodKind, path: (string | number)[]): string | undefined => describeField(kind, path)?.type;
    assert.equal(type('Pod', ['spec']), 'PodSpec');
    assert.equal(type('Pod', ['spec', 'containers']), '[]Container');
    assert.equal(type('Pod', ['spec', 'containers', 0]), 'Container');
    assert.equal(type('Pod', ['metadata', 'labels']), 'map[string]string');
    assert.equal(type('Pod', ['spec', 'containers', 0, 'resources', 'limits']), 'map[string]Quantity');
    assert.equal(type('Pod', ['spec', 'containers', 0, 'ports', 0, 'containerPort']), 'integer');
    assert.equal(type('Pod', ['spec', 'containers', 0, 'livenessProbe', 'httpGet', 'port']), 'IntOrString');
    assert.equal(type('CronJob', ['metadata', 'creationTimestamp']), 'Time');
    assert.equal(describeField('Pod', ['spec', 'containers', 0, 'name'])?.required, true);
  });

  it('returns undefined off the schema', () => {
    assert.equal(describeField('Pod', ['spec', 'nope']), undefined);
    assert.equal(describeField('Pod', ['spec', 'containers', 0, 'image', 'deeper']), undefined);
  });
});

describe('schema: generated artifacts', () => {
  it('the committed schema is exactly the generator output', function () {
    this.timeout(20000);
    // Exits non-zero (and execFileSync throws) when schemas/kubernetes-pod-kinds.schema.json is stale.
    execFileSync(process.execPath, [join(ROOT, 'schemas', 'generate.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('exports a validator and a root per pod kind', () => {
    const generated = loadValidators();
    for (const kind of POD_KINDS) {
      assert.equal(typeof generated[kind], 'function', kind);
      assert.ok(generated.shapes[generated.roots[kind]], kind);
    }
    assert.deepEqual(Object.keys(loadSchemaJson()['x-pod-kinds']).sort(), [...POD_KINDS].sort());
  });

  it('has a human wording for every pattern in the schema', () => {
    const patterns = new Set<string>();
    JSON.stringify(loadSchemaJson(), (key, value: unknown) => {
      if (key === 'pattern' && typeof value === 'string') patterns.add(value);
      return value;
    });
    assert.ok(patterns.size > 0);
    for (const pattern of patterns) assert.ok(loadValidators().patternHints[pattern], pattern);
  });

  it('only requires bundlable modules at run time', () => {
    const code = readFileSync(join(ROOT, 'server', 'src', 'schema', 'generated', 'validators.js'), 'utf8');
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    for (const name of required) assert.match(name ?? '', /^ajv\/dist\/runtime\//);
  });
});

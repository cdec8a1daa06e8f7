import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ModelCache } from '../../server/src/model/file-model';
import {
  looksLikePodDocument,
  namesNonPodKind,
  topLevelKinds,
  topLevelPodKind,
} from '../../server/src/model/kind-lines';
import { splitDocuments } from '../../server/src/model/split';
import { Linter } from '../../server/src/engine/linter';
import { Engine } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';

const POD = (name: string, port = 8080): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: app
      image: nginx:1.27
      resources:
        limits:
          memory: 64Mi
      ports:
        - containerPort: ${port}
`;

describe('splitDocuments', () => {
  it('splits at --- lines and concatenates back to the input', () => {
    const text = 'a: 1\n---\nb: 2\n--- # c\nc: 3\n---\n';
    const chunks = splitDocuments(text);
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['a: 1\n', '---\nb: 2\n', '--- # c\nc: 3\n', '---\n'],
    );
    assert.equal(chunks.map((c) => c.text).join(''), text);
    assert.deepEqual(
      chunks.map((c) => c.offset),
      [0, 5, 14, 27],
    );
  });

  it('does not split at ---- or ---x', () => {
    assert.equal(splitDocuments('a: |\n  x\n----\n---x: 1\n').length, 1);
  });

  it('keeps a leading marker with the first document and handles CRLF', () => {
    const chunks = splitDocuments('---\r\na: 1\r\n---\r\nb: 2\r\n');
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['---\r\na: 1\r\n', '---\r\nb: 2\r\n'],
    );
  });
});

describe('pod model', () => {
  it('finds the pod spec of every pod-bearing kind', () => {
    const cache = new ModelCache();
    const kinds: [string, string][] = [
      ['Deployment', 'apps/v1'],
      ['StatefulSet', 'apps/v1'],
      ['DaemonSet', 'apps/v1'],
      ['ReplicaSet', 'apps/v1'],
      ['ReplicationController', 'v1'],
      ['Job', 'batch/v1'],
    ];
    for (const [kind, apiVersion] of kinds) {
      const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: x:1\n`;
      const [doc] = cache.parseFile(text).documents;
      assert.equal(doc!.model.pods.length, 1, kind);
      assert.deepEqual(doc!.model.pods[0]!.specPath, ['spec', 'template', 'spec']);
      assert.equal(doc!.model.pods[0]!.containers[0]!.name?.value, 'c');
    }
    const cron = cache.parseFile(
      'apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: "x:1"}]\n',
    );
    assert.deepEqual(cron.documents[0]!.model.pods[0]!.specPath, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    const tpl = cache.parseFile('apiVersion: v1\nkind: PodTemplate\ntemplate:\n  spec:\n    containers: []\n');
    assert.deepEqual(tpl.documents[0]!.model.pods[0]!.specPath, ['template', 'spec']);
  });

  it('gives containers their role and values their source range', () => {
    const text = `apiVersion: v1
kind: Pod
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
  containers:
    - name: app
      image: nginx:1.27
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
`;
    const pod = new ModelCache().parseFile(text).documents[0]!.model.pods[0]!;
    assert.deepEqual(
      pod.containers.map((c) => [c.name?.value, c.role]),
      [
        ['setup', 'init'],
        ['proxy', 'sidecar'],
        ['app', 'regular'],
        ['debug', 'ephemeral'],
      ],
    );
    const proxy = pod.containers[1]!.name!;
    assert.equal(text.slice(proxy.range.start, proxy.range.end), 'proxy');
  });

  it('finds pods inside a List', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - ${POD('a').replace(/\n/g, '\n    ').trimEnd()}\n`;
    const pods = new ModelCache().parseFile(text).documents[0]!.model.pods;
    assert.equal(pods.length, 1);
    assert.deepEqual(pods[0]!.objectPath, ['items', 0]);
  });

  it('skips parsing only documents whose own top-level kind cannot hold a pod', () => {
    assert.equal(namesNonPodKind('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n'), true);
    assert.equal(namesNonPodKind("kind: 'CustomResourceDefinition' # big\r\nspec: {}\r\n"), true);
    for (const text of [
      'apiVersion: apps/v1\nkind: "Deployment"\n',
      'kind: List\nitems: []\n',
      'spec:\n  kind: ConfigMap\n', // nested: not the document's kind
      'apiVersion: v1\nkind: Pod\nkind: ConfigMap\n', // a pod kind anywhere at the top: parse and report
      'kind: {{ .Values.kind }}\n',
      'no: kind\n',
    ]) {
      assert.equal(namesNonPodKind(text), false, text);
    }
    const model = new ModelCache().parseFile('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n').documents[0]!.model;
    assert.equal(model.isPodDocument, false);
    assert.deepEqual(model.yaml.toJS(), { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } }, 'parsed on demand');
  });

  it('reads the kinds a document names on its own top-level lines, broken or not', () => {
    assert.deepEqual(topLevelKinds('apiVersion: v1\nkind: Pod\n'), ['Pod']);
    assert.deepEqual(topLevelKinds('kind: \'Job\' # comment\r\nkind: "List"\r\n'), ['Job', 'List']);
    for (const text of [
      'spec:\n  kind: Deployment\n', // nested: an HPA's scaleTargetRef
      'kind: "Pod\'\n', // mismatched quotes
      'kind: Pod extra\n', // not a plain scalar
      'kind: [Pod]\n',
      '  kind: Pod\n',
    ]) {
      assert.deepEqual(topLevelKinds(text), [], text);
    }
    assert.equal(topLevelPodKind('kind: ConfigMap\nkind: CronJob\n'), 'CronJob');
    assert.equal(topLevelPodKind('kind: List\n'), undefined, 'a List may hold pods but is not one');
    assert.equal(looksLikePodDocument('apiVersion: batch/v1\nkind: Job\nspec: [\n'), true);
    assert.equal(looksLikePodDocument('kind: Job\nspec: [\n'), false, 'no apiVersion line');
  });

  it('honours merge keys, as the API server does', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: &meta\n  name: m\nspec:\n  containers:\n    - name: app\n      <<: {image: "nginx:1.27"}\n';
    const model = new ModelCache().parseFile(text).documents[0]!.model;
    const value = model.value();
    assert.ok(value.ok);
    assert.deepEqual((value.value as { spec: { containers: object[] } }).spec.containers[0], {
      name: 'app',
      image: 'nginx:1.27',
    });
  });

  it('ignores YAML that is not a pod-bearing kind', () => {
    const cache = new ModelCache();
    for (const text of [
      'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n',
      'apiVersion: v1\nkind: Service\nspec:\n  ports: [{port: 80}]\n',
      'resources:\n  - deployment.yaml\n',
      // a custom resource that reuses a built-in kind name and is not in the kinds table
      'apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nspec:\n  tasks: []\n',
      'apiVersion: example.com/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{name: a}, {name: a}]\n',
    ]) {
      const file = cache.parseFile(text);
      assert.equal(file.documents[0]!.model.isPodDocument, false, text);
      assert.deepEqual(new Linter().lint(file, DEFAULT_SETTINGS), []);
    }
  });

  it('recognises broken pod YAML by its top-level lines, also with CRLF line ends', () => {
    // a stray sequence item first: the root is no mapping, so no pod can be built from it
    const broken = '- oops\napiVersion: v1\nkind: Pod # the app\n';
    for (const text of [broken, broken.replace(/\n/g, '\r\n')]) {
      const file = new ModelCache().parseFile(text);
      assert.equal(file.documents[0]!.model.pods.length, 0);
      const findings = new Linter().lint(file, DEFAULT_SETTINGS);
      assert.ok(findings.length > 0 && findings.every((f) => f.rule === 'yaml-syntax'), JSON.stringify(text));
    }
  });

  it('refuses an alias bomb and absurd nesting with a clear finding, cheaply', () => {
    const bomb = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  annotations:',
      '    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `    a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    bomb.push('spec:', '  containers: [{name: x, image: "y:1", resources: {limits: {memory: 1Mi}}}]');
    const bombFindings = new Linter().lint(new ModelCache().parseFile(bomb.join('\n')), DEFAULT_SETTINGS);
    assert.deepEqual(
      bombFindings.map((f) => f.rule),
      ['schema'],
    );
    assert.match(bombFindings[0]!.message, /cannot be expanded/);

    const deep = `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    const deepFindings = new Linter().lint(new ModelCache().parseFile(deep), DEFAULT_SETTINGS);
    assert.ok(deepFindings.length > 0);
    assert.ok(deepFindings.every((f) => f.rule === 'yaml-syntax' && /nests too deeply/.test(f.message)));
  });

  it('never throws on broken input and still finds what it can', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: [\n';
    const file = new ModelCache().parseFile(text);
    assert.ok(file.documents[0]!.model.syntaxErrors.length > 0);
    assert.equal(file.documents[0]!.model.pods.length, 1);
  });
});

function drainSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

describe('incremental parsing', () => {
  it('re-parses and re-checks only the edited document of a 200-document file', () => {
    const docs = Array.from({ length: 200 }, (_, i) => POD(`pod-${i}`));
    const cache = new ModelCache();
    const linter = new Linter();
    linter.lint(cache.parseFile(docs.join('---\n')), DEFAULT_SETTINGS);
    assert.equal(cache.parseCount, 200);
    assert.equal(linter.checkCount, 200);

    docs[117] = POD('pod-117', 9090);
    const findings = linter.lint(cache.parseFile(docs.join('---\n')), DEFAULT_SETTINGS);
    assert.equal(cache.parseCount, 201, 'only the edited document is parsed again');
    assert.equal(linter.checkCount, 201, 'only the edited document is checked again');
    assert.deepEqual(findings, []);
  });

  it("gives the same model for a file's latest text again, and a new one after an edit or under another key", () => {
    const text = Array.from({ length: 3 }, (_, i) => POD(`pod-${i}`)).join('---\n');
    const cache = new ModelCache();
    const first = cache.parseFile(text, 'file:///a.yaml');
    // a copy of the string, as a later notification carries it
    assert.equal(cache.parseFile(`${text} `.slice(0, -1), 'file:///a.yaml'), first);
    const other = cache.parseFile(text, 'file:///b.yaml');
    assert.notEqual(other, first, 'another file has a model of its own');
    assert.equal(other.documents[1]!.model, first.documents[1]!.model, 'its documents are shared');
    const edited = cache.parseFile(`${text}# end\n`, 'file:///a.yaml');
    assert.notEqual(edited, first);
    assert.equal(cache.parseFile(text, 'file:///a.yaml').text, text, 'the earlier text again is read again');
  });

  it('keeps the parse of the document a keystroke checked, and none after a check of the whole', () => {
    const pod = POD('one');
    // in steps, as the editor checks: the one document checked stays parsed for the requests
    const editor = new Engine();
    drainSteps(editor.checkSteps(pod, DEFAULT_SETTINGS, 'file:///a.yaml'));
    const parsed = editor.models.parseCount;
    void editor.open(pod, 'file:///a.yaml')!.documents[0]!.model.pods;
    assert.equal(editor.models.parseCount, parsed, 'still parsed');
    // a check of the whole (the CLI's) keeps none: a request parses again
    const cli = new Engine();
    const findings = cli.check(pod, DEFAULT_SETTINGS, 'file:///a.yaml');
    const before = cli.models.parseCount;
    void cli.open(pod, 'file:///a.yaml')!.documents[0]!.model.pods;
    assert.equal(cli.models.parseCount, before + 1, 'parsed again');
    assert.deepEqual(cli.check(pod, DEFAULT_SETTINGS, 'file:///a.yaml'), findings);
  });

  it('keeps only the documents of the latest version of each file', () => {
    const cache = new ModelCache();
    const docs = Array.from({ length: 5 }, (_, i) => POD(`pod-${i}`));
    for (let edit = 0; edit < 100; edit++) {
      docs[2] = POD('pod-2', 8000 + edit);
      cache.parseFile(docs.join('---\n'), 'file:///a.yaml');
    }
    cache.parseFile(POD('other'), 'file:///b.yaml');
    assert.equal(cache.size, 6);
    cache.forget('file:///a.yaml');
    assert.equal(cache.size, 1);
  });

  it('parses a document written the same in two files once, while either file holds it', () => {
    const cache = new ModelCache();
    const shared = `---\n${POD('shared')}`;
    const parsed = (text: string, key: string): void => {
      for (const d of cache.parseFile(text, key).documents) void d.model.pods;
    };
    parsed(`${POD('a')}${shared}`, 'file:///a.yaml');
    assert.equal(cache.parseCount, 2);
    parsed(`${POD('b')}${shared}`, 'file:///b.yaml');
    assert.equal(cache.parseCount, 3, "only b.yaml's own document is new");
    // a.yaml edited so that it no longer has it: b.yaml still does
    parsed(POD('a', 9000), 'file:///a.yaml');
    parsed(`${POD('c')}${shared}`, 'file:///c.yaml');
    assert.equal(cache.parseCount, 5, 'held by b.yaml, so not parsed for c.yaml');
    // once no file holds it, it is gone
    cache.forget('file:///b.yaml');
    cache.forget('file:///c.yaml');
    parsed(shared, 'file:///d.yaml');
    assert.equal(cache.parseCount, 6, 'parsed again');
    // each file gets the findings of the document where it stands in that file
    const engine = new Engine();
    const untagged = `---\n${POD('untagged').replace('nginx:1.27', 'nginx')}`;
    const a = `${POD('a')}${untagged}`;
    const b = `${POD('b')}# one more line\n${untagged}`;
    engine.check(a, DEFAULT_SETTINGS, 'file:///a.yaml');
    const found = engine.check(b, DEFAULT_SETTINGS, 'file:///b.yaml');
    assert.deepEqual(found, new Engine().check(b, DEFAULT_SETTINGS, 'file:///b.yaml'));
    assert.ok(
      found.some((f) => f.range.start > b.indexOf('---')),
      'a finding in the shared document',
    );
  });

  it('finds unchanged documents wherever edits moved them, and parses only new text', () => {
    const cache = new ModelCache();
    // every document with its own marker line, so its text is the same wherever it stands
    const read = (docs: string[]): string[] =>
      cache.parseFile(docs.map((d) => `---\n${d}`).join(''), 'file:///m.yaml').documents.map((d) => {
        void d.model.pods;
        return d.model.text;
      });
    const docs = Array.from({ length: 6 }, (_, i) => POD(`pod-${i}`));
    read(docs);
    const parsedAfter = (edit: () => void, expected: number, why: string): void => {
      const before = cache.parseCount;
      edit();
      // each document's model is the model of its own text
      assert.deepEqual(
        read(docs),
        docs.map((d) => `---\n${d}`),
        why,
      );
      assert.equal(cache.parseCount - before, expected, why);
    };
    parsedAfter(() => docs.unshift(POD('first')), 1, 'a document put in front');
    parsedAfter(() => docs.splice(3, 1), 0, 'a document taken out of the middle');
    parsedAfter(() => ([docs[1], docs[4]] = [docs[4]!, docs[1]!]), 0, 'two documents swapped');
    parsedAfter(() => docs.push(docs[2]!), 0, 'a document repeated at the end');
    parsedAfter(() => (docs[0] = POD('first', 9000)), 1, 'the first document edited');
    parsedAfter(() => docs.reverse(), 0, 'every document moved');
    parsedAfter(() => docs.splice(2, 2, POD('a'), POD('b'), POD('c')), 3, 'two documents replaced by three');
  });

  it('keeps no earlier version of a file alive through the documents it keeps', () => {
    // V8 makes a substring a view of the string it was cut from: a model keeping its document's
    // text as such a view kept the whole file as it was, one copy per version edited
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const docs = Array.from({ length: 400 }, (_, i) => POD(`pod-${i}`) + `# ${'padding '.repeat(300)}\n`);
    const cache = new ModelCache();
    let text = docs.join('---\n');
    const fileMiB = text.length / 2 ** 20;
    assert.ok(fileMiB > 0.9, `${fileMiB} MiB`);
    for (const d of cache.parseFile(text, 'file:///big.yaml').documents) void d.model.pods;
    gc();
    const before = process.memoryUsage().heapUsed;
    // one edit in each of 40 documents, as a person moves through a file
    for (let i = 0; i < 40; i++) {
      docs[i * 10] = POD(`pod-${i * 10}`, 9000 + i) + `# ${'padding '.repeat(300)}\n`;
      text = docs.join('---\n');
      for (const d of cache.parseFile(text, 'file:///big.yaml').documents) void d.model.pods;
    }
    gc();
    const grewMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // with the views, 40 versions of the file stayed alive: about 40 MiB
    assert.ok(
      grewMiB < 8 * fileMiB,
      `the heap grew by ${grewMiB.toFixed(1)} MiB over 40 edits of a ${fileMiB.toFixed(1)} MiB file`,
    );
  });

  it("keeps each document's text exactly as written, whatever its characters", () => {
    // the copy that lets go of the file is Latin-1 where it can be, UTF-16 code units elsewhere
    const docs = [
      POD('ascii'),
      `${POD('latin')}# café, naïve, ÿ\n`,
      `${POD('cjk')}# 日本語 ✓ 🚀\n`,
      `${POD('lone')}# a lone surrogate: \ud800 and \udfff\n`,
    ];
    const text = docs.join('---\n');
    const file = new ModelCache().parseFile(text, 'file:///chars.yaml');
    assert.equal(file.documents.length, docs.length);
    for (const [i, d] of file.documents.entries()) {
      assert.equal(d.model.text, text.slice(d.offset, file.documents[i + 1]?.offset ?? text.length));
    }
    assert.equal(file.documents.map((d) => d.model.text).join(''), text);
    // a file of one document is kept as it is
    const one = new ModelCache().parseFile(docs[2]!, 'file:///one.yaml');
    assert.equal(one.documents[0]!.model.text, docs[2]);
  });

  it('shifts cached findings when documents before them grow', () => {
    const bad =
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: x:1\n      resources: {limits: {memory: 1Mi}}\n    - name: a\n      image: x:1\n      resources: {limits: {memory: 1Mi}}\n';
    const cache = new ModelCache();
    const linter = new Linter();
    const first = linter.lint(cache.parseFile(`${POD('p')}---\n${bad}`), DEFAULT_SETTINGS);
    const grown = linter.lint(cache.parseFile(`${POD('p')}# a comment\n---\n${bad}`), DEFAULT_SETTINGS);
    assert.equal(first.length, 1);
    assert.equal(grown[0]!.range.start, first[0]!.range.start + '# a comment\n'.length);
  });
});

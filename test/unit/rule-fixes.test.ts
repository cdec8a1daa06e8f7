// The fixes of the built-in rules, output compared with what a person would write.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../server/src/fixes/edits';
import type { Fix } from '../../server/src/engine/types';
import { FIXTURES, lintText, read } from '../support/lint';

function fixesOf(text: string, rule: string): Fix[] {
  return lintText(text)
    .filter((f) => f.rule === rule)
    .flatMap((f) => f.fixes?.() ?? []);
}

/** A Deployment web selecting app: web, its template's metadata as given (indented under `template:`). */
function webDeployment(metadata: string): string {
  const spec = '    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n';
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n${metadata}${spec}`;
}

function fixed(text: string, rule: string, index = 0): string {
  const fix = fixesOf(text, rule)[index];
  assert.ok(fix, `a ${rule} fix`);
  return applyEdits(text, fix.edits);
}

describe('rule fixes', () => {
  it('missing-volume creates volumes in nested pod templates, in the style of each document', () => {
    const text = read(join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'nested-templates.yaml'));
    assert.ok(
      fixed(text, 'missing-volume', 0).includes(
        '      # no volumes yet\n      terminationGracePeriodSeconds: 10\n      volumes:\n        - name: cache\n          emptyDir: {}\n---\n',
      ),
    );
    // the CronJob's document writes its sequences flush with their key
    assert.ok(
      fixed(text, 'missing-volume', 1).endsWith(
        '              mountPath: /out\n          volumes:\n          - name: scratch\n            emptyDir: {}\n',
      ),
    );
  });

  it('missing-volume appends to an existing list and declines flow style and block devices', () => {
    const text = read(join(FIXTURES, 'rules', 'missing-volume', 'invalid', 'mount.yaml'));
    assert.equal(fixesOf(text, 'missing-volume').length, 1, 'the block device gets no emptyDir');
    assert.ok(
      fixed(text, 'missing-volume').endsWith('        name: app-config\n    - name: logs\n      emptyDir: {}\n'),
    );
    const flowList =
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: b:1\n      volumeMounts: [{name: v, mountPath: /v}]\n  volumes: []\n';
    assert.deepEqual(fixesOf(flowList, 'missing-volume'), []);
    const flowSpec =
      'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: "b:1", volumeMounts: [{name: v, mountPath: /v}]}]}\n';
    assert.deepEqual(fixesOf(flowSpec, 'missing-volume'), []);
  });

  it('api-version replaces a wrong version and adds a missing one as the first line', () => {
    const text = 'kind: Job # <- the kind\nmetadata:\n  name: j\n';
    assert.equal(fixed(text, 'api-version'), `apiVersion: batch/v1\n${text}`);
    const crlf = 'apiVersion: "extensions/v1beta1"\r\nkind: Deployment\r\n';
    const [fix] = fixesOf(crlf, 'api-version');
    assert.equal(fix!.safe, false, 'leaving a beta changes meaning: not for fix-all');
    assert.equal(applyEdits(crlf, fix!.edits), 'apiVersion: apps/v1\r\nkind: Deployment\r\n');
    // a List item's first key shares the `- ` line: nothing sensible to insert before it
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    spec:\n      containers: []\n';
    assert.deepEqual(fixesOf(list, 'api-version'), []);
  });

  it('schema renames near-miss keys unless the right key is already there, and quotes as written', () => {
    const text = read(join(FIXTURES, 'rules', 'schema', 'invalid', 'types.yaml'));
    const titles = fixesOf(text, 'schema').map((f) => f.title);
    assert.ok(!titles.some((t) => t.startsWith('Rename')), `"ports" exists already: ${titles.join(', ')}`);
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    v: 1.10\nspec:\n  containers:\n    - name: a\n      image: b:1\n';
    assert.ok(fixed(pod, 'schema').includes('    v: "1.10"\n'));
    assert.equal(fixesOf(pod, 'schema')[0]!.safe, true);
  });

  describe('job-sidecar on injected proxies', () => {
    const job = (metadata: string): string =>
      `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n${metadata}    spec:\n      restartPolicy: Never\n      containers:\n        - name: work\n          image: ghcr.io/example/work:1.0.0\n`;

    it("sets the injector's own native-sidecar annotation: added beside the trigger, or changed where written", () => {
      const istio = job('    metadata:\n      labels:\n        sidecar.istio.io/inject: "true"\n');
      const [fix] = fixesOf(istio, 'job-sidecar');
      assert.equal(fix!.title, 'Set sidecar.istio.io/nativeSidecar: "true" on the pod template');
      assert.equal(fix!.safe, false, 'it changes what the injector builds: not for fix-all');
      assert.equal(
        applyEdits(istio, fix!.edits),
        job(
          '    metadata:\n      labels:\n        sidecar.istio.io/inject: "true"\n      annotations:\n        sidecar.istio.io/nativeSidecar: "true"\n',
        ),
      );
      const linkerdOff = job(
        '    metadata:\n      annotations:\n        linkerd.io/inject: enabled\n        config.beta.linkerd.io/proxy-enable-native-sidecar: "false"\n',
      );
      assert.equal(
        fixed(linkerdOff, 'job-sidecar'),
        job(
          '    metadata:\n      annotations:\n        linkerd.io/inject: enabled\n        config.beta.linkerd.io/proxy-enable-native-sidecar: "true"\n',
        ),
      );
      const vault = job('    metadata:\n      annotations:\n        vault.hashicorp.com/agent-inject: "true"\n');
      assert.equal(
        fixed(vault, 'job-sidecar'),
        job(
          '    metadata:\n      annotations:\n        vault.hashicorp.com/agent-inject: "true"\n        vault.hashicorp.com/agent-pre-populate-only: "true"\n',
        ),
      );
      // the fixed Jobs get no job-sidecar finding
      for (const text of [istio, linkerdOff, vault]) {
        assert.deepEqual(
          lintText(fixed(text, 'job-sidecar')).filter((f) => f.rule === 'job-sidecar'),
          [],
        );
      }
    });

    it('names the way out for the target version, and offers no fix where there is none', () => {
      const istio = job('    metadata:\n      labels:\n        sidecar.istio.io/inject: "true"\n');
      const [old] = lintText(istio, { kubernetesVersion: '1.28' }).filter((f) => f.rule === 'job-sidecar');
      assert.match(
        old!.message,
        /from Kubernetes 1\.29 sidecar\.istio\.io\/nativeSidecar: "true".*until then .*quitquitquit/,
      );
      assert.equal(old!.line, 9, 'on the label that asks for the injection');
      assert.deepEqual(old!.fixes?.() ?? [], []);
      const dapr = job('    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n');
      const [d] = lintText(dapr).filter((f) => f.rule === 'job-sidecar');
      assert.match(d!.message, /Dapr injects daprd .*\(POST localhost:3500\/v1\.0\/shutdown\)/);
      assert.deepEqual(d!.fixes?.() ?? [], []);
    });

    it('says nothing where the pod is not injected or the proxy is already written down', () => {
      const hostNetwork = job('    metadata:\n      labels:\n        sidecar.istio.io/inject: "true"\n').replace(
        '    spec:\n',
        '    spec:\n      hostNetwork: true\n',
      );
      assert.deepEqual(
        lintText(hostNetwork).filter((f) => f.rule === 'job-sidecar'),
        [],
        'meshes never inject host-network pods',
      );
      const off = job('    metadata:\n      annotations:\n        sidecar.istio.io/inject: "false"\n');
      assert.deepEqual(
        lintText(off).filter((f) => f.rule === 'job-sidecar'),
        [],
      );
      const written = job('    metadata:\n      labels:\n        sidecar.istio.io/inject: "true"\n').replace(
        '          image: ghcr.io/example/work:1.0.0\n',
        '          image: ghcr.io/example/work:1.0.0\n        - name: istio-proxy\n          image: docker.io/istio/proxyv2:1.22.0\n',
      );
      const found = lintText(written).filter((f) => f.rule === 'job-sidecar');
      assert.equal(found.length, 1, 'one finding, on the written proxy');
      assert.match(found[0]!.message, /istio-proxy/);
      assert.equal(found[0]!.line, 16, 'on its image');
    });
  });

  it('selector-mismatch sets the label the selector asks for, changed where written, added where not', () => {
    const text = read(join(FIXTURES, 'rules', 'selector-mismatch', 'invalid', 'workloads.yaml'));
    const fixes = fixesOf(text, 'selector-mismatch');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Set label app: "web" on the pod template', 'Set label app: "api" on the pod template'],
      'none for an expression: which value is meant is not known',
    );
    assert.ok(
      applyEdits(text, fixes[0]!.edits).includes('      labels:\n        app: "web"\n        tier: frontend\n'),
    );
    assert.ok(
      // the template's metadata, created after its spec (where new keys of a map go)
      applyEdits(text, fixes[1]!.edits).endsWith('api:2.1.0\n    metadata:\n      labels:\n        app: "api"\n'),
    );
  });

  it('istio-inject-annotation moves the only annotation right after the labels: edits an LSP client applies', () => {
    const text = webDeployment(
      '    metadata:\n      labels:\n        app: web\n      annotations:\n        sidecar.istio.io/inject: "true"\n',
    );
    const fix = fixesOf(text, 'istio-inject-annotation').find((f) => f.title === 'Make it a label');
    assert.ok(fix);
    // the insertion is where the removed field starts: an LSP client takes it first, or refuses the
    // edits as overlapping (vscode-languageserver-textdocument's applyEdits throws)
    const document = TextDocument.create('file:///x.yaml', 'yaml', 1, text);
    const edits = fix.edits.map((e) => ({
      range: { start: document.positionAt(e.range.start), end: document.positionAt(e.range.end) },
      newText: e.newText,
    }));
    assert.ok(
      TextDocument.applyEdits(document, edits).includes(
        '      labels:\n        app: web\n        sidecar.istio.io/inject: "true"\n    spec:\n',
      ),
    );
  });

  it('selector-mismatch offers no label where the template writes `metadata:` with no value (a second would be a duplicate key)', () => {
    const text = webDeployment('    metadata:\n');
    assert.equal(lintText(text).filter((f) => f.rule === 'selector-mismatch').length, 1, 'the finding stays');
    assert.deepEqual(fixesOf(text, 'selector-mismatch'), []);
  });
});

// Which files are kustomize patches (workspace/kustomize.ts): named by a kustomization in their
// folder or one above, under any of the three patch fields, and read again in the editor's live mode;
// and what the schema makes of a patch's strategic merge directives.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KustomizePatches, patchPaths } from '../../server/src/workspace/kustomize';
import { Engine } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';

describe('kustomize patches', () => {
  it('reads the patch paths of all three fields, and no inline patch', () => {
    const text = `resources: [../base]
patches:
  - path: a.yaml
    target: {kind: Deployment}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
patchesStrategicMerge:
  - b.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
patchesJson6902:
  - target: {kind: Deployment, name: web}
    path: c.yaml
`;
    assert.deepEqual(patchPaths(text), ['a.yaml', 'c.yaml', 'b.yaml']);
    assert.deepEqual(patchPaths('::: not yaml'), []);
    assert.deepEqual(patchPaths('- a list\n'), []);
  });

  describe('on disk', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'sp-kustomize-'));
      mkdirSync(join(root, 'overlay', 'patches'), { recursive: true });
      writeFileSync(join(root, 'overlay', 'kustomization.yaml'), 'patches:\n  - path: patches/p.yaml\n');
      writeFileSync(join(root, 'overlay', 'patches', 'p.yaml'), 'kind: Deployment\n');
      writeFileSync(join(root, 'overlay', 'patches', 'q.yaml'), 'kind: Deployment\n');
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('finds the kustomization above a patch, and none for other files', () => {
      const k = new KustomizePatches();
      assert.equal(k.patchOf(join(root, 'overlay', 'patches', 'p.yaml')), join(root, 'overlay', 'kustomization.yaml'));
      assert.equal(k.patchOf(join(root, 'overlay', 'patches', 'q.yaml')), undefined);
      assert.equal(k.patchOf(join(root, 'overlay', 'kustomization.yaml')), undefined);
    });

    it('in live mode, follows a kustomization that changes', () => {
      const live = new KustomizePatches({ live: true });
      const q = join(root, 'overlay', 'patches', 'q.yaml');
      assert.equal(live.patchOf(q), undefined);
      // a different size, so the stamp changes even within the file system's time resolution
      writeFileSync(join(root, 'overlay', 'kustomization.yaml'), 'patchesStrategicMerge:\n  - patches/q.yaml\n');
      assert.equal(live.patchOf(q), join(root, 'overlay', 'kustomization.yaml'));
    });
  });
});

describe('a kustomize patch as the schema reads it', () => {
  const patch = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      $setElementOrder/containers:',
    '        - name: app',
    '        - name: proxy',
    '      containers:',
    '        - name: debug',
    '          $patch: delete',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: loadgenerator',
    '$patch: delete',
    '',
  ].join('\n');

  it("takes a strategic merge patch's directives ($patch, $setElementOrder/...) as directives, not unknown fields", () => {
    const engine = new Engine();
    const schema = (settings: typeof DEFAULT_SETTINGS): string[] =>
      engine
        .check(patch, settings)
        .filter((f) => f.rule === 'schema')
        .map((f) => f.message);
    assert.deepEqual(schema({ ...DEFAULT_SETTINGS, patchOf: '/k/kustomization.yaml' }), []);
    // the same text as a whole object: the directives are unknown fields there
    assert.ok(
      schema(DEFAULT_SETTINGS).some((m) => /unknown field "\$patch"/.test(m)),
      JSON.stringify(schema(DEFAULT_SETTINGS)),
    );
  });
});

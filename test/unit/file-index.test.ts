// The workspace index: which files it holds (YAML that can matter across objects, not excluded,
// under the caps), that an open document's text wins over the disk's, and that file events keep
// it current.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileIndex, INDEX_MAX_FILE_BYTES, mayRelate } from '../../server/src/workspace/file-index';
import { NODE_INDEX_FS } from '../../server/src/workspace/node-index-fs';
import { enabledPatterns } from '../../server/src/lsp/workspace-set';

const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n';
const deployment =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n';

describe('workspace file index', () => {
  let root: string;
  const uri = (rel: string): string => pathToFileURL(join(root, rel)).href;
  const write = (rel: string, text: string): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const held = (index: FileIndex): string[] =>
    [...index.files()].map((f) => f.uri.slice(pathToFileURL(root).href.length + 1)).sort();

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sidecar-index-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('holds the manifests that can relate, not other YAML, not excluded folders', async () => {
    write('k8s/svc.yaml', service);
    write('k8s/deploy.yml', deployment);
    write(
      '.github/workflows/ci.yaml',
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
    );
    write('docker-compose.yaml', 'services:\n  web:\n    image: nginx\n');
    write('k8s/notes.txt', service);
    write('node_modules/pkg/svc.yaml', service);
    write('dist/svc.yaml', service);
    const index = new FileIndex({ fs: NODE_INDEX_FS, isExcluded: (p) => /\/(node_modules|dist)$/.test(p) });
    const changed: string[][] = [];
    index.onChange((uris) => changed.push([...uris]));
    await index.scan([root]);
    assert.deepEqual(held(index), ['k8s/deploy.yml', 'k8s/svc.yaml']);
    assert.equal(changed.length, 1, 'one change for the whole scan');
    assert.deepEqual(changed[0].sort(), [uri('k8s/deploy.yml'), uri('k8s/svc.yaml')]);
  });

  it('lists the kustomization files it found, by name, not in excluded folders, and keeps the list current', async () => {
    write('base/kustomization.yaml', 'resources:\n  - deploy.yaml\n');
    write('overlays/prod/Kustomization', 'resources:\n  - ../../base\n');
    write('overlays/dev/kustomization.yml', 'resources:\n  - ../../base\n');
    write('node_modules/pkg/kustomization.yaml', 'resources: []\n');
    const index = new FileIndex({ fs: NODE_INDEX_FS, isExcluded: (p) => /\/node_modules$/.test(p) });
    assert.equal(index.kustomizations(), undefined, 'none before a scan has ended');
    await index.scan([root]);
    const rel = (): string[] => (index.kustomizations() ?? []).map((p) => p.slice(root.length + 1));
    assert.deepEqual(rel(), [
      'base/kustomization.yaml',
      'overlays/dev/kustomization.yml',
      'overlays/prod/Kustomization',
    ]);
    write('overlays/qa/kustomization.yaml', 'resources:\n  - ../../base\n');
    await index.fileEvent(uri('overlays/qa/kustomization.yaml'), 'created');
    await index.fileEvent(uri('overlays/prod/Kustomization'), 'deleted');
    assert.deepEqual(rel(), [
      'base/kustomization.yaml',
      'overlays/dev/kustomization.yml',
      'overlays/qa/kustomization.yaml',
    ]);
  });

  it('does not follow symbolic links to folders (no loop, no escape from the workspace)', async () => {
    write('a/svc.yaml', service);
    symlinkSync(root, join(root, 'a', 'loop'));
    const index = new FileIndex({ fs: NODE_INDEX_FS });
    await index.scan([root]);
    assert.deepEqual(held(index), ['a/svc.yaml']);
  });

  it('leaves out a file over the size cap and says so once', async () => {
    write('big1.yaml', service + `# ${'x'.repeat(INDEX_MAX_FILE_BYTES)}\n`);
    write('big2.yaml', service + `# ${'x'.repeat(INDEX_MAX_FILE_BYTES)}\n`);
    write('small.yaml', service);
    const logged: string[] = [];
    const index = new FileIndex({ fs: NODE_INDEX_FS, log: (m) => logged.push(m) });
    await index.scan([root]);
    assert.deepEqual(held(index), ['small.yaml']);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /over 2 MiB: not indexed/);
  });

  it('an open document wins over the disk; closed, the disk applies again', async () => {
    write('svc.yaml', service);
    const index = new FileIndex({ fs: NODE_INDEX_FS });
    await index.scan([root]);
    const typed = service.replace('app: web', 'app: api');
    index.opened(uri('svc.yaml'), typed);
    assert.equal(index.size, 1);
    assert.equal([...index.files()][0].text, typed);
    await index.closed(uri('svc.yaml'));
    assert.equal([...index.files()][0].text, service);
  });

  it('follows file events: created, changed, deleted, and ignores what did not change', async () => {
    const index = new FileIndex({ fs: NODE_INDEX_FS });
    await index.scan([root]);
    const changed: string[] = [];
    index.onChange((uris) => changed.push(...uris));
    write('svc.yaml', service);
    await index.fileEvent(uri('svc.yaml'), 'created');
    assert.deepEqual(held(index), ['svc.yaml']);
    await index.fileEvent(uri('svc.yaml'), 'changed');
    assert.equal(changed.length, 1, 'the same text is no change');
    write('svc.yaml', deployment);
    await index.fileEvent(uri('svc.yaml'), 'changed');
    assert.equal([...index.files()][0].text, deployment);
    rmSync(join(root, 'svc.yaml'));
    await index.fileEvent(uri('svc.yaml'), 'deleted');
    assert.deepEqual(held(index), []);
    assert.equal(changed.length, 3);
    await index.fileEvent(uri('notes.txt'), 'created');
    assert.equal(changed.length, 3, 'not YAML: not ours');
  });

  it('an unreadable folder is skipped, not a failure', async () => {
    write('ok/svc.yaml', service);
    const index = new FileIndex({
      fs: {
        list: async (dir) => {
          if (dir.endsWith('locked')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
          return NODE_INDEX_FS.list(dir);
        },
        size: async () => service.length,
        read: async () => service,
        uriOf: NODE_INDEX_FS.uriOf,
        pathOf: NODE_INDEX_FS.pathOf,
      },
    });
    mkdirSync(join(root, 'locked'));
    await index.scan([root, join(root, 'missing')]);
    assert.deepEqual(held(index), ['ok/svc.yaml']);
  });

  it('mayRelate: Services, ConfigMaps, Secrets, workloads and custom resources with pods; not other YAML', () => {
    assert.ok(mayRelate(service));
    assert.ok(mayRelate(deployment));
    assert.ok(mayRelate('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n'));
    assert.ok(mayRelate("kind: 'Secret'\n"));
    assert.ok(!mayRelate('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n'));
    assert.ok(!mayRelate('services:\n  web:\n    image: nginx\n'));
    assert.ok(!mayRelate('replicaCount: 1\nimage:\n  repository: nginx\ncontainers: []\n'), 'Helm values: no kind');
  });

  it('exclude settings: patterns set to true, not false and not conditional ones', () => {
    assert.deepEqual(enabledPatterns({ '**/dist': true, '**/build': false, '**/*.js': { when: '$(basename).ts' } }), [
      '**/dist',
    ]);
    assert.deepEqual(enabledPatterns(null), []);
    assert.deepEqual(enabledPatterns('**/x'), []);
  });
});

// The browser server's pieces that run without a browser: its node:path stand-in against Node's
// own path.posix, the client-backed files of the config and kustomize lookups, and the engine
// governing a document through them as it does on disk.
import * as assert from 'node:assert/strict';
import { posix as nodePosix } from 'node:path';
import type { ReadFileResult } from '../../shared/src/protocol';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine } from '../../server/src/engine';
import { ClientFs, LOOKED_UP_NAMES, splitUri } from '../../server/src/platform/client-fs';
import * as shim from '../../server/src/platform/posix-path';
import { messageChannelTurn, nextTurn } from '../../server/src/platform/next-turn';

const FOLDER = 'vscode-vfs://github/owner/repo';

/** A client that answers from `files` (by URI) and records what it was asked. */
function client(files: Record<string, string>): { fs: ClientFs; asked: string[] } {
  const asked: string[] = [];
  const fs = new ClientFs((uri) => {
    asked.push(uri);
    const text = files[uri];
    const result: ReadFileResult =
      text === undefined ? { kind: 'missing' } : { kind: 'file', text, mtime: 7, size: text.length };
    return Promise.resolve(result);
  });
  fs.setFolders([FOLDER]);
  return { fs, asked };
}

describe('web platform: node:path stand-in', () => {
  const paths = ['/', '', '.', 'a', '/a/b/', '/a//b/./c/..', 'a/../..', '../x', '/a/b/c.yaml', 'a/b/'];
  for (const p of paths) {
    it(`dirname, basename, normalize of ${JSON.stringify(p)} as path.posix`, () => {
      assert.equal(shim.dirname(p), nodePosix.dirname(p));
      assert.equal(shim.basename(p), nodePosix.basename(p));
      assert.equal(shim.normalize(p), nodePosix.normalize(p));
      assert.equal(shim.isAbsolute(p), nodePosix.isAbsolute(p));
    });
  }
  const pairs: [string, string][] = [
    ['/a/b', 'c/d'],
    ['/a/b', '../../../x'],
    ['/a', '/b/c'],
    ['/a/b/c', '/a/d'],
    ['/', '/'],
    ['/a/b', ''],
  ];
  for (const [a, b] of pairs) {
    it(`join, resolve, relative of ${JSON.stringify([a, b])} as path.posix`, () => {
      assert.equal(shim.join(a, b), nodePosix.join(a, b));
      // the stand-in's working directory is '/': compare on absolute results only
      assert.equal(shim.resolve(a, b), nodePosix.resolve(a, b));
      assert.equal(shim.relative(a, shim.resolve(a, b)), nodePosix.relative(a, nodePosix.resolve(a, b)));
    });
  }
  it('basename drops a suffix as path.posix does', () => {
    assert.equal(shim.basename('/a/pod.yaml', '.yaml'), nodePosix.basename('/a/pod.yaml', '.yaml'));
    assert.equal(shim.basename('/a/.yaml', '.yaml'), nodePosix.basename('/a/.yaml', '.yaml'));
  });
});

describe('web platform: files read through the client', () => {
  it('splits a URI into its origin and decoded path; refuses one without an authority', () => {
    assert.deepEqual(splitUri(`${FOLDER}/a%20b/pod.yaml?x#y`), {
      origin: 'vscode-vfs://github',
      path: '/owner/repo/a b/pod.yaml',
    });
    assert.equal(splitUri('untitled:Untitled-1'), undefined);
    assert.equal(splitUri('vscode-vfs://github/%E0%A4%A'), undefined);
  });

  it('gives a path only to documents inside a workspace folder', () => {
    const { fs } = client({});
    assert.equal(fs.pathOf(`${FOLDER}/k8s/pod.yaml`), '/owner/repo/k8s/pod.yaml');
    assert.equal(fs.pathOf(`${FOLDER}-other/pod.yaml`), undefined);
    assert.equal(fs.pathOf('vscode-vfs://gitlab/owner/repo/pod.yaml'), undefined);
    assert.equal(fs.pathOf('untitled:Untitled-1'), undefined);
  });

  it('asks for what the lookups read from the document folder up to the workspace folder, once', async () => {
    const { fs, asked } = client({});
    await fs.prepare(`${FOLDER}/k8s/apps/pod.yaml`);
    const expected = ['/k8s/apps', '/k8s', ''].flatMap((dir) => LOOKED_UP_NAMES.map((n) => `${FOLDER}${dir}/${n}`));
    assert.deepEqual([...asked].sort(), expected.sort());
    await fs.prepare(`${FOLDER}/k8s/other.yaml`);
    assert.equal(asked.length, expected.length, 'asked again for files already answered');
    fs.invalidate();
    await fs.prepare(`${FOLDER}/k8s/other.yaml`);
    assert.equal(asked.length, expected.length + 2 * LOOKED_UP_NAMES.length);
  });

  it('asks nothing for a document outside the workspace folders', async () => {
    const { fs, asked } = client({});
    await fs.prepare('vscode-vfs://github/owner/other/pod.yaml');
    assert.deepEqual(asked, []);
  });

  it('drops an answer to a question asked before invalidate()', async () => {
    const answers: ((r: ReadFileResult) => void)[] = [];
    const fs = new ClientFs(() => new Promise((resolve) => answers.push(resolve)));
    fs.setFolders(['vscode-vfs://github/o/r']);
    const pending = fs.prepare('vscode-vfs://github/o/r/pod.yaml');
    fs.invalidate();
    for (const answer of answers) answer({ kind: 'file', text: 'rules: {}', mtime: 1, size: 9 });
    await pending;
    assert.equal(answers.length, LOOKED_UP_NAMES.length);
    assert.equal(fs.stamp('/o/r/.sidecar-pods.yaml'), undefined);
  });

  it('an unreadable file is there and says why when read; a missing one is not there', async () => {
    const fs = new ClientFs((uri) =>
      Promise.resolve<ReadFileResult>(
        uri.endsWith('/.sidecar-pods.yaml') ? { kind: 'error', message: 'permission denied' } : { kind: 'missing' },
      ),
    );
    fs.setFolders([FOLDER]);
    await fs.prepare(`${FOLDER}/pod.yaml`);
    assert.ok(fs.stamp('/owner/repo/.sidecar-pods.yaml') !== undefined);
    assert.throws(() => fs.read('/owner/repo/.sidecar-pods.yaml'), /permission denied/);
    assert.equal(fs.stamp('/owner/repo/kustomization.yaml'), undefined);
    assert.throws(() => fs.read('/owner/repo/kustomization.yaml'), /no such file/);
  });

  it('the engine governs a document by the config file and kustomization the client sent', async () => {
    const { fs } = client({
      [`${FOLDER}/.sidecar-pods.yaml`]: 'rules:\n  image-tag: off\nignore:\n  - vendor/**\n',
      [`${FOLDER}/k8s/kustomization.yaml`]: 'patches:\n  - path: patch.yaml\n',
    });
    const engine = new Engine({ config: { live: true, fs } });
    const governed = async (uri: string): Promise<ReturnType<Engine['govern']>> => {
      await fs.prepare(uri);
      return engine.govern({ path: fs.pathOf(uri)! }, DEFAULT_SETTINGS);
    };
    const pod = await governed(`${FOLDER}/k8s/pod.yaml`);
    assert.ok(!pod.ignored && pod.settings.rules['image-tag'] === 'off' && pod.settings.patchOf === undefined);
    const patch = await governed(`${FOLDER}/k8s/patch.yaml`);
    assert.ok(!patch.ignored && patch.settings.patchOf === '/owner/repo/k8s/kustomization.yaml');
    assert.equal((await governed(`${FOLDER}/vendor/x/pod.yaml`)).ignored, true);
  });
});

describe('web platform: next turn of the event loop', () => {
  // Node has both setImmediate and MessageChannel: the worker's stand-in is tested here too
  for (const [name, turn] of [
    ['setImmediate', nextTurn],
    ['MessageChannel (a worker)', messageChannelTurn()],
  ] as const) {
    it(`${name}: runs callbacks in order, after the current turn`, async () => {
      const seen: number[] = [];
      await new Promise<void>((resolve) => {
        turn(() => seen.push(1));
        turn(() => {
          seen.push(2);
          resolve();
        });
        seen.push(0);
      });
      assert.deepEqual(seen, [0, 1, 2]);
    });
  }
});

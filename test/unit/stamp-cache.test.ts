// Live lookups of config files and kustomizations look at the file system each time, except while
// held (one pass of the workspace's set check over thousands of files): then once per file.
import * as assert from 'node:assert/strict';
import { ConfigLookup, StampCache, type ConfigFs } from '../../server/src/engine/config';

function counting(): { fs: ConfigFs; looks: string[]; stamps: Map<string, string> } {
  const looks: string[] = [];
  const stamps = new Map<string, string>();
  const fs: ConfigFs = {
    stamp: (path) => {
      looks.push(path);
      return stamps.get(path);
    },
    read: () => '',
  };
  return { fs, looks, stamps };
}

describe('stamps of config files (StampCache)', () => {
  it('live: looks again at every lookup; held: once per file until released', () => {
    const { fs, looks, stamps } = counting();
    const cache = new StampCache(fs, true);
    cache.get('/a/.sidecar-pods.yaml');
    cache.get('/a/.sidecar-pods.yaml');
    assert.equal(looks.length, 2);
    const release = cache.hold();
    stamps.set('/a/.sidecar-pods.yaml', '1');
    assert.equal(cache.get('/a/.sidecar-pods.yaml'), '1', 'the first look of a hold is fresh');
    stamps.set('/a/.sidecar-pods.yaml', '2');
    assert.equal(cache.get('/a/.sidecar-pods.yaml'), '1', 'trusted while held');
    assert.equal(looks.length, 3);
    release();
    release(); // a second call releases nothing more
    assert.equal(cache.get('/a/.sidecar-pods.yaml'), '2', 'released: live again');
    const again = cache.hold();
    assert.equal(cache.get('/a/.sidecar-pods.yaml'), '2');
    assert.equal(looks.length, 5, 'a new hold looks once more');
    again();
  });

  it('not live (the CLI): each file is looked at once', () => {
    const { fs, looks } = counting();
    const cache = new StampCache(fs, false);
    for (let i = 0; i < 3; i++) cache.get('/a/kustomization.yaml');
    assert.equal(looks.length, 1);
    cache.clear();
    cache.get('/a/kustomization.yaml');
    assert.equal(looks.length, 2, 'cleared: looked at again');
  });

  it('the nearest config of a folder: kept for the folder while its stamps are trusted, found again when they are not', () => {
    const { fs, stamps } = counting();
    const top = '/w/.sidecar-pods.yaml';
    const near = '/w/a/b/.sidecar-pods.yaml';
    stamps.set(top, '1');
    const live = new ConfigLookup({ fs, live: true });
    const release = live.hold();
    assert.equal(live.forFile('/w/a/b/x.yaml')?.path, top);
    stamps.set(near, '1');
    assert.equal(live.forFile('/w/a/b/y.yaml')?.path, top, 'held: what the hold saw');
    release();
    assert.equal(live.forFile('/w/a/b/y.yaml')?.path, near, 'released: the new nearer file');
    stamps.delete(near);
    assert.equal(live.forFile('/w/a/b/y.yaml')?.path, top, 'and its removal, at once');

    const cli = new ConfigLookup({ fs });
    assert.equal(cli.forFolder('/w/a/b')?.path, top);
    stamps.set(near, '1');
    assert.equal(cli.forFolder('/w/a/b')?.path, top, 'not live: each folder is looked at once');
    cli.invalidate();
    assert.equal(cli.forFolder('/w/a/b')?.path, near, 'invalidated: looked at again');
    stamps.delete(top);
    stamps.delete(near);
    cli.invalidate();
    assert.equal(cli.forFolder('/w/a/b'), undefined, 'no config file above');
  });
});

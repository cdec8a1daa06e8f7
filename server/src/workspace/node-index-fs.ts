// The workspace index's file system on Node: the disk, read asynchronously.
import { readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IndexFs } from './file-index';

export const NODE_INDEX_FS: IndexFs = {
  async list(dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    // symbolic links are not followed: a link to `/` or a loop must not make the scan endless
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
  },
  async size(path) {
    try {
      return (await stat(path)).size;
    } catch {
      return undefined;
    }
  },
  read: (path) => readFile(path, 'utf8'),
  uriOf: (path) => pathToFileURL(path).href,
  pathOf(uri) {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  },
};

// The Node server: the disk is read directly (live lookups: a config file changed on disk applies
// at the next check) and documents outside file: URIs have no config file.
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { OverlayHandler } from '../lsp/overlay-handler';
import { NODE_INDEX_FS } from '../workspace/node-index-fs';
import type { ServerPlatform } from './types';

export const platform: ServerPlatform = {
  name: 'node',
  // createConnection reads the transport from argv: --stdio, --node-ipc, --socket=N or --pipe=NAME.
  createConnection: () => createConnection(ProposedFeatures.all),
  fs: undefined,
  initialize: () => undefined,
  pathOf(uri) {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  },
  prepare: () => Promise.resolve(),
  invalidate: () => undefined,
  extraWatchGlobs: [],
  limitations: undefined,
  catchUncaught(log) {
    process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
    process.on('unhandledRejection', (e) => log(`unhandled rejection: ${String(e)}`));
  },
  // resourceUsage().maxRSS is in kilobytes (Node docs: process.resourceUsage)
  maxRss: () => process.resourceUsage().maxRSS * 1024,
  indexFs: NODE_INDEX_FS,
  createOverlays: (d) =>
    new OverlayHandler(d.connection, d.documents, d.engine, d.configs, d.revalidate, d.setFindings, () =>
      d.kustomizations(),
    ),
};

/**
 * Node flags the language server is started with by the VS Code client (and by `npm run bench`,
 * which starts it the same way).
 *
 * `--max-semi-space-size=4`: V8 sizes the young generation by how much survives its collections,
 * up to 16 MB per semi-space on a machine with memory to spare. A first check keeps each document's
 * syntax tree alive while its rules run, which is enough for V8 to grow the young generation to
 * that maximum, and RSS by about 25 MiB that the server never needs. At 4 MB the 10k-line
 * benchmark file peaks at about 97 MiB instead of 121, and opens and types as fast.
 * Other editors can pass the same flag: `node --max-semi-space-size=4 sidecar-pods-language-server.js --stdio`.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * The folder where the server and the CLI keep V8's code cache of their bundles (see
 * server/src/code-cache.ts); `off` turns the cache off. The VS Code client sets it to a folder in
 * the extension's global storage.
 */
export const CACHE_DIR_ENV = 'SIDECAR_PODS_CACHE_DIR';

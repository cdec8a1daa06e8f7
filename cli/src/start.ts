// The CLI's entry point (dist/start-cli.js): loads the CLI bundle with V8's code cache (see
// server/src/code-cache.ts), which is written when the process exits.
import { join } from 'node:path';
import { loadBundle } from '../../server/src/code-cache';

(loadBundle(join(__dirname, 'cli.js')).exports as { main(): void }).main();

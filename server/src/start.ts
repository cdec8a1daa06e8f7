// The server's entry point (dist/start-server.js): loads the server bundle with V8's code cache
// (see server/src/code-cache.ts). Without a cache, one is written 3 s after start, when the first
// check has compiled most of what a check uses (an editor may kill its server without an exit),
// or at exit if that comes first.
import { join } from 'node:path';
import { loadBundle } from './code-cache';

loadBundle(join(__dirname, 'server.js'), { saveAfterMs: 3000 });

// The server's entry point (dist/start-server.js): loads the server bundle with V8's code cache
// (see server/src/code-cache.ts). Without a cache, one is written 3 s after start, when the first
// check has compiled most of what a check uses (an editor may kill its server without an exit),
// or at exit if that comes first.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { loadBundle } from './engine/code-cache';

/**
 * A first check runs hundreds of functions briefly: the parser's rarer branches, the schema
 * validators of every field a manifest uses, each rule. With V8's default tier-up budget, TurboFan
 * compiled many of them during the check, on the second core that V8's garbage collector also
 * uses, and recompiled some when the next document brought new shapes. With 4.4 times the default
 * (67584), only what stays hot is optimised. Alternating fresh servers, eight each (medians of the
 * server's own clock from didOpen to diagnostics):
 * - the bench's 10k-line file of the corpus's real pod documents: 217 to 153 ms;
 * - its generated 10k-line file: 183 to 158 ms; the 50k-line one: 556 to 508 ms;
 * - keystrokes afterwards: the same median (about 3 ms), p95 4 to 5 ms instead of 5 to 8.
 * 200,000 and 400,000 did about as well; 1,000,000 (the CLI's) was slower on the generated files.
 *
 * Set here rather than as a Node option so that every editor gets it, not only VS Code. It is set
 * before the bundle loads: V8 reads it when a function first gets its feedback. (A V8 flag, so
 * Node's documented caveat on setting flags after start applies; this one only moves when
 * optimisation starts.)
 */
export const SERVER_V8_FLAGS = '--interrupt-budget=300000';

setFlagsFromString(SERVER_V8_FLAGS);
loadBundle(join(__dirname, 'server.js'), { saveAfterMs: 3000 });

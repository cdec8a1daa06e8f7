// The server's entry point (dist/start-server.js): loads the server bundle with V8's code cache
// (see server/src/engine/code-cache.ts). Without a cache, one is written 3 s after start, when the
// first check has compiled most of what a check uses (an editor may kill its server without an
// exit), or at exit if that comes first.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { loadBundle, SIBLING_BUNDLES } from './engine/code-cache';

/**
 * A first check runs hundreds of functions briefly: the parser's rarer branches, the schema
 * validators of every field a manifest uses, each rule. With V8's default tier-up budget (67584),
 * TurboFan compiles many of them during the check, on the second core that V8's garbage collector
 * also uses, and recompiles some when the next document brings new shapes. With about 4.4 times
 * the default, only what stays hot is optimised: a big file's first check is faster, and keystrokes
 * afterwards are no slower. 200,000 and 400,000 do about as well; 1,000,000 (the CLI's) is slower
 * on the bench's generated files. The gain is of the order of one run's noise: measure a change by
 * alternating fresh servers, several each (see bench/README.md).
 *
 * Set here rather than as a Node option so that every editor gets it, not only VS Code. It is set
 * before the bundle loads: V8 reads it when a function first gets its feedback. (A V8 flag, so
 * Node's documented caveat on setting flags after start applies; this one only moves when
 * optimisation starts.)
 */
export const SERVER_V8_FLAGS = '--interrupt-budget=300000';

setFlagsFromString(SERVER_V8_FLAGS);
loadBundle(join(__dirname, 'server.js'), { saveAfterMs: 3000, siblings: SIBLING_BUNDLES });

// The CLI's entry point (dist/start-cli.js): loads the CLI bundle with V8's code cache (see
// server/src/engine/code-cache.ts), which is written when the process exits.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { loadBundle, SIBLING_BUNDLES } from '../../server/src/engine/code-cache';

/**
 * The CLI lives a second or two. With V8's default tier-up budget, TurboFan optimises hundreds of
 * its functions on a lint of many files, and that compiling is a large part of the CPU time: most
 * of those functions run only briefly, and many are optimised again after a deoptimisation. With
 * fifteen times the budget, only what stays hot (the YAML scanner, the rules' inner loops over a
 * big file) is optimised: a lint of the corpus takes a quarter to a third less CPU, and callgrind
 * counts about a quarter fewer instructions. The bench's CLI figure is the one to watch when
 * changing it.
 *
 * Set before the bundle is loaded: V8 reads the budget when a function first gets its feedback,
 * so it holds for every function of the bundle. (It is a V8 flag, so Node's documented caveat on
 * setting flags after start applies; this one only moves when optimisation starts.)
 */
export const CLI_V8_FLAGS = '--interrupt-budget=1000000';

setFlagsFromString(CLI_V8_FLAGS);
(loadBundle(join(__dirname, 'cli.js'), { siblings: SIBLING_BUNDLES }).exports as { main(): void }).main();

// Figures measured by the extension-host tests, written with the results (see index.ts). Timings
// are recorded here for `npm run bench`, never asserted: a busy machine must not fail a test.
export const metrics: Record<string, number> = {};

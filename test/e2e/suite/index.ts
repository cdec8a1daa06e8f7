// extensionTestsPath module: VS Code (desktop or code-server) calls run() inside the extension host.
// Runs every *.test.js next to this file with mocha, prints `N passed, N failed`, and when
// E2E_RESULTS is set (scripts/e2e.sh sets it on code-server) writes the counts there as JSON, with
// the figures the tests recorded (`npm run bench` reads them: activation to a running server).
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { metrics } from './metrics';

export async function run(): Promise<void> {
  // mocha 12 is an ES module; import() works on every Node that VS Code ships with.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000 });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const failures: { title: string; error: string }[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: unknown) => {
      failures.push({
        title: test.fullTitle(),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    });
  });
  const summary = `${passed} passed, ${failures.length} failed`;
  console.log(`extension tests: ${summary}`);
  const out = process.env['E2E_RESULTS'];
  if (out) writeFileSync(out, JSON.stringify({ passed, failed: failures.length, failures, metrics }, null, 2));
  if (failures.length > 0) throw new Error(`extension tests: ${summary}`);
}

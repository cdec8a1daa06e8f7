// The same extension suite under @vscode/test-electron, for machines with a desktop VS Code.
// It never downloads VS Code: set VSCODE_EXECUTABLE_PATH to an installed binary (>= 1.91), e.g.
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code node esbuild.mjs --tests && node out/test/e2e/run-electron.js
// Without it, it says so and exits 0 (skipped).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const executable = process.env['VSCODE_EXECUTABLE_PATH'];
  if (!executable) {
    console.log(
      'SKIPPED: set VSCODE_EXECUTABLE_PATH to a desktop VS Code binary to run the e2e suite under @vscode/test-electron (nothing is downloaded).',
    );
    return 0;
  }
  const repo = path.resolve(__dirname, '../../..'); // out/test/e2e -> repository root
  const testsPath = path.join(repo, 'out/test/e2e/suite/index.js');
  for (const needed of [path.join(repo, 'dist/client.js'), path.join(repo, 'dist/server.js'), testsPath]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`node esbuild.mjs --tests\` first`);
  }
  // The suite changes workspace settings: give it a copy of the examples.
  const scratch = mkdtempSync(path.join(tmpdir(), 'sidecar-pods-e2e-'));
  const workspace = path.join(scratch, 'ws');
  cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repo,
      extensionTestsPath: testsPath,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir',
        path.join(scratch, 'user'),
      ],
    });
    return 0;
  } catch (e) {
    console.error('e2e suite failed:', e instanceof Error ? e.message : e);
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);

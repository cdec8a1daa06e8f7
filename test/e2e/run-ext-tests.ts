// Runs the extension's mocha suite (extensionTestsPath) inside code-server's Node extension host,
// driven by headless chromium. code-server must run with `--vscode-option enable-smoke-test-driver`:
// the test options then travel in the URL `payload`, and the workbench reports the exit code by
// calling window.codeAutomationExit, which we expose before the page loads.
// usage: node out/test/e2e/run-ext-tests.js PORT EXTENSION_DIR TESTS_PATH WORKSPACE_DIR
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { E2E_ROOT, elapsed, launchBrowser } from './playwright';

async function main(): Promise<number> {
  const [port, extDir, testsPath, wsDir] = process.argv.slice(2);
  if (!port || !extDir || !testsPath || !wsDir)
    throw new Error('usage: run-ext-tests PORT EXTENSION_DIR TESTS_PATH WORKSPACE_DIR');
  const authority = `127.0.0.1:${port}`;
  const remote = (p: string): string => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extDir)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  const url = `http://${authority}/?folder=${encodeURIComponent(path.resolve(wsDir))}&payload=${encodeURIComponent(payload)}`;
  const timeoutMs = Number(process.env['EXT_TEST_TIMEOUT'] ?? 300_000);

  const { page, close } = await launchBrowser();
  let exit: (code: number | string) => void = () => undefined;
  const done = new Promise<number | string>((resolve) => (exit = resolve));
  // Workbench and extension-host console lines arrive here; the offline machine's network noise is dropped.
  const noise =
    /AgentHost|ChatModelSelection|ENOTFOUND|AccountPolicyGate|Creating a socket|connection token|grace time|builtin extensions|Service Worker|^\s+at /;
  await page.exposeFunction('codeAutomationLog', (_type: never, args: never) => {
    // console.* arguments arrive unformatted (mocha's reporter logs printf-style: '%s passing')
    const line = format(...((args as unknown as unknown[] | undefined) ?? []));
    if (process.env['VERBOSE'] || !noise.test(line)) console.log('[exthost]', line.split('\n')[0]?.slice(0, 400));
  });
  await page.exposeFunction('codeAutomationExit', (code: never) => exit(code as unknown as number));
  const consoleLog = createWriteStream(path.join(E2E_ROOT, 'ext-tests-console.log'));
  page.on('console', (m) => consoleLog.write(m.text() + '\n'));
  console.log(elapsed(), 'url:', url);
  try {
    await page.goto(url);
    const code = await Promise.race([done, new Promise<string>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    console.log(elapsed(), 'extension tests exit code:', code);
    await page.screenshot({ path: path.join(E2E_ROOT, 'shot-ext-tests.png') });
    return code === 0 ? 0 : 1;
  } finally {
    await close();
    consoleLog.end();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);

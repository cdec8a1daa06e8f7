// Drives the workbench like a person, against code-server with the packaged .vsix installed:
// opens the example with mistakes, waits for the Problems panel rows, checks the status bar item,
// saves a screenshot. Prints `N passed, N failed`; writes the counts to $E2E_RESULTS if set.
// env: CS_URL (code-server URL with ?folder=), SHOT (screenshot path), WEB_HOST=1 (the extension
// runs in the web worker extension host: its server must say it runs in the browser)
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { E2E_ROOT, elapsed, launchBrowser, type Page } from './playwright';

const url = process.env['CS_URL'] ?? 'http://127.0.0.1:18080/';
const shot = process.env['SHOT'] ?? path.join(E2E_ROOT, 'shot.png');
const log = (...a: unknown[]): void => console.log(elapsed(), ...a);
let passed = 0;
let failed = 0;

async function check(name: string, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    passed++;
    log('PASS', name);
    return true;
  } catch (e) {
    failed++;
    log('FAIL', name, String(e).split('\n')[0]);
    return false;
  }
}

async function main(): Promise<void> {
  const { page, close } = await launchBrowser();
  page.on('pageerror', (e) => log('pageerror:', String(e).slice(0, 200)));
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    if (!(await check('workbench loads', () => page.locator('.monaco-workbench').waitFor({ timeout: 60_000 })))) return;

    await check('open pod-with-mistakes.yaml from the Explorer', async () => {
      const item = page.getByRole('treeitem', { name: /pod-with-mistakes\.yaml/ });
      await item.waitFor({ timeout: 30_000 });
      await item.click();
      await page.locator('.monaco-editor .view-lines', { hasText: 'web-with-mistakes' }).waitFor({ timeout: 30_000 });
    });

    await check('status bar item shows the server running', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'Sidecar Pods' }).first();
      await item.waitFor({ timeout: 30_000 });
      await page.locator('[aria-label="Sidecar Pods: running"]').first().waitFor({ timeout: 60_000 });
      log('status bar item:', (await item.innerText()).trim());
    });

    await check('clicking the status bar item shows the output channel', async () => {
      const shown = page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Activated' });
      // in one of six full runs on this machine the panel did not open within 20 s of the first
      // click (the same build passed when run again); a person clicks again, and so does this
      for (let attempt = 1; ; attempt++) {
        await page.locator('.statusbar-item', { hasText: 'Sidecar Pods' }).first().click();
        try {
          await shown.waitFor({ timeout: 10_000 });
          if (attempt > 1) log(`the output channel showed after click ${attempt}`);
          return;
        } catch (e) {
          if (attempt === 2) throw e;
        }
      }
    });

    if (process.env['WEB_HOST'] === '1') {
      await check('the server runs in the browser (web worker extension host)', async () => {
        await page
          .locator('.part.panel .monaco-editor .view-lines', { hasText: 'Running in the browser' })
          .waitFor({ timeout: 30_000 });
      });
    }

    await check('squiggles in the editor', async () => {
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    });

    await check('Problems panel lists port-conflict and missing-volume from sidecar-pods', async () => {
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      for (const code of ['port-conflict', 'missing-volume']) {
        await page.locator('.markers-panel .monaco-list-row', { hasText: code }).first().waitFor({ timeout: 30_000 });
      }
      const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      for (const t of texts) log('problem row:', t);
      if (!texts.some((t) => t.includes('sidecar-pods'))) throw new Error('no row names the source sidecar-pods');
    });

    await diagram(page);
  } finally {
    await page.mouse.move(5, 5);
    await page.screenshot({ path: shot });
    log('screenshot', shot);
    await close();
  }
}

/** The pod diagram: opened from the command palette, drawn in the webview, clicks reveal the YAML. */
async function diagram(page: Page): Promise<void> {
  const webview = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  const opened = await check('"Sidecar Pods: Show Pod Diagram" draws the containers and volumes', async () => {
    await page.keyboard.press('Escape');
    const item = page.getByRole('treeitem', { name: /deployment-native-sidecar\.yaml/ });
    await item.click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'orders-api' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>Sidecar Pods: Show Pod Diagram');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Sidecar Pods: Show Pod Diagram' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    for (const [id, name] of [
      ['initContainers[0]', 'log-shipper'],
      ['containers[0]', 'api'],
      ['volumes[0]', 'app-logs'],
    ]) {
      await webview.locator(`g[data-node="${id}"] text.sp-name`, { hasText: name }).waitFor({ timeout: 60_000 });
    }
    const texts = await webview.locator('svg text').allInnerTexts();
    log('diagram texts:', texts.slice(0, 14).join(' | '));
  });
  if (!opened) return;

  await check('the Service in front of the pod is drawn at its edge, its arrow into the port it reaches', async () => {
    await webview
      .locator('g[data-node="service[0]"] text.sp-name', { hasText: 'Service orders-api' })
      .waitFor({ timeout: 30_000 });
    await webview
      .locator('g[data-node="service[0].ports[0]"] text', { hasText: '80/TCP http → http' })
      .waitFor({ timeout: 10_000 });
    await webview
      .locator('path.sp-traffic[data-service-port="service[0].ports[0]"][data-to="containers[0].ports[0]"]')
      .waitFor({ state: 'attached', timeout: 10_000 });
    // a click on the Service box selects its name in the YAML: "  name: orders-api" of the Service, line 58
    await webview.locator('g[data-node="service[0]"] text.sp-name').click();
    await page
      .locator('.statusbar-item', { hasText: /Ln 58, Col 19 \(10 selected\)/ })
      .first()
      .waitFor({ timeout: 20_000 });
    const serviceShot = path.join(path.dirname(shot), 'diagram-service.png');
    await page.screenshot({ path: serviceShot });
    log('screenshot', serviceShot);
  });

  await check('clicking a node in the diagram selects its YAML in the editor', async () => {
    await webview.locator('g[data-node="containers[0]"] text.sp-name').click();
    // "- name: api" is line 33; the name (3 characters) is selected, the cursor after it
    await page
      .locator('.statusbar-item', { hasText: /Ln 33, Col 20 \(3 selected\)/ })
      .first()
      .waitFor({ timeout: 20_000 });
  });

  await check('the editor cursor highlights the matching node', async () => {
    await webview.locator('g.sp-selected[data-node="containers[0]"]').waitFor({ timeout: 20_000 });
    await webview.locator('g[data-node="containers[0].volumeMounts[0]"]').click();
    await webview.locator('g.sp-selected[data-node="containers[0].volumeMounts[0]"]').waitFor({ timeout: 20_000 });
    await page
      .locator('.statusbar-item', { hasText: /Ln 44, Col 38 \(12 selected\)/ })
      .first()
      .waitFor({ timeout: 20_000 });
  });

  // the whole picture in the panel for the screenshot
  await webview.locator('#zoom-fit').click();
  const diagramShot = path.join(path.dirname(shot), 'diagram.png');
  await page.screenshot({ path: diagramShot });
  log('screenshot', diagramShot);

  await check('the diagram comes back after a window reload', async () => {
    await page.evaluate('window.__beforeReload = true');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>Developer: Reload Window');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    for (
      let i = 0;
      (await page.evaluate<boolean>('window.__beforeReload === true').catch(() => true)) && i < 300;
      i++
    ) {
      await page.waitForTimeout(100);
    }
    if (await page.evaluate<boolean>('window.__beforeReload === true').catch(() => false)) {
      throw new Error('the window did not reload');
    }
    // restored by the panel serializer: the same pod, drawn again from the server's model. The web
    // worker extension host took 45 s after a reload to activate the extension on this 2-core
    // machine under load (the Node one about 10 s), so it gets longer.
    const restoreMs = process.env['WEB_HOST'] === '1' ? 150_000 : 60_000;
    await page.locator('.tab', { hasText: 'Pod diagram' }).first().waitFor({ timeout: 60_000 });
    await webview
      .locator('g[data-node="containers[0]"] text.sp-name', { hasText: 'api' })
      .waitFor({ timeout: restoreMs });
  });
}

main()
  .catch((e: unknown) => {
    failed++;
    console.error(e);
  })
  .finally(() => {
    const out = process.env['E2E_RESULTS'];
    if (out) writeFileSync(out, JSON.stringify({ passed, failed }));
    console.log(`UI: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });

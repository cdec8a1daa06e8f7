// The slice of playwright-core the drivers use, and how to launch Debian's chromium with it.
// playwright-core is installed by scripts/e2e.sh into $E2E_ROOT/tools (never `playwright install`),
// not into the repo's node_modules, so its own types are not visible to tsc here.
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';

export interface Locator {
  waitFor(options?: { timeout?: number; state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<void>;
  click(options?: { timeout?: number }): Promise<void>;
  fill(value: string): Promise<void>;
  first(): Locator;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  getAttribute(name: string): Promise<string | null>;
}

export interface Page {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  screenshot(options: { path: string }): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  on(event: 'console', listener: (message: { text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  waitForTimeout(ms: number): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  /** Runs in the page; a string is an expression (the tests are compiled without DOM types). */
  evaluate<R = unknown>(expression: string): Promise<R>;
  addInitScript(script: { content: string }): Promise<void>;
  frameLocator(selector: string): FrameLocator;
}

export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
}

interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface Chromium {
  launchPersistentContext(userDataDir: string, options: Record<string, unknown>): Promise<BrowserContext>;
}

export const E2E_ROOT = process.env['E2E_ROOT'] ?? path.resolve(__dirname, '../../../.e2e');

async function chromium(): Promise<Chromium> {
  const modulePath = require.resolve('playwright-core', { paths: [path.join(E2E_ROOT, 'tools')] });
  // a CommonJS package: its exports are the namespace's default
  const mod = (await import(modulePath)) as { default: { chromium: Chromium } };
  return mod.default.chromium;
}

/** Headless Debian chromium with a fresh profile; close() removes the profile. */
export async function launchBrowser(): Promise<{ page: Page; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(E2E_ROOT, 'chrome-udd-'));
  const context = await (
    await chromium()
  ).launchPersistentContext(userDataDir, {
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export const elapsed = (
  (t0) => () =>
    `[${((Date.now() - t0) / 1000).toFixed(1)}s]`
)(Date.now());

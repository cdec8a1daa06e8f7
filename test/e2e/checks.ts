// The small harness of the browser scripts (render.ts, web-worker.ts): named checks that count
// passes and failures, assertions, polling the page, and the `N passed, N failed` line plus the
// $E2E_RESULTS file that scripts/e2e.sh adds up.
import { writeFileSync } from 'node:fs';
import { elapsed, type Page } from './playwright';

export const log = (...a: unknown[]): void => console.log(elapsed(), ...a);

export class Checks {
  passed = 0;
  readonly failures: { title: string; error: string }[] = [];

  /** `suite` prefixes failure titles and the closing line. */
  constructor(private readonly suite: string) {}

  async check(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.passed++;
      log('PASS', name);
    } catch (e) {
      this.failures.push({ title: `${this.suite}: ${name}`, error: String(e) });
      log('FAIL', name, String(e).split('\n').slice(0, 6).join('\n  '));
    }
  }

  /** Runs `main`, counts a crash as a failure, prints the counts and exits with them. */
  run(main: () => Promise<void>): void {
    main()
      .catch((e: unknown) => {
        this.failures.push({ title: `${this.suite}: crashed`, error: String(e) });
        console.error(e);
      })
      .finally(() => {
        const out = process.env['E2E_RESULTS'];
        const { passed, failures } = this;
        if (out) writeFileSync(out, JSON.stringify({ passed, failed: failures.length, failures }));
        console.log(`${this.suite}: ${passed} passed, ${failures.length} failed`);
        process.exit(failures.length ? 1 : 0);
      });
  }
}

export function assert(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** Polls a page expression until it is truthy (never a fixed sleep: 2 cores are slow at times). */
export async function waitUntil(page: Page, what: string, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { RestartPolicy, onTransportError } from '../../client/src/restart-policy';

describe('client restart policy', () => {
  it('restarts with exponential backoff, then gives up when crashes keep coming', () => {
    let now = 0;
    const policy = new RestartPolicy({ maxCrashes: 3, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 250 }, () => now);
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 100, attempt: 1 });
    now += 1000;
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 200, attempt: 2 });
    now += 1000;
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 250, attempt: 3 }, 'capped');
    now += 1000;
    assert.deepEqual(policy.onCrash(), { restart: false, crashes: 4 });
  });

  it('forgets crashes older than the window and starts over after a manual restart', () => {
    let now = 0;
    const policy = new RestartPolicy(
      { maxCrashes: 1, windowMs: 10_000, baseDelayMs: 100, maxDelayMs: 1000 },
      () => now,
    );
    assert.equal(policy.onCrash().restart, true);
    now += 20_000;
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 100, attempt: 1 });
    assert.equal(policy.onCrash().restart, false);
    policy.reset();
    assert.equal(policy.onCrash().restart, true);
  });

  it('a burst of failed writes to a dead server waits for its close (which restarts), never shuts down', () => {
    // each failed IPC write counts twice, so two messages in flight at a crash give count 4
    assert.equal(onTransportError(4, false), 'wait');
    assert.equal(onTransportError(40, false), 'wait');
    assert.equal(onTransportError(1, true), 'wait', 'a single hiccup on a live server is tolerated');
    assert.equal(onTransportError(undefined, true), 'wait');
    assert.equal(onTransportError(4, true), 'kill', 'a live server we cannot talk to is restarted through its close');
  });
});

describe('client restart policy, for any crash pattern (property)', () => {
  it('restarts while at most maxCrashes fell in the window, with a delay that backs off, capped', () => {
    const options = fc.record({
      maxCrashes: fc.integer({ min: 1, max: 8 }),
      windowMs: fc.integer({ min: 1, max: 600_000 }),
      baseDelayMs: fc.integer({ min: 1, max: 5000 }),
      extraMaxMs: fc.integer({ min: 0, max: 60_000 }),
    });
    fc.assert(
      fc.property(options, fc.array(fc.nat({ max: 700_000 }), { maxLength: 30 }), (o, gaps) => {
        const maxDelayMs = o.baseDelayMs + o.extraMaxMs;
        let now = 0;
        const policy = new RestartPolicy({ ...o, maxDelayMs }, () => now);
        const crashes: number[] = [];
        let previousDelay = 0;
        let previousInWindow = 0;
        for (const gap of gaps) {
          now += gap;
          crashes.push(now);
          const inWindow = crashes.filter((c) => now - c < o.windowMs).length;
          const d = policy.onCrash();
          const sameBurst = inWindow === previousInWindow + 1;
          previousInWindow = inWindow;
          if (inWindow > o.maxCrashes) {
            assert.deepEqual(d, { restart: false, crashes: inWindow });
            continue;
          }
          assert.ok(d.restart);
          assert.equal(d.attempt, inWindow, 'attempts count the crashes still in the window');
          assert.ok(d.delayMs >= o.baseDelayMs && d.delayMs <= maxDelayMs, `${d.delayMs} ms within bounds`);
          // within one burst (no crash has left the window) each wait is at least the one before
          if (sameBurst && inWindow > 1) assert.ok(d.delayMs >= previousDelay, 'backs off');
          previousDelay = d.delayMs;
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

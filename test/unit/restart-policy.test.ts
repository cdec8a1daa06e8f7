import * as assert from 'node:assert/strict';
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

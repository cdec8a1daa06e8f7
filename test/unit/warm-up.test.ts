import * as assert from 'node:assert/strict';
import { warmUp, warmUpWhenIdle } from '../../server/src/lsp/warm-up';

describe('warm-up', () => {
  it('runs every round when nothing stops it', async () => {
    assert.equal(await warmUp(3), 3);
  });

  it('stops between rounds once asked to', async () => {
    let rounds = 0;
    // stop() is asked before each round: let two rounds through
    assert.equal(await warmUp(8, undefined, () => rounds++ >= 2), 2);
  });

  it('does not start when a document is open by the end of the quiet period', async () => {
    let open = false;
    const w = warmUpWhenIdle(() => open, undefined, 5);
    open = true;
    assert.equal(await w.done, 0);
  });

  it('warms up after a quiet period with no document open', async () => {
    const w = warmUpWhenIdle(() => false, undefined, 5, 2);
    assert.equal(await w.done, 2);
  });

  it('stops when a document opens during the warm-up', async () => {
    let checks = 0;
    // busy() is asked once when the quiet period ends and then before each round: open after round 1
    const w = warmUpWhenIdle(() => ++checks > 2, undefined, 5);
    assert.equal(await w.done, 1);
  });

  it('can be cancelled before it starts', async () => {
    const w = warmUpWhenIdle(() => false, undefined, 5);
    w.cancel();
    // the timer is cleared: done never settles, so race it against a later timer
    const outcome = await Promise.race([w.done, new Promise((r) => setTimeout(() => r('pending'), 30))]);
    assert.equal(outcome, 'pending');
  });
});

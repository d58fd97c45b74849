import { CancelledError, getRunningLoop, TimeoutError } from '@aio/loop';
import { Event } from '@aio/sync';
import { createTask, sleep, waitFor } from '@aio/tasks';
import { inLoop } from './helpers';

describe('Event', () => {
  test('set(), clear() and isSet() (test_clear)', () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    expect(String(ev)).toBe('<Event [unset]>');
    ev.set();
    expect(ev.isSet()).toBe(true);
    expect(String(ev)).toBe('<Event [set]>');
    ev.clear();
    expect(ev.isSet()).toBe(false);
  });

  test('set() wakes every waiter; a later waiter on a set event does not block (test_wait)', async () => {
    await inLoop(async () => {
      const ev = new Event();
      const result: number[] = [];
      const waiter = (n: number) => async () => {
        if (await ev.wait()) result.push(n);
      };
      const t1 = createTask(waiter(1));
      const t2 = createTask(waiter(2));
      await sleep(0);
      expect(result).toEqual([]);
      expect(String(ev)).toBe('<Event [unset, waiters:2]>');

      const t3 = createTask(waiter(3));
      ev.set();
      await sleep(0);
      expect(result).toEqual([3, 1, 2]);
      await Promise.all([t1, t2, t3]);
      expect(String(ev)).toBe('<Event [set]>');
    });
  });

  test('wait() on a set event resolves to true at once (test_wait_on_set)', async () => {
    await inLoop(async () => {
      const ev = new Event();
      ev.set();
      expect(await ev.wait()).toBe(true);
    });
  });

  test('a cancelled wait() leaves the line (test_wait_cancel)', async () => {
    await inLoop(async () => {
      const ev = new Event();
      const task = createTask(() => ev.wait());
      getRunningLoop().callSoon(() => task.cancel());
      await expect(task).rejects.toThrow(CancelledError);
      expect(String(ev)).toBe('<Event [unset]>');
      expect(ev.isSet()).toBe(false);
    });
  });

  test('set(); clear(); set() wakes a waiter once (test_clear_with_waiters)', async () => {
    await inLoop(async () => {
      const ev = new Event();
      const result: number[] = [];
      const t = createTask(async () => {
        if (await ev.wait()) result.push(1);
        return true;
      });
      await sleep(0);
      ev.set();
      ev.clear();
      expect(ev.isSet()).toBe(false);
      ev.set();
      ev.set();
      await sleep(0);
      expect(result).toEqual([1]);
      expect(await t).toBe(true);
    });
  });

  test('a waiter cleared before its turn still returns: set() already woke it', async () => {
    await inLoop(async () => {
      const ev = new Event();
      const t = createTask(() => ev.wait());
      await sleep(0);
      ev.set();
      ev.clear();
      expect(await t).toBe(true);
      expect(ev.isSet()).toBe(false);
    });
  });

  test('a waiter cancelled after set() but before resuming gets CancelledError; the flag stays set', async () => {
    await inLoop(async () => {
      const ev = new Event();
      const woken = createTask(() => ev.wait());
      const other = createTask(() => ev.wait());
      await sleep(0);
      ev.set();
      woken.cancel();
      await expect(woken).rejects.toThrow(CancelledError);
      expect(await other).toBe(true);
      expect(ev.isSet()).toBe(true);
    });
  });

  test('waitFor(ev.wait(), t) times out on the virtual clock and leaves the line', async () => {
    await inLoop(async () => {
      const ev = new Event();
      await expect(waitFor(ev.wait(), 5)).rejects.toThrow(TimeoutError);
      expect(getRunningLoop().time()).toBe(5);
      expect(String(ev)).toBe('<Event [unset]>');
    });
  });

  test('an event that had to block on one loop cannot block on another', async () => {
    const ev = new Event();
    await inLoop(async () => {
      const t = createTask(() => ev.wait());
      await sleep(0);
      ev.set();
      await t;
      ev.clear();
    });
    await inLoop(async () => {
      await expect(ev.wait()).rejects.toThrow(/<Event \[unset\]> is bound to a different event loop/);
    });
  });
});

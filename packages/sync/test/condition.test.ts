import { CancelledError, getRunningLoop, RuntimeError, TimeoutError } from '@aio/loop';
import { Condition, Lock } from '@aio/sync';
import { createTask, sleep, waitFor } from '@aio/tasks';
import { inLoop, settle } from './helpers';

describe('Condition', () => {
  /** Three tasks that each take the lock and wait; they log their number once woken. */
  function threeWaiters(cond: Condition, result: number[], releaseAfter: boolean) {
    return [1, 2, 3].map((n) =>
      createTask(async () => {
        await cond.acquire();
        if (await cond.wait()) {
          result.push(n);
          if (releaseAfter) cond.release();
        }
        return true;
      }),
    );
  }

  test('wait() releases the lock; notify() wakes a waiter once the lock is released (test_wait)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = threeWaiters(cond, result, false);
      await settle();
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(false);
      expect(String(cond)).toBe('<Condition [unlocked, waiters:3]>');

      expect(await cond.acquire()).toBe(true);
      cond.notify();
      await sleep(0);
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(true);

      cond.release();
      await sleep(0);
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.notify(2);
      await sleep(0);
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2]);
      expect(cond.locked()).toBe(true);

      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2, 3]);
      expect(cond.locked()).toBe(true);
      expect(await Promise.all(tasks)).toEqual([true, true, true]);
    });
  });

  test('a cancelled wait() ends with the lock held and the line left (test_wait_cancel)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      await cond.acquire();
      const wait = createTask(() => cond.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      await expect(wait).rejects.toThrow(CancelledError);
      expect(String(cond)).toBe('<Condition [locked]>');
    });
  });

  test('cancelled while re-acquiring a contested lock: waits for the lock, then ends (test_wait_cancel_contested)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const loop = getRunningLoop();
      await cond.acquire();
      const waitTask = createTask(() => cond.wait());
      await sleep(0);
      expect(cond.locked()).toBe(false);

      await cond.acquire();
      cond.notify();
      loop.callSoon(() => waitTask.cancel());
      loop.callSoon(() => cond.release());
      await waitTask.then(
        () => undefined,
        (e) => expect(e).toBeInstanceOf(CancelledError),
      );
      expect(cond.locked()).toBe(true);
    });
  });

  test('cancelled after being notified, the task still holds the lock when it ends (bpo-32841)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      let waited = false;
      const waiter = createTask(async () => {
        using _held = await cond.enter();
        waited = true;
        await cond.wait();
      });
      await sleep(0);
      await cond.acquire();
      cond.notify();
      await sleep(0);
      waiter.cancel();
      await sleep(0);
      expect(waiter.done()).toBe(false); // it needs the lock first
      cond.release();
      await expect(waiter).rejects.toThrow(CancelledError);
      expect(waited).toBe(true);
      expect(cond.locked()).toBe(false); // released by its `using`
    });
  });

  test('cancelled while the lock is free: ends at once, lock held', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const waiter = createTask(async () => {
        await cond.acquire();
        try {
          await cond.wait();
        } catch (e) {
          expect(cond.locked()).toBe(true);
          throw e;
        } finally {
          cond.release();
        }
      });
      await sleep(0);
      expect(cond.locked()).toBe(false);
      waiter.cancel();
      await expect(waiter).rejects.toThrow(CancelledError);
      expect(cond.locked()).toBe(false);
    });
  });

  test('a cancelled waiter that had been notified passes the notification on', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const [t1, t2] = [1, 2].map((n) =>
        createTask(() =>
          cond.withLock(async () => {
            await cond.wait();
            result.push(n);
          }),
        ),
      );
      await settle();
      await cond.acquire();
      cond.notify(1); // t1 only
      t1!.cancel();
      cond.release();
      await expect(t1).rejects.toThrow(CancelledError);
      await t2; // woken in t1's place
      expect(result).toEqual([2]);
      expect(cond.locked()).toBe(false);
    });
  });

  test('wait() without the lock rejects with RuntimeError (test_wait_unacquired)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      await expect(cond.wait()).rejects.toThrow(new RuntimeError('cannot wait on un-acquired lock'));
    });
  });

  test('waitFor() waits until the predicate holds (test_wait_for)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      let ready = false;
      const result: number[] = [];
      const t = createTask(async () => {
        await cond.acquire();
        if (await cond.waitFor(() => ready)) {
          result.push(1);
          cond.release();
        }
        return true;
      });
      await sleep(0);
      expect(result).toEqual([]);

      await cond.acquire();
      cond.notify();
      cond.release();
      await settle();
      expect(result).toEqual([]);

      ready = true;
      await cond.acquire();
      cond.notify();
      cond.release();
      await settle();
      expect(result).toEqual([1]);
      expect(await t).toBe(true);
    });
  });

  test('waitFor() returns a true predicate value at once, without the lock (test_wait_for_unacquired)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      expect(await cond.waitFor(() => [1, 2, 3])).toEqual([1, 2, 3]);
      await expect(cond.waitFor(() => false)).rejects.toThrow(RuntimeError);
      await expect(cond.waitFor('no' as never)).rejects.toThrow(TypeError);
    });
  });

  test('waitFor() cancelled: rejects with the lock held', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const t = createTask(() => cond.withLock(() => cond.waitFor(() => false)));
      await sleep(0);
      t.cancel();
      await expect(t).rejects.toThrow(CancelledError);
      expect(cond.locked()).toBe(false); // released by withLock
    });
  });

  test('notify(n) wakes n waiters, in order (test_notify)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = threeWaiters(cond, result, true);
      await settle();
      expect(result).toEqual([]);

      await cond.acquire();
      cond.notify(1);
      cond.release();
      await settle();
      expect(result).toEqual([1]);

      await cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      await settle();
      expect(result).toEqual([1, 2, 3]);
      expect(await Promise.all(tasks)).toEqual([true, true, true]);
    });
  });

  test('notifyAll() wakes every waiter (test_notify_all)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = threeWaiters(cond, result, true);
      await settle();
      await cond.acquire();
      cond.notifyAll();
      cond.release();
      await settle();
      expect(result).toEqual([1, 2, 3]);
      await Promise.all(tasks);
    });
  });

  test('notify() and notifyAll() without the lock throw RuntimeError; a bad n is refused', () => {
    const cond = new Condition();
    expect(() => cond.notify()).toThrow(new RuntimeError('cannot notify on un-acquired lock'));
    expect(() => cond.notifyAll()).toThrow(RuntimeError);
    expect(() => cond.notify(Number.NaN)).toThrow(new RangeError('n must be >= 0, got NaN'));
    expect(() => cond.notify(-1)).toThrow(RangeError);
    expect(() => cond.notify('1' as never)).toThrow(new TypeError('n must be a number, got string'));
  });

  test('enter() and withLock() hold the condition lock (test_context_manager)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      {
        using _held = await cond.enter();
        expect(cond.locked()).toBe(true);
      }
      expect(cond.locked()).toBe(false);
      expect(await cond.withLock(() => cond.locked())).toBe(true);
      expect(cond.locked()).toBe(false);
    });
  });

  test('a Condition given a Lock uses it; two conditions may share one (test_explicit_lock)', async () => {
    await inLoop(async () => {
      const check = async (lock: Lock, cond: Condition) => {
        expect(lock.locked()).toBe(false);
        await cond.withLock(() => {
          expect(lock.locked()).toBe(true);
          expect(cond.locked()).toBe(true);
        });
        await lock.withLock(() => {
          expect(cond.locked()).toBe(true);
        });
        expect(cond.locked()).toBe(false);
      };
      const lock = new Lock();
      await check(lock, new Condition(lock));
      await check(lock, new Condition(lock));
      expect(() => new Condition({} as never)).toThrow(new TypeError('lock must be a Lock'));
    });
  });

  test('a condition whose lock is bound to another loop cannot wait (test_ambiguous_loops)', async () => {
    const lock = new Lock();
    await inLoop(async () => {
      await lock.acquire();
      const t = createTask(() => lock.acquire());
      await sleep(0);
      lock.release();
      await t;
      lock.release();
    });
    await inLoop(async () => {
      const cond = new Condition(lock);
      await cond.acquire(); // the free lock needs no loop
      await expect(cond.wait()).rejects.toThrow(/is bound to a different event loop/);
      expect(cond.locked()).toBe(true); // nothing was released
      cond.release();
    });
  });

  test('waitFor(cond.wait(), t) inside the lock: TimeoutError, lock held again (test_timeout_in_block)', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      await cond.withLock(async () => {
        await expect(waitFor(cond.wait(), 0.5)).rejects.toThrow(TimeoutError);
        expect(cond.locked()).toBe(true);
        expect(getRunningLoop().time()).toBe(0.5);
      });
      expect(cond.locked()).toBe(false);
    });
  });

  test('a producer/consumer pair hands items over through the condition', async () => {
    await inLoop(async () => {
      const cond = new Condition();
      const items: number[] = [];
      const received: number[] = [];
      const consumer = createTask(async () => {
        for (let i = 0; i < 10; i++) {
          await cond.withLock(async () => {
            await cond.waitFor(() => items.length > 0);
            received.push(items.shift()!);
          });
        }
      });
      for (let i = 0; i < 10; i++) {
        await cond.withLock(() => {
          items.push(i);
          cond.notify();
        });
        await sleep(i % 2 === 0 ? 0 : 0.1);
      }
      await consumer;
      expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });
});

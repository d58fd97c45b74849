import { CancelledError, getRunningLoop, RuntimeError, TimeoutError } from '@aio/loop';
import { Lock } from '@aio/sync';
import { createTask, sleep, timeout, waitFor } from '@aio/tasks';
import { inLoop } from './helpers';

describe('Lock', () => {
  test('a free lock is taken at once; release() frees it', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      expect(lock.locked()).toBe(false);
      expect(String(lock)).toBe('<Lock [unlocked]>');
      expect(await lock.acquire()).toBe(true);
      expect(lock.locked()).toBe(true);
      expect(String(lock)).toBe('<Lock [locked]>');
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('can be created outside a running loop', async () => {
    const lock = new Lock();
    await inLoop(async () => {
      await lock.acquire();
      lock.release();
    });
  });

  test('release() of an unlocked lock throws RuntimeError', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(new RuntimeError('Lock is not acquired.'));
  });

  test('waiters get the lock one release at a time, in FIFO order (test_acquire)', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      const result: number[] = [];
      const contender = (n: number) => async () => {
        if (await lock.acquire()) result.push(n);
        return true;
      };
      expect(await lock.acquire()).toBe(true);
      const t1 = createTask(contender(1));
      const t2 = createTask(contender(2));
      await sleep(0);
      expect(result).toEqual([]);
      expect(String(lock)).toBe('<Lock [locked, waiters:2]>');

      lock.release();
      await sleep(0);
      expect(result).toEqual([1]);
      await sleep(0);
      expect(result).toEqual([1]);

      const t3 = createTask(contender(3));
      lock.release();
      await sleep(0);
      expect(result).toEqual([1, 2]);
      lock.release();
      await sleep(0);
      expect(result).toEqual([1, 2, 3]);
      expect(await Promise.all([t1, t2, t3])).toEqual([true, true, true]);
    });
  });

  test('release() hands the lock to the first waiter: a newcomer cannot overtake it', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      const order: string[] = [];
      await lock.acquire();
      const waiter = createTask(async () => {
        await lock.acquire();
        order.push('waiter');
        lock.release();
      });
      await sleep(0);
      lock.release();
      expect(lock.locked()).toBe(true); // reserved for the waiter
      await lock.acquire();
      order.push('newcomer');
      lock.release();
      await waiter;
      expect(order).toEqual(['waiter', 'newcomer']);
      expect(lock.locked()).toBe(false);
    });
  });

  test('a task cancelled while waiting leaves the line (test_acquire_cancel)', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const task = createTask(() => lock.acquire());
      getRunningLoop().callSoon(() => task.cancel());
      await expect(task).rejects.toThrow(CancelledError);
      expect(String(lock)).toBe('<Lock [locked]>');
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('a waiter cancelled while the holder releases does not get the lock (test_cancel_race)', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      const loop = getRunningLoop();
      const lockIt = async (blocker: PromiseLike<unknown> | null) => {
        await lock.acquire();
        try {
          if (blocker !== null) await blocker;
        } finally {
          lock.release();
        }
      };
      const fa = loop.createFuture<void>();
      const ta = createTask(() => lockIt(fa));
      await sleep(0);
      expect(lock.locked()).toBe(true);
      const tb = createTask(() => lockIt(null));
      await sleep(0);
      const tc = createTask(() => lockIt(null));
      await sleep(0);
      expect(String(lock)).toBe('<Lock [locked, waiters:2]>');

      fa.setResult();
      tb.cancel();
      expect(String(lock)).toBe('<Lock [locked, waiters:1]>');
      await ta;
      await expect(tb).rejects.toThrow(CancelledError);
      await tc;
      expect(lock.locked()).toBe(false);
    });
  });

  test('cancelling one waiter while releasing lets exactly one other in (bpo-32734)', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      const lockIt = async () => {
        callCount++;
        await lock.acquire();
        lockCount++;
      };
      await lock.acquire();
      const t1 = createTask(lockIt);
      const t2 = createTask(lockIt);
      const t3 = createTask(lockIt);
      await sleep(0);
      getRunningLoop().callSoon(() => {
        t1.cancel();
        lock.release();
      });
      await expect(t1).rejects.toThrow(CancelledError);
      await t2;
      expect(lockCount).toBe(1);
      expect(callCount).toBe(3);
      t3.cancel();
      await expect(t3).rejects.toThrow(CancelledError);
      expect(lock.locked()).toBe(true); // t2 never released it
    });
  });

  test('a waiter cancelled before the release leaves the lock to a later task (test_finished_waiter_cancelled)', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const tb = createTask(() => lock.acquire());
      await sleep(0);
      const tc = createTask(() => lock.acquire());
      tb.cancel();
      lock.release();
      await sleep(0);
      expect(lock.locked()).toBe(true);
      expect(tb.cancelled()).toBe(true);
      expect(await tc).toBe(true);
    });
  });

  test('a waiter cancelled after release() chose it passes the lock to the next waiter', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const tb = createTask(() => lock.acquire());
      const tc = createTask(() => lock.acquire());
      await sleep(0);
      lock.release(); // chooses tb, which has not resumed yet
      tb.cancel();
      await expect(tb).rejects.toThrow(CancelledError);
      expect(await tc).toBe(true);
      expect(String(lock)).toBe('<Lock [locked]>');
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('the last waiter cancelled after release() chose it leaves the lock free', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const tb = createTask(() => lock.acquire());
      await sleep(0);
      lock.release();
      tb.cancel();
      await expect(tb).rejects.toThrow(CancelledError);
      expect(lock.locked()).toBe(false);
    });
  });

  test('once acquire() resolved, a later cancellation is delivered at the next await, lock held', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      await lock.acquire();
      const steps: string[] = [];
      const task = createTask(async () => {
        await lock.acquire();
        try {
          steps.push('acquired');
          await sleep(1);
          steps.push('not reached');
        } finally {
          lock.release();
          steps.push('released');
        }
      });
      await sleep(0);
      lock.release();
      await sleep(0); // the task resumed with the lock
      task.cancel();
      await expect(task).rejects.toThrow(CancelledError);
      expect(steps).toEqual(['acquired', 'released']);
      expect(lock.locked()).toBe(false);
    });
  });

  test('waitFor() and timeout() around acquire(): TimeoutError, nothing held, line left', async () => {
    await inLoop(async () => {
      const lock = new Lock();
      const loop = getRunningLoop();
      await lock.acquire();
      await expect(waitFor(lock.acquire(), 1)).rejects.toThrow(TimeoutError);
      expect(loop.time()).toBe(1);
      await expect(timeout(1, () => lock.acquire())).rejects.toThrow(TimeoutError);
      expect(loop.time()).toBe(2);
      expect(String(lock)).toBe('<Lock [locked]>');
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('a lock that had to block on one loop cannot block on another', async () => {
    const lock = new Lock();
    await inLoop(async () => {
      await lock.acquire();
      const other = createTask(() => lock.acquire());
      await sleep(0);
      lock.release();
      await other;
      lock.release();
    });
    await inLoop(async () => {
      await lock.acquire(); // free: no loop needed
      await expect(lock.acquire()).rejects.toThrow(/is bound to a different event loop/);
      lock.release();
    });
  });

  describe('enter() and withLock()', () => {
    test('using ... = await lock.enter() holds the lock until the end of the block', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        {
          using _held = await lock.enter();
          expect(lock.locked()).toBe(true);
        }
        expect(lock.locked()).toBe(false);
        {
          await using _held = await lock.enter();
          expect(lock.locked()).toBe(true);
        }
        expect(lock.locked()).toBe(false);
      });
    });

    test('a Releaser releases once, however often it is disposed', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        const releaser = await lock.enter();
        releaser[Symbol.dispose]();
        expect(lock.locked()).toBe(false);
        await lock.acquire();
        releaser[Symbol.dispose]();
        await releaser[Symbol.asyncDispose]();
        expect(lock.locked()).toBe(true);
        lock.release();
      });
    });

    test('a block that throws still releases the lock', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        const fail = async () => {
          using _held = await lock.enter();
          throw new Error('boom');
        };
        await expect(fail()).rejects.toThrow('boom');
        expect(lock.locked()).toBe(false);
      });
    });

    test('enter() cancelled while waiting returns no Releaser and holds nothing', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        await lock.acquire();
        let entered = false;
        const task = createTask(async () => {
          using _held = await lock.enter();
          entered = true;
        });
        await sleep(0);
        task.cancel();
        await expect(task).rejects.toThrow(CancelledError);
        expect(entered).toBe(false);
        expect(String(lock)).toBe('<Lock [locked]>');
      });
    });

    test('withLock() runs the body under the lock and returns its value', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        const value = await lock.withLock(async () => {
          expect(lock.locked()).toBe(true);
          await sleep(1);
          return 42;
        });
        expect(value).toBe(42);
        expect(await lock.withLock(() => 'sync')).toBe('sync');
        await expect(
          lock.withLock(() => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(lock.locked()).toBe(false);
      });
    });

    test('withLock() serialises concurrent bodies', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        const log: string[] = [];
        const body = (name: string) => () =>
          lock.withLock(async () => {
            log.push(`${name} in`);
            await sleep(1);
            log.push(`${name} out`);
          });
        await Promise.all([createTask(body('a')), createTask(body('b'))]);
        expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
      });
    });

    test('withLock() cancelled while waiting does not run the body; inside it, still releases', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        let ran = false;
        await lock.acquire();
        const waiting = createTask(() =>
          lock.withLock(() => {
            ran = true;
          }),
        );
        await sleep(0);
        waiting.cancel();
        await expect(waiting).rejects.toThrow(CancelledError);
        expect(ran).toBe(false);
        lock.release();

        const inside = createTask(() => lock.withLock(() => sleep(10)));
        await sleep(1);
        expect(lock.locked()).toBe(true);
        inside.cancel();
        await expect(inside).rejects.toThrow(CancelledError);
        expect(lock.locked()).toBe(false);
      });
    });

    test('withLock() rejects a body that is not a function, before acquiring', async () => {
      await inLoop(async () => {
        const lock = new Lock();
        await expect(lock.withLock(42 as never)).rejects.toThrow(
          new TypeError('body must be a function, got number'),
        );
        expect(lock.locked()).toBe(false);
      });
    });
  });
});

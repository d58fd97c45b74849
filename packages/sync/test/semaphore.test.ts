import { CancelledError, getRunningLoop } from '@aio/loop';
import { BoundedSemaphore, Semaphore } from '@aio/sync';
import { createTask, gather, sleep, type Task, taskGroup, waitFor } from '@aio/tasks';
import { inLoop, settle } from './helpers';

describe('Semaphore', () => {
  test('value 0 starts locked (test_initial_value_zero); default value is 1', () => {
    expect(new Semaphore(0).locked()).toBe(true);
    const sem = new Semaphore();
    expect(sem.locked()).toBe(false);
    expect(String(sem)).toBe('<Semaphore [unlocked, value:1]>');
  });

  test('a bad initial value is refused, naming the argument (test_semaphore_value)', () => {
    expect(() => new Semaphore(-1)).toThrow(new RangeError('value must be >= 0, got -1'));
    expect(() => new Semaphore(1.5)).toThrow(new RangeError('value must be an integer, got 1.5'));
    expect(() => new Semaphore(Number.NaN)).toThrow(RangeError);
    expect(() => new Semaphore('2' as never)).toThrow(new TypeError('value must be a number, got string'));
    expect(() => new BoundedSemaphore(-3)).toThrow(RangeError);
  });

  test('toString() shows the state and the waiters (test_repr)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore();
      await sem.acquire();
      expect(String(sem)).toBe('<Semaphore [locked]>');
      const t = createTask(() => sem.acquire());
      await sleep(0);
      expect(String(sem)).toBe('<Semaphore [locked, waiters:1]>');
      sem.release();
      await t;
      expect(String(new BoundedSemaphore(2))).toBe('<BoundedSemaphore [unlocked, value:2]>');
    });
  });

  test('permits go to waiters as they are released (test_acquire)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(3);
      const result: number[] = [];
      expect(await sem.acquire()).toBe(true);
      expect(await sem.acquire()).toBe(true);
      expect(sem.locked()).toBe(false);
      const contender = (n: number) => async () => {
        await sem.acquire();
        result.push(n);
        return true;
      };
      const t1 = createTask(contender(1));
      const t2 = createTask(contender(2));
      const t3 = createTask(contender(3));
      await sleep(0);
      expect(result).toEqual([1]);
      expect(sem.locked()).toBe(true);
      expect(String(sem)).toBe('<Semaphore [locked, waiters:2]>');

      const t4 = createTask(contender(4));
      sem.release();
      sem.release();
      expect(String(sem)).toBe('<Semaphore [locked]>'); // both permits handed over
      await sleep(0);
      expect(result).toEqual([1, 2, 3]);
      expect(String(sem)).toBe('<Semaphore [locked, waiters:1]>');
      await settle();
      expect(t1.done() && t2.done() && t3.done()).toBe(true);
      expect(t4.done()).toBe(false);
      sem.release();
      expect(await gather([t1, t2, t3, t4])).toEqual([true, true, true, true]);
    });
  });

  test('a task cancelled while waiting takes no permit (test_acquire_cancel)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore();
      await sem.acquire();
      const acquire = createTask(() => sem.acquire());
      getRunningLoop().callSoon(() => acquire.cancel());
      await expect(acquire).rejects.toThrow(CancelledError);
      expect(String(sem)).toBe('<Semaphore [locked]>');
      sem.release();
      expect(String(sem)).toBe('<Semaphore [unlocked, value:1]>');
    });
  });

  test('waiters cancelled before the release are skipped (test_acquire_cancel_before_awoken)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(0);
      const [t1, t2, t3, t4] = [1, 2, 3, 4].map(() => createTask(() => sem.acquire()));
      await sleep(0);
      t1!.cancel();
      t2!.cancel();
      sem.release();
      await sleep(0);
      await sleep(0);
      expect(t3!.done()).toBe(true);
      expect(t4!.done()).toBe(false);
      t3!.cancel();
      t4!.cancel();
      await expect(t4).rejects.toThrow(CancelledError);
      expect(await t3).toBe(true);
    });
  });

  test('a permit is not lost when the first waiter is cancelled (test_acquire_hang)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(0);
      const t1 = createTask(() => sem.acquire());
      const t2 = createTask(() => sem.acquire());
      await sleep(0);
      t1.cancel();
      sem.release();
      await sleep(0);
      await sleep(0);
      expect(sem.locked()).toBe(true);
      expect(t2.done()).toBe(true);
    });
  });

  test('a waiter cancelled after release() chose it gives the permit back (test_acquire_no_hang)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(1);
      const tasks: Task<void>[] = [];
      tasks.push(
        createTask(async () => {
          await sem.withLock(() => sleep(0));
          tasks[1]!.cancel(); // chosen by the release just above, it has not resumed yet
        }),
        createTask(() =>
          sem.withLock(() => {
            throw new Error('must not run');
          }),
        ),
      );
      const [t1, t2] = tasks;
      const [r1, r2] = await gather([t1, t2], { returnExceptions: true });
      expect(r1).toBeUndefined();
      expect(r2).toBeInstanceOf(CancelledError);
      expect(String(sem)).toBe('<Semaphore [unlocked, value:1]>');
      await waitFor(sem.acquire(), 1);
    });
  });

  test('release() without waiters unlocks (test_release_no_waiters)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore();
      await sem.acquire();
      expect(sem.locked()).toBe(true);
      sem.release();
      expect(sem.locked()).toBe(false);
    });
  });

  test('a Semaphore may be released beyond its initial value', () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(String(sem)).toBe('<Semaphore [unlocked, value:2]>');
  });

  test('BoundedSemaphore: release() beyond the initial value throws (test_release_not_acquired)', async () => {
    expect(() => new BoundedSemaphore().release()).toThrow(
      new RangeError('BoundedSemaphore released too many times'),
    );
    await inLoop(async () => {
      const sem = new BoundedSemaphore(2);
      await sem.acquire();
      await sem.acquire();
      sem.release();
      sem.release();
      expect(() => sem.release()).toThrow(RangeError);
      expect(String(sem)).toBe('<BoundedSemaphore [unlocked, value:2]>');
    });
  });

  test('BoundedSemaphore: a permit handed to a cancelled waiter comes back, within the bound', async () => {
    await inLoop(async () => {
      const sem = new BoundedSemaphore(1);
      await sem.acquire();
      const t = createTask(() => sem.acquire());
      await sleep(0);
      sem.release();
      t.cancel();
      await expect(t).rejects.toThrow(CancelledError);
      expect(() => sem.release()).toThrow(RangeError);
      expect(String(sem)).toBe('<BoundedSemaphore [unlocked, value:1]>');
    });
  });

  test('permits are taken in FIFO order, even by a task that just released one (test_acquire_fifo_order)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(1);
      const result: string[] = [];
      const worker = (tag: string) => async () => {
        for (const round of [1, 2]) {
          await sem.acquire();
          result.push(`${tag}_${round}`);
          await sleep(0.01);
          sem.release();
        }
      };
      await taskGroup(async (tg) => {
        tg.createTask(worker('c1'));
        tg.createTask(worker('c2'));
        tg.createTask(worker('c3'));
      });
      expect(result).toEqual(['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
    });
  });

  test('a task releasing and re-acquiring goes to the back of the line (test_acquire_fifo_order_2)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(1);
      const result: number[] = [];
      const t1 = createTask(async () => {
        await sem.acquire();
        result.push(1);
      });
      const t2 = createTask(async () => {
        await sem.acquire();
        result.push(2);
        sem.release();
        await sem.acquire();
        result.push(4);
      });
      const t3 = createTask(async () => {
        await sem.acquire();
        result.push(3);
      });
      await sleep(0);
      sem.release();
      sem.release();
      await gather([t1, t2, t3]);
      expect(result).toEqual([1, 2, 3, 4]);
    });
  });

  test('a waiter cancelled before any release is skipped (test_acquire_fifo_order_3)', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(0);
      const result: number[] = [];
      const tasks = [1, 2, 3].map((n) =>
        createTask(async () => {
          await sem.acquire();
          result.push(n);
        }),
      );
      await sleep(0);
      tasks[0]!.cancel();
      await sleep(0);
      sem.release();
      sem.release();
      await gather(tasks, { returnExceptions: true });
      expect(result).toEqual([2, 3]);
    });
  });

  test('withLock() and enter() take one permit each', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(2);
      let inside = 0;
      let most = 0;
      const work = () =>
        sem.withLock(async () => {
          most = Math.max(most, ++inside);
          await sleep(1);
          inside--;
        });
      await gather([work, work, work, work, work]);
      expect(most).toBe(2);
      expect(getRunningLoop().time()).toBe(3);
      {
        using _one = await sem.enter();
        using _two = await sem.enter();
        expect(sem.locked()).toBe(true);
      }
      expect(String(sem)).toBe('<Semaphore [unlocked, value:2]>');
    });
  });

  test('a semaphore that had to block on one loop cannot block on another', async () => {
    const sem = new Semaphore(0);
    await inLoop(async () => {
      const t = createTask(() => sem.acquire());
      await sleep(0);
      sem.release();
      await t;
    });
    await inLoop(async () => {
      await expect(sem.acquire()).rejects.toThrow(/is bound to a different event loop/);
    });
  });

  test('settle() lets every ready waiter through', async () => {
    await inLoop(async () => {
      const sem = new Semaphore(0);
      const tasks = [1, 2, 3].map(() => createTask(() => sem.acquire()));
      await sleep(0);
      for (let i = 0; i < 3; i++) sem.release();
      await settle();
      expect(tasks.every((t) => t.done())).toBe(true);
    });
  });
});

import { CancelledError } from '@aio/loop';
import { Barrier, BrokenBarrierError } from '@aio/sync';
import { createTask, gather, sleep, type Task } from '@aio/tasks';
import { inLoop, settle } from './helpers';

/** Starts `n` tasks running `body` and waits for all of them. */
async function runTasks<T>(n: number, body: () => Promise<T>): Promise<T[]> {
  return gather(Array.from({ length: n }, () => body));
}

describe('Barrier', () => {
  const N = 5;

  test('parties must be an integer >= 1 (test_barrier_parties)', () => {
    expect(() => new Barrier(0)).toThrow(new RangeError('parties must be >= 1, got 0'));
    expect(() => new Barrier(-4)).toThrow(RangeError);
    expect(() => new Barrier(2.5)).toThrow(new RangeError('parties must be an integer, got 2.5'));
    expect(() => new Barrier(undefined as never)).toThrow(
      new TypeError('parties must be a number, got undefined'),
    );
    expect(new Barrier(N).parties).toBe(N);
  });

  test('BrokenBarrierError is a RuntimeError named after asyncio', () => {
    const error = new BrokenBarrierError('x');
    expect(error.name).toBe('BrokenBarrierError');
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('BrokenBarrierError: x');
  });

  test('toString() follows the state (test_repr)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      expect(String(barrier)).toBe('<Barrier [filling, waiters:0/5]>');
      const waiters: Task<number>[] = [];
      const add = (k: number) => {
        for (let i = 0; i < k; i++) waiters.push(createTask(() => barrier.wait()));
      };
      add(2);
      await sleep(0);
      expect(String(barrier)).toBe('<Barrier [filling, waiters:2/5]>');
      add(barrier.parties - barrier.nWaiting);
      await sleep(0);
      expect(String(barrier)).toMatch(/^<Barrier \[draining, waiters:0\/5\]>$/);
      add(2);
      await sleep(0);
      await barrier.reset();
      expect(String(barrier)).toBe('<Barrier [resetting, waiters:0/5]>');
      add(2);
      await sleep(0);
      await barrier.abort();
      expect(String(barrier)).toBe('<Barrier [broken]>');
      expect(barrier.broken).toBe(true);
      await gather(waiters, { returnExceptions: true });
    });
  });

  test('N tasks pass together with distinct indices (test_context_manager)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(3);
      const indices = await runTasks(3, () => barrier.wait());
      expect([...indices].sort()).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('a one-party barrier lets each task through at once (test_filling_one_task*)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(1);
      expect(await barrier.wait()).toBe(0);
      const t1 = createTask(() => barrier.wait());
      await sleep(0);
      expect(barrier.nWaiting).toBe(0);
      const t2 = createTask(() => barrier.wait());
      expect(await t1).toBe(0);
      expect(await t2).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('nWaiting counts the tasks as they arrive (test_filling_task_by_task)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(3);
      const t1 = createTask(() => barrier.wait());
      await sleep(0);
      expect(barrier.nWaiting).toBe(1);
      const t2 = createTask(() => barrier.wait());
      await sleep(0);
      expect(barrier.nWaiting).toBe(2);
      const t3 = createTask(() => barrier.wait());
      expect([...(await gather([t1, t2, t3]))].sort()).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('the same tasks can pass twice (test_filling_tasks_wait_twice, _check_return_value)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      const second = await runTasks(N, async () => {
        await barrier.wait();
        results.push(true);
        const i = await barrier.wait();
        results.push(false);
        return i;
      });
      expect(results.filter((r) => r)).toHaveLength(N);
      expect(results.filter((r) => !r)).toHaveLength(N);
      expect([...second].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('it drains one released task at a time: all but the last see "draining" (test_draining_state)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      await runTasks(N, async () => {
        await barrier.wait();
        results.push(String(barrier).includes('draining'));
      });
      expect(results).toEqual([true, true, true, true, false]);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('tasks arriving while it drains wait for the next round (test_blocking_tasks_while_draining)', async () => {
    await inLoop(async () => {
      const rewait = 2;
      const barrier = new Barrier(N);
      const barrierNoWaiting = new Barrier(N - rewait);
      let rewaitLeft = rewait;
      await runTasks(N, async () => {
        await barrier.wait();
        if (rewaitLeft > 0) {
          rewaitLeft--;
          await barrier.wait();
        } else {
          await barrierNoWaiting.wait();
          await barrier.wait();
        }
      });
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('a task cancelled while filling leaves; the barrier is not broken (test_filling_tasks_cancel_one)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(3);
      const results: boolean[] = [];
      const coro = async () => {
        await barrier.wait();
        results.push(true);
      };
      const t1 = createTask(coro);
      await sleep(0);
      expect(barrier.nWaiting).toBe(1);
      const t2 = createTask(coro);
      await sleep(0);
      expect(barrier.nWaiting).toBe(2);
      t1.cancel();
      await expect(t1).rejects.toThrow(CancelledError);
      await settle();
      expect(barrier.nWaiting).toBe(1);
      const t3 = createTask(coro);
      await sleep(0);
      expect(barrier.nWaiting).toBe(2);
      const t4 = createTask(coro);
      await gather([t2, t3, t4]);
      expect(results).toEqual([true, true, true]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('reset() of an idle barrier keeps it filling (test_reset_barrier)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(1);
      await barrier.reset();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('reset() breaks the wait of the tasks inside (test_reset_barrier_while_tasks_waiting)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      const tasks = Array.from({ length: N - 1 }, () =>
        createTask(async () => {
          try {
            await barrier.wait();
          } catch (e) {
            if (e instanceof BrokenBarrierError) results.push(true);
          }
        }),
      );
      await sleep(0);
      createTask(() => barrier.reset());
      await gather(tasks);
      expect(results).toEqual([true, true, true, true]);
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
  });

  test('reset() by a released task breaks the tasks still draining (test_reset_barrier_when_tasks_half_draining)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const broken: boolean[] = [];
      const stillInside = Math.floor(N / 2);
      let passed = 0;
      await runTasks(N, async () => {
        try {
          await barrier.wait();
        } catch (e) {
          if (e instanceof BrokenBarrierError) broken.push(true);
          return;
        }
        // The tasks leave one at a time: when `stillInside` are left, reset.
        if (N - ++passed === stillInside) await barrier.reset();
      });
      expect(broken).toEqual(Array(stillInside).fill(true));
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
  });

  test('reset() while some wait again and some are blocked (test_reset_barrier_when_tasks_half_draining_half_blocking)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const blocking = Math.floor(N / 2);
      let count = 0;
      await runTasks(N, async () => {
        try {
          await barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results1.push(true);
          await barrier.wait();
          return;
        }
        count++;
        if (count > blocking) {
          await barrier.reset();
          await barrier.wait();
        } else {
          try {
            await barrier.wait();
          } catch (e) {
            if (e instanceof BrokenBarrierError) results2.push(true);
          }
        }
      });
      expect(results1).toEqual(Array(blocking).fill(true));
      expect(results2).toEqual([]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('after a reset, the broken-out tasks pass with a newcomer (test_reset_barrier_while_tasks_waiting_and_waiting_again)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const tasks = Array.from({ length: N - 1 }, () =>
        createTask(async () => {
          try {
            await barrier.wait();
          } catch (e) {
            if (e instanceof BrokenBarrierError) results1.push(true);
          } finally {
            await barrier.wait();
            results2.push(true);
          }
        }),
      );
      createTask(() => barrier.reset());
      await sleep(0);
      createTask(async () => {
        await barrier.wait();
        results2.push(true);
      });
      await gather(tasks);
      await settle();
      expect(barrier.broken).toBe(false);
      expect(results1).toHaveLength(N - 1);
      expect(results2).toHaveLength(N);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('reset() by the last task out, then everyone passes twice more (test_reset_barrier_while_tasks_draining)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const results3: boolean[] = [];
      let count = 0;
      await runTasks(N, async () => {
        await barrier.wait();
        count++;
        if (count === N) {
          await barrier.reset();
          await barrier.wait();
        } else {
          try {
            await barrier.wait();
            results1.push(true);
          } catch {
            results2.push(true);
          }
        }
        await barrier.wait();
        results3.push(true);
      });
      expect(barrier.broken).toBe(false);
      expect(results1).toHaveLength(N - 1);
      expect(results2).toHaveLength(0);
      expect(results3).toHaveLength(N);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('abort() breaks the barrier (test_abort_barrier)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(1);
      await barrier.abort();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(true);
      await expect(barrier.wait()).rejects.toThrow(new BrokenBarrierError('Barrier aborted'));
    });
  });

  test('abort() by released tasks breaks every other wait (test_abort_barrier_when_tasks_half_draining_half_blocking)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const blocking = Math.floor(N / 2);
      let count = 0;
      await runTasks(N, async () => {
        try {
          await barrier.wait();
        } catch (e) {
          if (e instanceof BrokenBarrierError) results1.push(true);
          return;
        }
        count++;
        if (count > blocking) {
          await barrier.abort();
        } else {
          try {
            await barrier.wait();
          } catch (e) {
            if (e instanceof BrokenBarrierError) results2.push(true);
          }
        }
      });
      expect(barrier.broken).toBe(true);
      expect(results1).toEqual(Array(blocking).fill(true));
      expect(results2).toEqual(Array(N - blocking - 1).fill(true));
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('a failing party aborts; the others get BrokenBarrierError (test_abort_barrier_when_exception)', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      await runTasks(N, async () => {
        try {
          const i = await barrier.wait();
          if (i === Math.floor(N / 2)) throw new RangeError('party failed');
          await barrier.wait();
          results1.push(true);
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof RangeError) await barrier.abort();
          else throw e;
        }
      });
      expect(barrier.broken).toBe(true);
      expect(results1).toHaveLength(0);
      expect(results2).toHaveLength(N - 1);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  test('abort, then reset: the barrier works again (test_abort_barrier_when_exception_then_resetting)', async () => {
    await inLoop(async () => {
      const barrier1 = new Barrier(N);
      const barrier2 = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const results3: boolean[] = [];
      await runTasks(N, async () => {
        try {
          const i = await barrier1.wait();
          if (i === Math.floor(N / 2)) throw new RangeError('party failed');
          await barrier1.wait();
          results1.push(true);
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof RangeError) await barrier1.abort();
          else throw e;
        }
        // Everyone has left barrier1 before the reset, and nobody enters it before.
        const i = await barrier2.wait();
        if (i === Math.floor(N / 2)) await barrier1.reset();
        await barrier2.wait();
        await barrier1.wait();
        results3.push(true);
      });
      expect(barrier1.broken).toBe(false);
      expect(results1).toHaveLength(0);
      expect(results2).toHaveLength(N - 1);
      expect(results3).toHaveLength(N);
      expect(barrier1.nWaiting).toBe(0);
    });
  });

  test('reset() and abort() never wait: they act at once', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(2);
      const a = createTask(() => barrier.wait());
      await sleep(0);
      const aborted = barrier.abort();
      expect(barrier.broken).toBe(true);
      await aborted;
      await expect(a).rejects.toThrow(new BrokenBarrierError('Abort or reset of barrier'));
      void barrier.reset();
      expect(barrier.broken).toBe(false);
      expect(String(barrier)).toBe('<Barrier [filling, waiters:0/2]>');
    });
  });

  test('a woken task cancelled before it resumes passes the turn on', async () => {
    await inLoop(async () => {
      const barrier = new Barrier(3);
      const [a, b] = [createTask(() => barrier.wait()), createTask(() => barrier.wait())];
      await sleep(0);
      const c = barrier.wait(); // trips: a and b are woken, a gets the first turn
      a.cancel();
      await expect(a).rejects.toThrow(CancelledError);
      expect(await b).toBe(1);
      expect(await c).toBe(2);
      await settle();
      expect(String(barrier)).toBe('<Barrier [filling, waiters:0/3]>');
    });
  });

  test('a barrier used on one loop cannot block on another', async () => {
    const barrier = new Barrier(2);
    await inLoop(async () => {
      await gather([() => barrier.wait(), () => barrier.wait()]);
    });
    await inLoop(async () => {
      await expect(barrier.wait()).rejects.toThrow(/is bound to a different event loop/);
    });
  });
});

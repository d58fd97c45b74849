/**
 * Cancellation storms: 1,000 tasks contend for a primitive while a chaos task cancels random
 * ones at every turn of the loop — while they wait, just after they were granted, and while
 * they hold it. Some of them swallow the cancellation and go on. Afterwards the invariants must
 * hold: mutual exclusion was never broken, every lock is free, every permit is back.
 */
import { CancelledError, TimeoutError } from '@aio/loop';
import { BoundedSemaphore, Condition, Lock } from '@aio/sync';
import { createTask, currentTask, gather, sleep, type Task, timeout } from '@aio/tasks';
import { inLoop, random } from './helpers';

const TASKS = 1000;
const ROUNDS = 5;

/**
 * Runs `worker(i)` in TASKS tasks while cancelling random ones until all are done. Returns how
 * many cancellations were requested.
 */
async function storm(
  seed: number,
  worker: (i: number, rand: () => number, tasks: readonly Task<void>[]) => Promise<void>,
): Promise<number> {
  const rand = random(seed);
  const tasks: Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push(createTask(() => worker(i, rand, tasks)));
  let cancels = 0;
  const chaos = createTask(async () => {
    while (tasks.some((t) => !t.done())) {
      await (rand() < 0.7 ? sleep(0) : sleep(rand() * 0.01));
      for (let k = Math.floor(rand() * 8); k > 0; k--) {
        const victim = tasks[Math.floor(rand() * TASKS)]!;
        if (victim.cancel()) cancels++;
      }
    }
  });
  const outcomes = await gather(tasks, { returnExceptions: true });
  await chaos;
  for (const outcome of outcomes) if (outcome !== undefined) expect(outcome).toBeInstanceOf(CancelledError);
  return cancels;
}

/**
 * The tasks waiting for a fair primitive, in the order they will get it: the first one is the
 * task a release hands it to, so cancelling it right after a release hits the moment between
 * the grant and its resumption.
 */
class Line {
  readonly #waiting: number[] = [];

  async wait<T>(i: number, acquire: () => Promise<T>): Promise<T> {
    this.#waiting.push(i);
    try {
      return await acquire();
    } finally {
      this.#waiting.splice(this.#waiting.indexOf(i), 1);
    }
  }

  cancelFirst(tasks: readonly Task<void>[]): void {
    if (this.#waiting.length > 0) tasks[this.#waiting[0]!]!.cancel();
  }
}

/** Whether the current task should swallow a cancellation (about half of the tasks do). */
function swallow(i: number): boolean {
  if (i % 2 === 0) return false;
  currentTask()!.uncancel();
  return true;
}

test.each([1, 2, 3])('Lock: mutual exclusion and a free lock after a storm (seed %i)', async (seed) => {
  await inLoop(async () => {
    const lock = new Lock();
    // Counts the waiters cancelled between the release that chose them and their resumption.
    const handedBack = jest.spyOn(lock, '_grantCancelled');
    let holders = 0;
    let acquired = 0;
    let released = 0;
    const line = new Line();
    const cancels = await storm(seed, async (i, rand, tasks) => {
      for (let round = 0; round < ROUNDS; round++) {
        try {
          await line.wait(i, () => lock.acquire());
        } catch (e) {
          if (e instanceof CancelledError && swallow(i)) continue;
          throw e;
        }
        acquired++;
        holders++;
        expect(holders).toBe(1);
        try {
          await (rand() < 0.5 ? sleep(0) : sleep(rand() * 0.001));
        } catch (e) {
          if (!(e instanceof CancelledError && swallow(i))) throw e;
        } finally {
          holders--;
          released++;
          lock.release();
          if (rand() < 0.2) line.cancelFirst(tasks);
        }
      }
    });
    expect(cancels).toBeGreaterThan(500);
    expect(handedBack.mock.calls.length).toBeGreaterThan(0);
    expect(acquired).toBe(released);
    expect(acquired).toBeGreaterThan(TASKS);
    expect(String(lock)).toBe('<Lock [unlocked]>');
    expect(await lock.acquire()).toBe(true); // at once: nobody is in the way
  });
});

test.each([1, 2, 3])('BoundedSemaphore: at most N holders, every permit back (seed %i)', async (seed) => {
  await inLoop(async () => {
    const permits = 7;
    const sem = new BoundedSemaphore(permits);
    const handedBack = jest.spyOn(sem, '_grantCancelled');
    let holders = 0;
    let most = 0;
    const line = new Line();
    await storm(seed, async (i, rand, tasks) => {
      for (let round = 0; round < ROUNDS; round++) {
        try {
          await line.wait(i, () => sem.acquire());
          try {
            most = Math.max(most, ++holders);
            expect(holders).toBeLessThanOrEqual(permits);
            await sleep(rand() < 0.5 ? 0 : rand() * 0.001);
          } finally {
            holders--;
            sem.release();
            if (rand() < 0.2) line.cancelFirst(tasks);
          }
        } catch (e) {
          if (!(e instanceof CancelledError && swallow(i))) throw e;
        }
      }
    });
    expect(most).toBe(permits);
    expect(handedBack.mock.calls.length).toBeGreaterThan(0);
    expect(holders).toBe(0);
    expect(String(sem)).toBe(`<BoundedSemaphore [unlocked, value:${permits}]>`);
    expect(() => sem.release()).toThrow(RangeError); // not one permit too many either
  });
});

test.each([1, 2])('Condition: every wait ends holding the lock; no token lost (seed %i)', async (seed) => {
  await inLoop(async () => {
    const cond = new Condition();
    let tokens = 0;
    let produced = 0;
    let consumed = 0;
    let waitsInterrupted = 0;
    await storm(seed, async (i, rand) => {
      for (let round = 0; round < ROUNDS; round++) {
        try {
          await cond.withLock(async () => {
            if (i % 3 === 0) {
              tokens++;
              produced++;
              cond.notify();
              return;
            }
            try {
              // Consumers outnumber producers: many waits end by timeout or cancellation.
              await timeout(rand() * 0.05, () => cond.waitFor(() => tokens > 0));
            } catch (e) {
              expect(cond.locked()).toBe(true); // re-acquired before the error arrived
              waitsInterrupted++;
              throw e;
            }
            tokens--;
            consumed++;
          });
        } catch (e) {
          if (e instanceof TimeoutError) continue;
          if (!(e instanceof CancelledError && swallow(i))) throw e;
        }
      }
    });
    expect(waitsInterrupted).toBeGreaterThan(100);
    expect(consumed).toBeGreaterThan(100);
    expect(produced - consumed).toBe(tokens);
    expect(String(cond)).toBe('<Condition [unlocked]>');
  });
});

/**
 * Cancellation storms on the queues: producers and consumers (1,000 tasks) move unique items
 * while a chaos task cancels random ones at every turn of the loop. Some tasks swallow the
 * cancellation and go on. A `put()` that resolved added its item, one that was cancelled did
 * not; every item added is received exactly once; `join()` returns; the bound is never passed.
 */
import { CancelledError } from '@aio/loop';
import { LifoQueue, PriorityQueue, Queue, QueueShutDown } from '@aio/queues';
import { createTask, currentTask, gather, sleep, type Task } from '@aio/tasks';
import { inLoop, seeded } from './helpers';

const PRODUCERS = 400;
const CONSUMERS = 600;
const ITEMS_EACH = 5;

describe.each([
  ['Queue', (maxsize: number) => new Queue<number>(maxsize)],
  ['LifoQueue', (maxsize: number) => new LifoQueue<number>(maxsize)],
  ['PriorityQueue', (maxsize: number) => new PriorityQueue<number>(maxsize)],
] as const)('%s under a cancellation storm', (_name, make) => {
  test.each([
    [1, 10],
    [2, 50],
    [3, 0],
  ])('seed %i, maxsize %i: no item lost or duplicated, join() returns', async (seed, maxsize) => {
    await inLoop(async () => {
      const rand = seeded(seed);
      const q = make(maxsize);
      const added: number[] = [];
      const received: number[] = [];
      let cancelledPuts = 0;
      let cancelledGets = 0;
      let overfull = false;

      // Who waits in get()/put(), in line order: the first was woken by the last put()/get().
      const waitingGets: number[] = [];
      const waitingPuts: number[] = [];
      const inLine = async <T>(line: number[], who: number, op: () => Promise<T>): Promise<T> => {
        line.push(who);
        try {
          return await op();
        } finally {
          line.splice(line.indexOf(who), 1);
        }
      };
      const swallow = () => {
        currentTask()!.uncancel();
        return true;
      };
      const producers: Task<void>[] = [];
      const consumers: Task<void>[] = [];
      for (let p = 0; p < PRODUCERS; p++) {
        producers.push(
          createTask(async () => {
            for (let k = 0; k < ITEMS_EACH; k++) {
              const item = p * ITEMS_EACH + k;
              try {
                await inLine(waitingPuts, p, () => q.put(item));
                added.push(item);
                // Hit the getter this put() woke, before its turn.
                if (rand() < 0.2 && waitingGets.length > 0) consumers[waitingGets[0]!]!.cancel();
              } catch (e) {
                if (!(e instanceof CancelledError)) throw e;
                cancelledPuts++;
                if (p % 2 === 1 || !swallow()) return; // half the producers stop
              }
              if (rand() < 0.3) await sleep(0);
            }
          }),
        );
      }
      for (let c = 0; c < CONSUMERS; c++) {
        consumers.push(
          createTask(async () => {
            for (;;) {
              try {
                const item = await inLine(waitingGets, c, () => q.get());
                received.push(item);
                q.taskDone();
                if (rand() < 0.2 && waitingPuts.length > 0) producers[waitingPuts[0]!]!.cancel();
                if (rand() < 0.3) await sleep(rand() * 0.001);
              } catch (e) {
                if (e instanceof QueueShutDown) return;
                if (!(e instanceof CancelledError)) throw e;
                cancelledGets++;
                swallow(); // consumers never give up: join() needs them
              }
            }
          }),
        );
      }
      const everyone = [...producers, ...consumers];
      const chaos = createTask(async () => {
        while (producers.some((t) => !t.done())) {
          await (rand() < 0.7 ? sleep(0) : sleep(rand() * 0.002));
          if (maxsize > 0 && q.qsize() > maxsize) overfull = true;
          for (let k = Math.floor(rand() * 10); k > 0; k--)
            everyone[Math.floor(rand() * everyone.length)]!.cancel();
        }
      });

      await gather(producers, { returnExceptions: true });
      await chaos;
      await q.join(); // every item added was taken and marked done
      q.shutdown();
      await gather(consumers);

      if (maxsize > 0) expect(cancelledPuts).toBeGreaterThan(0);
      expect(cancelledGets).toBeGreaterThan(0);
      expect(overfull).toBe(false);
      expect(received.length).toBe(added.length);
      expect(new Set(received).size).toBe(received.length); // no duplicate
      expect([...received].sort((a, b) => a - b)).toEqual([...added].sort((a, b) => a - b));
      expect(q.qsize()).toBe(0);
      expect(() => q.taskDone()).toThrow(RangeError);
    });
  });
});

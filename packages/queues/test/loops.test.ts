/** The queues work on every kind of loop the @aio/tasks tests use (the default one, virtual time, no fast path). */
import { CancelledError } from '@aio/loop';
import { PriorityQueue, Queue } from '@aio/queues';
import { createTask, gather, run, sleep } from '@aio/tasks';
import { loopKinds } from '../../tasks/test/helpers';

describe.each(loopKinds)('on %s', (_name, loopFactory) => {
  test('items move through bounded queues; cancelled gets and puts lose nothing', async () => {
    await run(
      async () => {
        const q = new Queue<number>(3);
        const received: number[] = [];
        const consumer = createTask(async () => {
          for await (const item of q) {
            received.push(item);
            q.taskDone();
            await sleep(0);
          }
        });
        for (let i = 0; i < 20; i++) await q.put(i);
        const blockedPut = createTask(async () => {
          for (let i = 0; i < 5; i++) await q.put(100); // fills the queue: blocks soon
        });
        await sleep(0);
        blockedPut.cancel();
        await blockedPut.then(
          () => undefined,
          (e) => expect(e).toBeInstanceOf(CancelledError),
        );
        await q.join();
        q.shutdown();
        await consumer;
        expect(received.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(received.slice(20).every((x) => x === 100)).toBe(true);

        const pq = new PriorityQueue<number>();
        const getters = [createTask(() => pq.get()), createTask(() => pq.get())];
        await sleep(0);
        getters[0]!.cancel();
        pq.putNowait(2);
        pq.putNowait(1);
        await expect(getters[0]).rejects.toThrow(CancelledError);
        expect(await gather([getters[1]!])).toEqual([1]);
        expect(pq.getNowait()).toBe(2);
      },
      { loopFactory },
    );
  });
});

/** The primitives work on every kind of loop the @aio/tasks tests use (the default one, virtual time, no fast path). */
import { CancelledError } from '@aio/loop';
import { Barrier, Condition, Event, Lock, Semaphore } from '@aio/sync';
import { createTask, gather, run, sleep } from '@aio/tasks';
import { loopKinds } from '../../tasks/test/helpers';

describe.each(loopKinds)('on %s', (_name, loopFactory) => {
  test('Lock, Semaphore, Condition, Event and Barrier hand over and cancel', async () => {
    await run(
      async () => {
        const lock = new Lock();
        const sem = new Semaphore(2);
        const cond = new Condition();
        const event = new Event();
        const barrier = new Barrier(3);
        const log: string[] = [];
        const worker = (name: string) => async () => {
          await lock.withLock(async () => {
            log.push(name);
            await sleep(0.001);
          });
          await sem.withLock(() => sleep(0));
          await event.wait();
          await barrier.wait();
        };
        const tasks = ['a', 'b', 'c'].map((name) => createTask(worker(name)));
        const victim = createTask(() => lock.acquire());
        await sleep(0);
        victim.cancel();
        await expect(victim).rejects.toThrow(CancelledError);
        const waiter = createTask(() => cond.withLock(() => cond.wait()));
        await sleep(0);
        await cond.withLock(() => cond.notifyAll());
        event.set();
        await gather([...tasks, waiter]);
        expect(log).toEqual(['a', 'b', 'c']);
        expect(lock.locked()).toBe(false);
        expect(String(sem)).toBe('<Semaphore [unlocked, value:2]>');
      },
      { loopFactory },
    );
  });
});

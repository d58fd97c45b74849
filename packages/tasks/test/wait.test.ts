import { Future } from '@aio/futures';
import { CancelledError, getRunningLoop } from '@aio/loop';
import { ALL_COMPLETED, createTask, FIRST_COMPLETED, FIRST_EXCEPTION, sleep, wait } from '@aio/tasks';
import { runVirtual } from './helpers';

const delayed = (seconds: number, value: string) => createTask(() => sleep(seconds, value));

describe('wait', () => {
  test('ALL_COMPLETED (the default) returns when everything is done', async () => {
    await runVirtual(async () => {
      const a = delayed(1, 'a');
      const b = delayed(2, 'b');
      const [done, pending] = await wait([a, b]);
      expect(done).toEqual(new Set([a, b]));
      expect(pending.size).toBe(0);
      expect(getRunningLoop().time()).toBe(2);
    });
  });

  test('FIRST_COMPLETED returns at the first one done, cancelled ones included', async () => {
    await runVirtual(async () => {
      const a = delayed(1, 'a');
      const b = delayed(2, 'b');
      const [done, pending] = await wait([a, b], { returnWhen: FIRST_COMPLETED });
      expect(done).toEqual(new Set([a]));
      expect(pending).toEqual(new Set([b]));
      const c = delayed(5, 'c');
      getRunningLoop().callLater(0.5, () => c.cancel());
      const [done2] = await wait([b, c], { returnWhen: FIRST_COMPLETED });
      expect(done2).toEqual(new Set([c]));
      b.cancel();
    });
  });

  test('FIRST_EXCEPTION returns at the first failure, else when all are done', async () => {
    await runVirtual(async () => {
      const ok = delayed(1, 'ok');
      const bad = createTask(async () => {
        await sleep(2);
        throw new Error('bad');
      });
      const slow = delayed(10, 'slow');
      const [done, pending] = await wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
      expect(done).toEqual(new Set([ok, bad]));
      expect(pending).toEqual(new Set([slow]));
      const [allDone] = await wait([delayed(1, 'x'), delayed(2, 'y')], { returnWhen: FIRST_EXCEPTION });
      expect(allDone.size).toBe(2);
      slow.cancel();
    });
  });

  test('a timeout returns what is done so far, without TimeoutError and without cancelling', async () => {
    await runVirtual(async () => {
      const a = delayed(1, 'a');
      const b = delayed(10, 'b');
      const [done, pending] = await wait([a, b], { timeout: 5 });
      expect(done).toEqual(new Set([a]));
      expect(pending).toEqual(new Set([b]));
      expect(b.cancelled()).toBe(false);
      expect(getRunningLoop().time()).toBe(5);
      b.cancel();
    });
  });

  test('the same future given twice counts once', async () => {
    await runVirtual(async () => {
      const a = delayed(1, 'a');
      const [done] = await wait([a, a]);
      expect(done.size).toBe(1);
    });
  });

  test('cancelling the waiting task ends the wait only', async () => {
    await runVirtual(async () => {
      const a = delayed(10, 'a');
      const waiter = createTask(() => wait([a]));
      await sleep(1);
      waiter.cancel();
      await expect(waiter).rejects.toBeInstanceOf(CancelledError);
      expect(a.cancelled()).toBe(false);
      a.cancel();
    });
  });

  test('bad input: empty, coroutine functions, promises, unknown returnWhen', async () => {
    await runVirtual(async () => {
      await expect(wait([])).rejects.toThrow(RangeError);
      await expect(wait([(async () => 1) as never])).rejects.toThrow(TypeError);
      await expect(wait([Promise.resolve(1) as never])).rejects.toThrow(/createTask/);
      await expect(wait(new Future() as never)).rejects.toThrow(TypeError);
      await expect(wait([new Future()], { returnWhen: 'SOMETIMES' as never })).rejects.toThrow(RangeError);
      await expect(wait([new Future()], { timeout: Number.NaN })).rejects.toThrow(TypeError);
      expect(ALL_COMPLETED).toBe('ALL_COMPLETED');
    });
  });
});

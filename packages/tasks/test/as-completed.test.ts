import { Future } from '@aio/futures';
import { CancelledError, TimeoutError } from '@aio/loop';
import { asCompleted, createTask, sleep } from '@aio/tasks';
import { runVirtual } from './helpers';

describe('asCompleted', () => {
  test('sync iteration: fresh futures giving results in completion order', async () => {
    await runVirtual(async () => {
      const results: string[] = [];
      for (const next of asCompleted([sleep(3, 'c'), sleep(1, 'a'), () => sleep(2, 'b')])) {
        expect(next).toBeInstanceOf(Future);
        results.push(await next);
      }
      expect(results).toEqual(['a', 'b', 'c']);
    });
  });

  test('for await: the original futures (or the tasks made for coroutine functions), done', async () => {
    await runVirtual(async () => {
      const slow = createTask(() => sleep(2, 'slow'));
      const fast = createTask(() => sleep(1, 'fast'));
      const seen: Future<string>[] = [];
      for await (const fut of asCompleted([slow, fast])) {
        // TypeScript types a `for await` element as awaited; at run time it is the Future itself.
        const original = fut as unknown as Future<string>;
        expect(original.done()).toBe(true);
        seen.push(original);
      }
      expect(seen).toEqual([fast, slow]);
    });
  });

  test('errors are the futures’ own', async () => {
    await runVirtual(async () => {
      const failing = createTask(async () => {
        await sleep(1);
        throw new RangeError('r');
      });
      const [first] = [...asCompleted([failing])];
      await expect(first).rejects.toThrow(RangeError);
    });
  });

  test('timeout: the remaining steps throw TimeoutError, in both forms', async () => {
    await runVirtual(async () => {
      const outcomes: string[] = [];
      for (const next of asCompleted([sleep(1, 'in time'), sleep(10, 'late')], { timeout: 5 })) {
        try {
          outcomes.push(await next);
        } catch (e) {
          outcomes.push(e instanceof TimeoutError ? 'timeout' : String(e));
        }
      }
      expect(outcomes).toEqual(['in time', 'timeout']);
      const late = createTask(() => sleep(10));
      const iterator = asCompleted([late], { timeout: 1 })[Symbol.asyncIterator]();
      await expect(iterator.next()).rejects.toBeInstanceOf(TimeoutError);
      late.cancel();
    });
  });

  test('the same future twice counts once; an empty input ends at once', async () => {
    await runVirtual(async () => {
      const fut = sleep(1, 'x');
      expect([...asCompleted([fut, fut])]).toHaveLength(1);
      expect([...asCompleted([])]).toHaveLength(0);
    });
  });

  test('cancelling a step ends that step only; the awaitables keep running', async () => {
    await runVirtual(async () => {
      const work = createTask(() => sleep(5, 'done'));
      const [step] = [...asCompleted([work])];
      const waiter = createTask(async () => await step!);
      await sleep(1);
      waiter.cancel();
      await expect(waiter).rejects.toBeInstanceOf(CancelledError);
      await expect(work).resolves.toBe('done');
    });
  });

  test('bad input', async () => {
    await runVirtual(async () => {
      expect(() => asCompleted(5 as never)).toThrow(TypeError);
      expect(() => asCompleted([], { timeout: Number.NaN })).toThrow(TypeError);
    });
  });
});

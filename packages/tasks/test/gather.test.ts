import { Future } from '@aio/futures';
import { CancelledError, getRunningLoop, RuntimeError } from '@aio/loop';
import { createTask, gather, run, sleep } from '@aio/tasks';
import { loopKinds, runVirtual } from './helpers';

describe.each(loopKinds)('gather on %s', (_name, loopFactory) => {
  const inLoop = <T>(main: () => Promise<T>) => run(main, { loopFactory });

  test('results come in the order given, whatever order the children finish in', async () => {
    const result = await inLoop(async () => {
      const order: string[] = [];
      const child = (name: string, delay: number) => async () => {
        await sleep(delay);
        order.push(name);
        return name;
      };
      const results = await gather([child('slow', 0.02), child('fast', 0.01), sleep(0, 'instant')]);
      return { results, order };
    });
    expect(result.results).toEqual(['slow', 'fast', 'instant']);
    expect(result.order).toEqual(['fast', 'slow']);
  });

  test('the first error rejects the gather; the other children keep running', async () => {
    await inLoop(async () => {
      let survivorDone = false;
      const gate = new Future<void>();
      const survivor = createTask(async () => {
        await gate;
        survivorDone = true;
      });
      const failing = async () => {
        await sleep(0.01);
        throw new TypeError('child failed');
      };
      await expect(gather([survivor, failing])).rejects.toThrow('child failed');
      expect(survivor.done()).toBe(false);
      gate.setResult();
      await survivor;
      expect(survivorDone).toBe(true);
    });
  });

  test('returnExceptions puts errors and cancellations in the results', async () => {
    await inLoop(async () => {
      const cancelled = createTask(() => sleep(10));
      cancelled.cancel();
      const results = await gather(
        [
          async () => 1,
          async () => {
            throw new RangeError('r');
          },
          cancelled,
        ],
        { returnExceptions: true },
      );
      expect(results[0]).toBe(1);
      expect(results[1]).toBeInstanceOf(RangeError);
      expect(results[2]).toBeInstanceOf(CancelledError);
    });
  });
});

describe('gather', () => {
  test('a child cancelled from elsewhere: CancelledError, or a result with returnExceptions', async () => {
    await runVirtual(async () => {
      const child = createTask(() => sleep(10));
      const outer = gather([child, sleep(1, 'x')]);
      await sleep(0);
      child.cancel('from elsewhere');
      await expect(outer).rejects.toThrow(new CancelledError('from elsewhere'));

      const child2 = createTask(() => sleep(10));
      const outer2 = gather([child2, sleep(1, 'y')], { returnExceptions: true });
      await sleep(0);
      child2.cancel('again');
      const [first, second] = await outer2;
      expect(first).toBeInstanceOf(CancelledError);
      expect((first as Error).message).toBe('again');
      expect(second).toBe('y');
    });
  });

  test('cancelling the gather cancels every child and ends with CancelledError (even with returnExceptions)', async () => {
    await runVirtual(async () => {
      for (const returnExceptions of [false, true]) {
        const a = createTask(() => sleep(10));
        const b = createTask(() => sleep(20));
        const outer = gather([a, b], { returnExceptions: returnExceptions as true });
        await sleep(0);
        expect(outer.cancel('stop all')).toBe(true);
        await expect(outer).rejects.toThrow(CancelledError);
        expect(a.cancelled()).toBe(true);
        expect(b.cancelled()).toBe(true);
        expect(outer.cancel()).toBe(false);
      }
    });
  });

  test('cancelling the task that awaits a gather cancels the children', async () => {
    await runVirtual(async () => {
      const children: Future<unknown>[] = [];
      const parent = createTask(async () => {
        const a = createTask(() => sleep(10));
        const b = createTask(() => sleep(10));
        children.push(a, b);
        await gather([a, b]);
      });
      await sleep(0);
      parent.cancel('parent cancelled');
      await expect(parent).rejects.toThrow('parent cancelled');
      expect(children.every((c) => c.cancelled())).toBe(true);
    });
  });

  test('the same future twice is awaited once; the same coroutine function twice runs twice', async () => {
    await runVirtual(async () => {
      const fut = new Future<number>();
      getRunningLoop().callSoon(() => fut.setResult(7));
      await expect(gather([fut, fut])).resolves.toEqual([7, 7]);
      let runs = 0;
      const thunk = async () => ++runs;
      const results = await gather([thunk, thunk]);
      expect(runs).toBe(2);
      expect(results.sort()).toEqual([1, 2]);
    });
  });

  test('promises and done futures are fine children; an empty gather gives []', async () => {
    await runVirtual(async () => {
      const done = new Future<string>();
      done.setResult('done');
      await expect(gather([Promise.resolve('promise'), done])).resolves.toEqual(['promise', 'done']);
      await expect(gather([])).resolves.toEqual([]);
    });
  });

  test('the typed tuple of results', async () => {
    await runVirtual(async () => {
      const [n, s, b]: [number, string, boolean] = await gather([
        async () => 1,
        sleep(0, 'two'),
        Promise.resolve(true),
      ]);
      expect([n, s, b]).toEqual([1, 'two', true]);
      const mixed: (number | Error)[] = await gather([async () => 1], { returnExceptions: true });
      expect(mixed).toEqual([1]);
    });
  });

  test('bad input', async () => {
    expect(() => gather([])).toThrow(RuntimeError); // no running loop
    await runVirtual(async () => {
      expect(() => gather(42 as never)).toThrow(TypeError);
      expect(() => gather([42 as never])).toThrow(TypeError);
    });
  });
});

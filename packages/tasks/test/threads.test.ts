import { EventLoop, RuntimeError } from '@aio/loop';
import { run, runCoroutineThreadsafe, sleep, toThread } from '@aio/tasks';

describe('toThread', () => {
  test('runs a self-contained function in a worker thread and returns its result', async () => {
    await run(async () => {
      const inWorker = await toThread(() => !require('node:worker_threads').isMainThread);
      expect(inWorker).toBe(true);
      await expect(toThread((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
      await expect(
        toThread(() => {
          throw new TypeError('in the worker');
        }),
      ).rejects.toThrow('in the worker');
    });
  });

  test('outside a loop: RuntimeError', async () => {
    await expect(toThread(() => 1)).rejects.toThrow(RuntimeError);
  });
});

describe('runCoroutineThreadsafe', () => {
  test('submits a coroutine from a native callback and gives its result', async () => {
    const loop = new EventLoop();
    const result = new Promise<number>((resolve, reject) => {
      setImmediate(() => {
        runCoroutineThreadsafe(() => sleep(0.01, 5), loop)
          .result(5)
          .then(resolve, reject);
      });
    });
    const stopper = result.finally(() => loop.stop());
    await loop.runForever();
    await expect(stopper).resolves.toBe(5);
    loop.close();
  });

  test('cancelling the concurrent future cancels the task', async () => {
    const loop = new EventLoop();
    const cf = runCoroutineThreadsafe(() => sleep(60, 'never'), loop);
    loop.callLater(0.01, () => cf.cancel());
    loop.callLater(0.05, () => loop.stop());
    await loop.runForever();
    expect(cf.cancelled()).toBe(true);
    loop.close();
  });

  test('bad arguments', () => {
    using loop = new EventLoop();
    expect(() => runCoroutineThreadsafe(1 as never, loop)).toThrow(TypeError);
    expect(() => runCoroutineThreadsafe(async () => 1, {} as never)).toThrow(TypeError);
  });
});

import { CancelledError, TimeoutError, VirtualTimeEventLoop } from '@aio/loop';
import { createTask, currentTask, gather, run, sleep, taskGroup, timeout, waitFor } from '@aio/tasks';

const vt = { loopFactory: () => new VirtualTimeEventLoop() };

test('hello world with cancellation', async () => {
  const log: string[] = [];
  const result = await run(async () => {
    const t = createTask(async () => {
      try {
        await sleep(10);
      } catch (e) {
        log.push(`caught ${(e as Error).name}: ${(e as Error).message}`);
        throw e;
      }
    });
    await sleep(1);
    t.cancel('stop');
    try {
      await t;
    } catch (e) {
      log.push(`awaiter: ${e instanceof CancelledError} ${(e as Error).message}`);
    }
    const [a, b] = await gather([async () => 1, sleep(2, 'two')]);
    log.push(`${a} ${b}`);
    await expect(waitFor(sleep(100), 1)).rejects.toThrow(TimeoutError);
    const x = await timeout(5, async () => {
      expect(currentTask()).not.toBeNull();
      return 'in time';
    });
    await taskGroup(async (tg) => {
      tg.createTask(() => sleep(1));
    });
    return x;
  }, vt);
  expect(result).toBe('in time');
  expect(log).toEqual(['caught CancelledError: stop', 'awaiter: true stop', '1 two']);
});

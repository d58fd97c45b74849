import { CancelledError, getRunningLoop, VirtualTimeEventLoop } from '@aio/loop';
import { FlowControl } from '@aio/streams';
import { createTask, run, sleep } from '@aio/tasks';

const onVirtualTime = <T>(main: () => Promise<T>) =>
  run(main, { loopFactory: () => new VirtualTimeEventLoop() });

describe('FlowControl', () => {
  test('drain() returns at once unless paused; resume() wakes every waiting writer', async () => {
    await onVirtualTime(async () => {
      const flow = new FlowControl(getRunningLoop());
      await flow.drain();
      flow.pause();
      expect(flow.paused).toBe(true);
      const writers = [createTask(() => flow.drain()), createTask(() => flow.drain())];
      await sleep(1);
      expect(writers.map((w) => w.done())).toEqual([false, false]);
      flow.resume();
      await Promise.all(writers);
      expect(flow.paused).toBe(false);
    });
  });

  test('lost(exc): waiting writers get the error, later drains a ConnectionResetError', async () => {
    await onVirtualTime(async () => {
      const flow = new FlowControl(getRunningLoop());
      flow.pause();
      const waiting = createTask(() => flow.drain());
      await sleep(0);
      flow.lost(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
      await expect(waiting).rejects.toThrow('reset');
      await expect(flow.drain()).rejects.toMatchObject({ name: 'ConnectionResetError', code: 'ECONNRESET' });
    });
  });

  test('lost(null) lets waiting writers go on', async () => {
    await onVirtualTime(async () => {
      const flow = new FlowControl(getRunningLoop());
      flow.pause();
      const waiting = createTask(() => flow.drain());
      await sleep(0);
      flow.lost(null);
      await expect(waiting).resolves.toBeUndefined();
    });
  });

  test('a cancelled drain() stops waiting only: the others still wake on resume', async () => {
    await onVirtualTime(async () => {
      const flow = new FlowControl(getRunningLoop());
      flow.pause();
      const cancelled = createTask(() => flow.drain());
      const other = createTask(() => flow.drain());
      await sleep(0);
      cancelled.cancel();
      await expect(cancelled).rejects.toThrow(CancelledError);
      flow.resume();
      await expect(other).resolves.toBeUndefined();
    });
  });
});

import { Future } from '@aio/futures';
import { CancelledError, getRunningLoop, RuntimeError, TimeoutError } from '@aio/loop';
import { createTask, currentTask, sleep, waitFor } from '@aio/tasks';
import { runVirtual } from './helpers';

describe('waitFor', () => {
  test('returns the result in time; null means no limit', async () => {
    await runVirtual(async () => {
      await expect(waitFor(sleep(1, 'fast'), 5)).resolves.toBe('fast');
      await expect(waitFor(() => sleep(100, 'unlimited'), null)).resolves.toBe('unlimited');
    });
  });

  test('on timeout the awaitable is cancelled, waited for, and TimeoutError thrown', async () => {
    await runVirtual(async () => {
      const events: string[] = [];
      const inner = createTask(async () => {
        try {
          await sleep(100);
        } finally {
          events.push('inner cleaned up');
        }
      });
      await expect(waitFor(inner, 1)).rejects.toBeInstanceOf(TimeoutError);
      expect(inner.cancelled()).toBe(true);
      expect(events).toEqual(['inner cleaned up']);
      expect(getRunningLoop().time()).toBe(1);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  test('a coroutine function runs inside the calling task', async () => {
    await runVirtual(async () => {
      const me = currentTask();
      // (wrapped: an async function returning a Task would adopt it, as promises adopt thenables)
      const seen = await waitFor(async () => ({ task: currentTask() }), 1);
      expect(seen.task).toBe(me);
    });
  });

  test('timeout <= 0: done already gives the result, else cancel and TimeoutError', async () => {
    await runVirtual(async () => {
      const done = new Future<number>();
      done.setResult(5);
      await expect(waitFor(done, 0)).resolves.toBe(5);
      const pending = createTask(() => sleep(10));
      await expect(waitFor(pending, 0)).rejects.toBeInstanceOf(TimeoutError);
      expect(pending.cancelled()).toBe(true);
      await expect(waitFor(Promise.reject(new Error('boom')), -1)).rejects.toThrow(TimeoutError);
    });
  });

  test('if the awaitable suppresses the cancellation and returns, its result is returned', async () => {
    await runVirtual(async () => {
      const stubborn = createTask(async () => {
        try {
          await sleep(10);
        } catch {
          currentTask()!.uncancel();
        }
        return 'stubborn result';
      });
      await expect(waitFor(stubborn, 1)).resolves.toBe('stubborn result');
    });
  });

  test('errors of the awaitable propagate unchanged', async () => {
    await runVirtual(async () => {
      await expect(
        waitFor(async () => {
          throw new RangeError('inner error');
        }, 5),
      ).rejects.toThrow(RangeError);
    });
  });

  test('cancelling the caller cancels the awaitable and propagates CancelledError', async () => {
    await runVirtual(async () => {
      const inner = createTask(() => sleep(10));
      const caller = createTask(() => waitFor(inner, 5));
      await sleep(1);
      caller.cancel('caller cancelled');
      await expect(caller).rejects.toThrow(new CancelledError('caller cancelled'));
      expect(inner.cancelled()).toBe(true);
    });
  });

  test('nested waitFor: the inner deadline fires first', async () => {
    await runVirtual(async () => {
      const attempt = waitFor(() => waitFor(sleep(10), 1), 5);
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      expect(getRunningLoop().time()).toBe(1);
    });
  });

  test('bad input; outside a task', async () => {
    await runVirtual(async () => {
      await expect(waitFor(sleep(1), Number.NaN)).rejects.toThrow(TypeError);
      await expect(waitFor(sleep(1), '1' as never)).rejects.toThrow(TypeError);
    });
    await expect(waitFor(Promise.resolve(1), 1)).rejects.toThrow(RuntimeError);
  });
});

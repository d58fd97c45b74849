import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as nativeSleep } from 'node:timers/promises';
import { Future } from '@aio/futures';
import { CancelledError, EventLoop, TimeoutError } from '@aio/loop';
import {
  allTasks,
  cancelOnAbort,
  createTask,
  currentSignal,
  currentTask,
  isCancellation,
  run,
  sleep,
  timeout,
} from '@aio/tasks';
import { runVirtual } from './helpers';

describe('task.signal and currentSignal()', () => {
  test('the signal aborts with the CancelledError when cancel() is called', async () => {
    await runVirtual(async () => {
      const task = createTask(() => sleep(10));
      const signal = task.signal;
      expect(signal.aborted).toBe(false);
      task.cancel('why');
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(CancelledError);
      expect((signal.reason as Error).message).toBe('why');
      await expect(task).rejects.toThrow('why');
    });
  });

  test('a signal asked for after the cancel request is aborted already', async () => {
    await runVirtual(async () => {
      const task = createTask(() => sleep(10));
      task.cancel();
      expect(task.signal.aborted).toBe(true);
      await task.catch(() => {});
    });
  });

  test('currentSignal() is the current task’s; undefined outside tasks', async () => {
    await runVirtual(async () => {
      expect(currentSignal()).toBe(currentTask()!.signal);
    });
  });

  test('once uncancel() brings the count to 0, the task gets a fresh signal', async () => {
    await runVirtual(async () => {
      const task = createTask(async () => {
        const first = currentSignal()!;
        try {
          await sleep(10);
        } catch {
          currentTask()!.uncancel();
        }
        return [first.aborted, currentSignal()!.aborted];
      });
      await sleep(0);
      task.cancel();
      await expect(task).resolves.toEqual([true, false]);
    });
  });

  test('a native API given the signal stops at once when the task is cancelled', async () => {
    await run(async () => {
      const task = createTask(async () => {
        await nativeSleep(60_000, undefined, { signal: currentSignal() });
      });
      await sleep(0.01);
      task.cancel('stop the timer');
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(task.cancelled()).toBe(true);
    });
  });

  test('fetch given currentSignal() stops when cancelled, and inside timeout() ends as TimeoutError', async () => {
    const hanging = http.createServer(() => {}); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
    try {
      await run(async () => {
        const task = createTask(() => fetch(url, { signal: currentSignal() }));
        await sleep(0.05);
        task.cancel();
        await expect(task).rejects.toBeInstanceOf(CancelledError);
        await expect(timeout(0.05, () => fetch(url, { signal: currentSignal() }))).rejects.toBeInstanceOf(
          TimeoutError,
        );
      });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

describe('signal options and cancelOnAbort', () => {
  test('the signal option of createTask cancels the task, even if aborted already', async () => {
    await runVirtual(async () => {
      const controller = new AbortController();
      const task = createTask(() => sleep(10), { signal: controller.signal });
      await sleep(0);
      controller.abort('aborted');
      await expect(task).rejects.toThrow('aborted');
      const early = createTask(() => sleep(10), { signal: AbortSignal.abort('before') });
      await expect(early).rejects.toThrow('before');
      const pendingBefore = allTasks().size;
      expect(() => createTask(() => sleep(1), { signal: {} as never })).toThrow(TypeError);
      expect(allTasks().size).toBe(pendingBefore); // nothing left half-made
    });
  });

  test('cancelOnAbort links a future to a signal until disposed or done', async () => {
    await runVirtual(async () => {
      const controller = new AbortController();
      const fut = new Future<number>();
      const link = cancelOnAbort(fut, controller.signal);
      controller.abort('gone');
      expect(fut.cancelled()).toBe(true);
      link[Symbol.dispose]();

      const other = new AbortController();
      const kept = new Future<number>();
      const unlinked = cancelOnAbort(kept, other.signal);
      unlinked[Symbol.dispose]();
      other.abort();
      expect(kept.cancelled()).toBe(false);
      expect(cancelOnAbort(new Future(), AbortSignal.abort())).toBeDefined();
      expect(() => cancelOnAbort({} as never, other.signal)).toThrow(TypeError);
      expect(() => cancelOnAbort(kept, {} as never)).toThrow(TypeError);
    });
  });
});

describe('isCancellation', () => {
  test('CancelledError, and AbortErrors caused by one', async () => {
    expect(isCancellation(new CancelledError())).toBe(true);
    expect(isCancellation(new Error('x'))).toBe(false);
    expect(isCancellation(null)).toBe(false);
    const controller = new AbortController();
    controller.abort(new CancelledError('c'));
    const error = await nativeSleep(10, undefined, { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(isCancellation(error)).toBe(true);
    expect(isCancellation(new DOMException('plain abort', 'AbortError'))).toBe(false);
    using loop = new EventLoop();
    expect(loop.isClosed()).toBe(false);
  });
});

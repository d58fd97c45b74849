import { CancelledError, getRunningLoop, RuntimeError, TimeoutError } from '@aio/loop';
import { createTask, currentTask, sleep, Timeout, timeout, timeoutAt } from '@aio/tasks';
import { runVirtual } from './helpers';

describe('timeout', () => {
  test('expiry cancels the body and is reported as TimeoutError', async () => {
    await runVirtual(async () => {
      const events: string[] = [];
      let cm: Timeout | undefined;
      const attempt = timeout(1, async (t) => {
        cm = t;
        try {
          await sleep(10);
        } catch (e) {
          events.push(`body saw ${(e as Error).name}`);
          throw e;
        }
      });
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      const error = await attempt.catch((e: Error) => e);
      expect((error as Error).cause).toBeInstanceOf(CancelledError);
      expect(events).toEqual(['body saw CancelledError']);
      expect(cm!.expired()).toBe(true);
      expect(getRunningLoop().time()).toBe(1);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  test('in time: the result, no expiry; null never expires', async () => {
    await runVirtual(async () => {
      let cm: Timeout | undefined;
      await expect(
        timeout(5, async (t) => {
          cm = t;
          return await sleep(1, 'ok');
        }),
      ).resolves.toBe('ok');
      expect(cm!.expired()).toBe(false);
      await expect(timeout(null, () => sleep(1000, 'late but fine'))).resolves.toBe('late but fine');
    });
  });

  test('a cancellation from outside is not turned into TimeoutError', async () => {
    await runVirtual(async () => {
      const task = createTask(() => timeout(10, () => sleep(100)));
      await sleep(1);
      task.cancel('outside');
      await expect(task).rejects.toThrow(new CancelledError('outside'));
    });
  });

  test('nested timeouts: the inner expires, the outer does not; and the other way round', async () => {
    await runVirtual(async () => {
      const innerFirst = timeout(10, () =>
        timeout(1, () => sleep(5)).catch((e) => (e instanceof TimeoutError ? 'inner timed out' : 'other')),
      );
      await expect(innerFirst).resolves.toBe('inner timed out');
      const outerFirst = timeout(1, () => timeout(10, () => sleep(5)));
      await expect(outerFirst).rejects.toBeInstanceOf(TimeoutError);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  test('a body that suppresses the cancellation ends normally, expired() true', async () => {
    await runVirtual(async () => {
      let cm: Timeout | undefined;
      const result = await timeout(1, async (t) => {
        cm = t;
        try {
          await sleep(10);
        } catch {
          return 'suppressed';
        }
        return 'not reached';
      });
      expect(result).toBe('suppressed');
      expect(cm!.expired()).toBe(true);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  test('reschedule: extend, shorten, remove the deadline; when()', async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      await timeout(1, async (cm) => {
        expect(cm.when()).toBe(1);
        cm.reschedule(loop.time() + 5);
        await sleep(3);
        cm.reschedule(null);
        expect(cm.when()).toBeNull();
        await sleep(10);
      });
      expect(loop.time()).toBe(13);
      await expect(
        timeout(100, async (cm) => {
          cm.reschedule(loop.time()); // due now: expires on the next iteration
          await sleep(1);
        }),
      ).rejects.toBeInstanceOf(TimeoutError);
    });
  });

  test('timeoutAt takes a loop time; an unentered Timeout can be run later', async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      await expect(timeoutAt(loop.time() + 2, () => sleep(5))).rejects.toBeInstanceOf(TimeoutError);
      expect(loop.time()).toBe(2);
      const cm = timeout(3);
      expect(cm).toBeInstanceOf(Timeout);
      expect(cm.when()).toBe(5);
      await expect(cm.run(() => sleep(1, 'in time'))).resolves.toBe('in time');
      const at = timeoutAt(null);
      expect(at.when()).toBeNull();
    });
  });

  test('state errors: reschedule before entering or after exit; entering twice', async () => {
    await runVirtual(async () => {
      const cm = new Timeout(null);
      expect(() => cm.reschedule(1)).toThrow(new RuntimeError('Timeout has not been entered'));
      await cm.run(async () => {});
      expect(() => cm.reschedule(1)).toThrow(/Cannot change state of finished Timeout/);
      await expect(cm.run(async () => {})).rejects.toThrow('Timeout has already been entered');
      let expiredCm: Timeout | undefined;
      await timeout(1, async (t) => {
        expiredCm = t;
        await sleep(2);
      }).catch(() => {});
      expect(() => expiredCm!.reschedule(5)).toThrow(/expired/);
    });
  });

  test('outside a task: RuntimeError; bad arguments', async () => {
    expect(() => timeout(1)).toThrow(RuntimeError); // no running loop
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fromCallback = new Promise((resolve) =>
        loop.callSoon(() => {
          timeout(1, async () => {}).catch(resolve);
        }),
      );
      expect(await fromCallback).toBeInstanceOf(RuntimeError);
      expect(() => timeout(Number.NaN)).toThrow(RangeError);
      expect(() => timeout('1' as never)).toThrow(TypeError);
      await expect(timeout(1, 'body' as never)).rejects.toThrow(TypeError);
    });
  });
});

import { Future } from '@aio/futures';
import { CancelledError } from '@aio/loop';
import { createTask, shield, sleep } from '@aio/tasks';
import { runVirtual } from './helpers';

describe('shield', () => {
  test('gives the result of what it shields', async () => {
    await runVirtual(async () => {
      await expect(shield(() => sleep(1, 'value'))).resolves.toBe('value');
      const failing = shield(async () => {
        throw new Error('inner failed');
      });
      await expect(failing).rejects.toThrow('inner failed');
    });
  });

  test('cancelling the awaiting task does not cancel the shielded work', async () => {
    await runVirtual(async () => {
      let finished = false;
      const inner = createTask(async () => {
        await sleep(2);
        finished = true;
        return 'saved';
      });
      const outer = createTask(() => shield(inner));
      await sleep(1);
      outer.cancel();
      await expect(outer).rejects.toThrow(CancelledError);
      expect(inner.cancelled()).toBe(false);
      await expect(inner).resolves.toBe('saved');
      expect(finished).toBe(true);
    });
  });

  test('cancelling the shielded work itself cancels the outer future', async () => {
    await runVirtual(async () => {
      const inner = createTask(() => sleep(5));
      const outer = shield(inner);
      await sleep(0);
      inner.cancel();
      await expect(outer).rejects.toThrow(CancelledError);
      expect(outer.cancelled()).toBe(true);
    });
  });

  test('a done future is returned as it is', async () => {
    await runVirtual(async () => {
      const done = new Future<number>();
      done.setResult(3);
      expect(shield(done)).toBe(done);
    });
  });

  test('an error after the outer was cancelled is marked retrieved (not reported)', async () => {
    await runVirtual(async () => {
      const inner = createTask(async () => {
        await sleep(1);
        throw new Error('late');
      });
      const outer = shield(inner);
      outer.cancel();
      await sleep(2);
      expect(inner.exception()).toBeInstanceOf(Error);
    });
  });

  test('bad input', async () => {
    await runVirtual(async () => {
      expect(() => shield(1 as never)).toThrow(TypeError);
    });
  });
});

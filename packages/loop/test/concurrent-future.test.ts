// ConcurrentFuture, after CPython's test_concurrent_futures/test_future.py (FutureTests):
// states, cancel rules, set_running_or_notify_cancel, done callbacks, result/exception with
// timeouts; `result()`/`exception()` wait with a Promise instead of blocking.
import {
  CancelledError,
  ConcurrentFuture,
  InvalidStateError,
  type Logger,
  RuntimeError,
  setLogger,
  TimeoutError,
} from '@aio/loop';

type State = 'pending' | 'running' | 'cancelled' | 'finished';

/** A future in `state` (finished with 42, or failed with `error` if given). */
function futureIn(state: State, error?: unknown): ConcurrentFuture<number> {
  const f = new ConcurrentFuture<number>();
  if (state === 'running') f.setRunningOrNotifyCancel();
  if (state === 'cancelled') f.cancel();
  if (state === 'finished') {
    if (error === undefined) f.setResult(42);
    else f.setException(error);
  }
  return f;
}

function flags<T>(f: ConcurrentFuture<T>) {
  return { cancelled: f.cancelled(), running: f.running(), done: f.done() };
}

function recorder(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  const ignore = () => {};
  return { errors, debug: ignore, info: ignore, warn: ignore, error: (...a) => errors.push(a) };
}

afterEach(() => {
  setLogger(console);
  jest.useRealTimers();
});

describe('states', () => {
  test('a new future is pending', () => {
    const f = new ConcurrentFuture<number>();
    expect(flags(f)).toEqual({ cancelled: false, running: false, done: false });
    expect(String(f)).toBe('<ConcurrentFuture state=pending>');
  });

  test('running, cancelled and finished', () => {
    expect(flags(futureIn('running'))).toEqual({ cancelled: false, running: true, done: false });
    expect(flags(futureIn('cancelled'))).toEqual({ cancelled: true, running: false, done: true });
    expect(flags(futureIn('finished'))).toEqual({ cancelled: false, running: false, done: true });
    expect(flags(futureIn('finished', new Error('x')))).toEqual({
      cancelled: false,
      running: false,
      done: true,
    });
    expect(String(futureIn('running'))).toBe('<ConcurrentFuture state=running>');
    expect(String(futureIn('cancelled'))).toBe('<ConcurrentFuture state=cancelled>');
    expect(String(futureIn('finished'))).toBe('<ConcurrentFuture state=finished>');
  });
});

describe('cancel', () => {
  test('a pending future can be cancelled, and cancelling again still says true', () => {
    const f = futureIn('pending');
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.cancel()).toBe(true);
  });

  test('a running or finished future cannot', () => {
    for (const f of [futureIn('running'), futureIn('finished'), futureIn('finished', new Error('x'))]) {
      const before = flags(f);
      expect(f.cancel()).toBe(false);
      expect(flags(f)).toEqual(before);
    }
  });
});

describe('setRunningOrNotifyCancel', () => {
  test('pending becomes running: true', () => {
    const f = futureIn('pending');
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
  });

  test('cancelled: false, and it stays cancelled (the executor skips the call)', () => {
    const f = futureIn('cancelled');
    expect(f.setRunningOrNotifyCancel()).toBe(false);
    expect(flags(f)).toEqual({ cancelled: true, running: false, done: true });
  });

  test('running or finished: RuntimeError', () => {
    expect(() => futureIn('running').setRunningOrNotifyCancel()).toThrow(RuntimeError);
    expect(() => futureIn('finished').setRunningOrNotifyCancel()).toThrow(/unexpected state/);
  });
});

describe('setResult and setException', () => {
  test('from running or from pending', async () => {
    const running = futureIn('running');
    running.setResult(7);
    expect(await running.result()).toBe(7);
    const pending = futureIn('pending');
    pending.setResult(8);
    expect(await pending.result()).toBe(8);
  });

  test('a result: result() gives it, exception() gives null', async () => {
    const f = futureIn('finished');
    await expect(f.result()).resolves.toBe(42);
    await expect(f.exception()).resolves.toBeNull();
  });

  test('an exception: result() rejects with that very object, exception() returns it', async () => {
    const error = new TypeError('bad');
    const f = futureIn('finished', error);
    await expect(f.result()).rejects.toBe(error);
    await expect(f.exception()).resolves.toBe(error);
  });

  test('setting a done future again is an InvalidStateError, and changes nothing', async () => {
    for (const make of [() => futureIn('finished'), () => futureIn('finished', new Error('x'))]) {
      const f = make();
      expect(() => f.setResult(1)).toThrow(InvalidStateError);
      expect(() => f.setException(new Error('y'))).toThrow(InvalidStateError);
    }
    const finished = futureIn('finished');
    expect(() => finished.setException(new Error('late'))).toThrow(/FINISHED/);
    await expect(finished.result()).resolves.toBe(42);
    const cancelled = futureIn('cancelled');
    expect(() => cancelled.setResult(1)).toThrow(InvalidStateError);
    expect(() => cancelled.setException(new Error('y'))).toThrow(InvalidStateError);
    expect(cancelled.cancelled()).toBe(true);
  });

  test('result() and exception() of a cancelled future reject with CancelledError', async () => {
    const f = futureIn('cancelled');
    await expect(f.result()).rejects.toThrow(CancelledError);
    await expect(f.exception()).rejects.toThrow(CancelledError);
  });
});

describe('waiting: result() and exception()', () => {
  test('wait until the future completes; every waiter wakes', async () => {
    const f = futureIn('running');
    const waiting = [f.result(), f.result(), f.exception()];
    f.setResult(5);
    await expect(Promise.all(waiting)).resolves.toEqual([5, 5, null]);
  });

  test('a cancel wakes the waiters with CancelledError', async () => {
    const f = futureIn('pending');
    const waiting = f.result();
    f.cancel();
    await expect(waiting).rejects.toThrow(CancelledError);
  });

  test('timeout: TimeoutError if it is not done in time; the future is unaffected', async () => {
    const f = futureIn('running');
    await expect(f.result(0)).rejects.toThrow(TimeoutError);
    await expect(f.exception(0.001)).rejects.toThrow(TimeoutError);
    await expect(f.result(-1)).rejects.toThrow(TimeoutError);
    expect(f.running()).toBe(true);
    const later = f.result(60);
    f.setResult(3);
    await expect(later).resolves.toBe(3);
    await expect(f.result(0)).resolves.toBe(3);
  });

  test('a done future answers at once, whatever the timeout', async () => {
    await expect(futureIn('finished').result(0)).resolves.toBe(42);
    await expect(futureIn('finished').exception(-5)).resolves.toBeNull();
  });

  test('a timeout that is not a number (or NaN) is a TypeError', async () => {
    const f = futureIn('pending');
    await expect(f.result('1' as never)).rejects.toThrow(TypeError);
    await expect(f.exception(Number.NaN)).rejects.toThrow(TypeError);
  });

  test('timeouts beyond setTimeout’s 24.8-day limit are honoured; Infinity waits forever', async () => {
    jest.useFakeTimers();
    const f = futureIn('running');
    const thirtyDays = 30 * 24 * 3600;
    let outcome = 'waiting';
    void f.result(thirtyDays).then(
      () => (outcome = 'resolved'),
      (e: unknown) => (outcome = (e as Error).name),
    );
    let forever = 'waiting';
    void f.result(Number.POSITIVE_INFINITY).catch((e: unknown) => (forever = (e as Error).name));
    await jest.advanceTimersByTimeAsync(1000);
    expect(outcome).toBe('waiting');
    await jest.advanceTimersByTimeAsync((thirtyDays - 2) * 1000);
    expect(outcome).toBe('waiting');
    await jest.advanceTimersByTimeAsync(2000);
    expect(outcome).toBe('TimeoutError');
    await jest.advanceTimersByTimeAsync(365 * 24 * 3600 * 1000);
    expect(forever).toBe('waiting');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('addDoneCallback', () => {
  test('callbacks run synchronously on completion, in order, with the future', () => {
    const f = futureIn('running');
    const calls: unknown[] = [];
    f.addDoneCallback((g) => calls.push(['a', g]));
    f.addDoneCallback((g) => calls.push(['b', g.done()]));
    expect(calls).toEqual([]);
    f.setResult(1);
    expect(calls).toEqual([
      ['a', f],
      ['b', true],
    ]);
  });

  test('on cancel and on exception too, each callback once', () => {
    for (const complete of [
      (f: ConcurrentFuture<number>) => f.cancel(),
      (f: ConcurrentFuture<number>) => f.setException(new Error('x')),
    ]) {
      const f = futureIn('pending');
      const calls: boolean[] = [];
      f.addDoneCallback((g) => calls.push(g.cancelled()));
      complete(f);
      f.cancel();
      expect(calls).toHaveLength(1);
    }
  });

  test('a callback added to a done future runs at once', () => {
    for (const state of ['finished', 'cancelled'] as const) {
      const f = futureIn(state);
      const calls: unknown[] = [];
      f.addDoneCallback((g) => calls.push(g));
      expect(calls).toEqual([f]);
    }
  });

  test('a callback added by a callback runs too', () => {
    const f = futureIn('running');
    const calls: string[] = [];
    f.addDoneCallback((g) => {
      calls.push('outer');
      g.addDoneCallback(() => calls.push('inner'));
    });
    f.setResult(1);
    expect(calls).toEqual(['outer', 'inner']);
  });

  test('an error in a callback is logged, not thrown; the other callbacks still run', () => {
    const log = recorder();
    setLogger(log);
    const f = futureIn('running');
    const error = new Error('callback failed');
    const calls: string[] = [];
    f.addDoneCallback(() => {
      throw error;
    });
    f.addDoneCallback(() => calls.push('second'));
    expect(() => f.setResult(1)).not.toThrow();
    expect(calls).toEqual(['second']);
    expect(log.errors).toEqual([
      [expect.stringMatching(/exception calling callback for <ConcurrentFuture/), error],
    ]);
    expect(() =>
      f.addDoneCallback(() => {
        throw error;
      }),
    ).not.toThrow();
    expect(log.errors).toHaveLength(2);
  });

  test('fn must be a function', () => {
    expect(() => futureIn('pending').addDoneCallback(null as never)).toThrow(TypeError);
    expect(() => futureIn('finished').addDoneCallback('x' as never)).toThrow(TypeError);
  });
});

describe('then (PromiseLike)', () => {
  test('await gives the result, or throws the exception or CancelledError', async () => {
    const ok = futureIn('running');
    setImmediate(() => ok.setResult(9));
    expect(await ok).toBe(9);
    const error = new RangeError('r');
    await expect((async () => await futureIn('finished', error))()).rejects.toBe(error);
    await expect((async () => await futureIn('cancelled'))()).rejects.toThrow(CancelledError);
  });

  test('then(onFulfilled, onRejected) chains like a promise', async () => {
    await expect(futureIn('finished').then((v) => v + 1)).resolves.toBe(43);
    await expect(futureIn('finished', new Error('e')).then(null, (e) => (e as Error).message)).resolves.toBe(
      'e',
    );
    await expect(futureIn('finished').then()).resolves.toBe(42);
    await expect(Promise.resolve(futureIn('finished'))).resolves.toBe(42);
  });
});

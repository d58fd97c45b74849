import v8 from 'node:v8';
import vm from 'node:vm';
import { chainFuture, Future, isFuture, wrapFuture } from '@aio/futures';
import {
  type BaseEventLoop,
  CancelledError,
  ConcurrentFuture,
  ContextVar,
  EventLoop,
  type ExceptionContext,
  InvalidStateError,
  RuntimeError,
  VirtualTimeEventLoop,
} from '@aio/loop';

/** A loop without the ready-queue fast path: futures must work through plain callSoon. */
class PlainCallSoonLoop extends VirtualTimeEventLoop {
  override _callSoonRunnable = undefined as never;
}

const loopKinds: [string, () => BaseEventLoop][] = [
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
  ['a loop without the runnable fast path', () => new PlainCallSoonLoop()],
];

describe.each(loopKinds)('Future on %s', (_name, makeLoop) => {
  let loop: BaseEventLoop;
  beforeEach(() => {
    loop = makeLoop();
  });
  afterEach(() => loop.close());

  test('a new future is pending; result() and exception() refuse', () => {
    const fut = new Future<number>({ loop });
    expect(fut.done()).toBe(false);
    expect(fut.cancelled()).toBe(false);
    expect(fut.getLoop()).toBe(loop);
    expect(() => fut.result()).toThrow(InvalidStateError);
    expect(() => fut.exception()).toThrow('Exception is not set.');
    expect(String(fut)).toBe('<Future pending>');
  });

  test('setResult completes it once', () => {
    const fut = new Future<number>({ loop });
    fut.setResult(42);
    expect(fut.done()).toBe(true);
    expect(fut.result()).toBe(42);
    expect(fut.exception()).toBeNull();
    expect(() => fut.setResult(1)).toThrow(InvalidStateError);
    expect(() => fut.setException(new Error())).toThrow(/FINISHED/);
    expect(fut.cancel()).toBe(false);
  });

  test('setException: result() throws it, exception() returns it', () => {
    const fut = new Future<number>({ loop });
    const error = new TypeError('bad');
    fut.setException(error);
    expect(fut.exception()).toBe(error);
    expect(() => fut.result()).toThrow(error);
  });

  test('cancel(msg): CancelledError with the message; only once', () => {
    const fut = new Future({ loop });
    expect(fut.cancel('stop it')).toBe(true);
    expect(fut.cancelled()).toBe(true);
    expect(fut.done()).toBe(true);
    expect(fut.cancel()).toBe(false);
    expect(() => fut.result()).toThrow(new CancelledError('stop it'));
    expect(() => fut.exception()).toThrow(CancelledError);
    expect(() => fut.setResult(1)).toThrow(/CANCELLED/);
  });

  test('done callbacks run from the loop, in order, never synchronously', async () => {
    const fut = new Future<string>({ loop });
    const calls: string[] = [];
    fut.addDoneCallback((f) => calls.push(`a:${f.result()}`));
    fut.addDoneCallback((f) => calls.push(`b:${f.result()}`));
    fut.setResult('x');
    expect(calls).toEqual([]);
    fut.addDoneCallback(() => calls.push('late'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(calls).toEqual(['a:x', 'b:x', 'late']);
  });

  test('removeDoneCallback removes every registration and counts them', async () => {
    const fut = new Future({ loop });
    const calls: string[] = [];
    const cb = () => calls.push('cb');
    fut.addDoneCallback(cb);
    fut.addDoneCallback(() => calls.push('other'));
    fut.addDoneCallback(cb);
    expect(fut.removeDoneCallback(cb)).toBe(2);
    expect(fut.removeDoneCallback(cb)).toBe(0);
    fut.setResult(null);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(calls).toEqual(['other']);
  });

  test('a done callback runs in the context it was added from', async () => {
    const v = new ContextVar<string>('v', { default: 'root' });
    const fut = new Future({ loop });
    const seen: string[] = [];
    const ctx = (await import('@aio/loop')).copyContext();
    ctx.run(() => v.set('inside'));
    fut.addDoneCallback(() => seen.push(v.get()), { context: ctx });
    fut.addDoneCallback(() => seen.push(v.get()));
    fut.setResult(1);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual(['inside', 'root']);
  });

  test('a throwing done callback goes to the exception handler; the others still run', async () => {
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => contexts.push(c));
    const fut = new Future({ loop });
    const calls: string[] = [];
    fut.addDoneCallback(function broken() {
      throw new Error('cb failed');
    });
    fut.addDoneCallback(() => calls.push('second'));
    fut.setResult(1);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(calls).toEqual(['second']);
    expect(contexts[0]!.message).toMatch(/^Exception in callback broken/);
    expect(contexts[0]!.future).toBe(fut);
  });

  test('await gives the result, the error, or the CancelledError with its message', async () => {
    const ok = new Future<number>({ loop });
    const bad = new Future<number>({ loop });
    const gone = new Future<number>({ loop });
    loop.callSoon(() => {
      ok.setResult(7);
      bad.setException(new Error('nope'));
      gone.cancel('bye');
    });
    const outcome = loop.runUntilComplete(async () => {
      const results: unknown[] = [await ok];
      try {
        await bad;
      } catch (e) {
        results.push((e as Error).message);
      }
      try {
        await gone;
      } catch (e) {
        results.push(e instanceof CancelledError ? `cancelled:${(e as Error).message}` : e);
      }
      return results;
    });
    // runUntilComplete needs a Task for a coroutine function: without @aio/tasks it refuses.
    await expect(outcome).rejects.toThrow(/@aio\/tasks/);
    const all = loop.runUntilComplete(
      (async () => {
        const results: unknown[] = [await ok];
        await bad.then(undefined, (e: unknown) => results.push((e as Error).message));
        await gone.then(undefined, (e: unknown) => results.push(`cancelled:${(e as Error).message}`));
        return results;
      })(),
    );
    await expect(all).resolves.toEqual([7, 'nope', 'cancelled:bye']);
  });

  test('awaiting a done future does not wait for the loop', async () => {
    const fut = new Future<number>({ loop });
    fut.setResult(3);
    await expect(fut).resolves.toBe(3);
  });

  test('then() chains like a promise', async () => {
    const fut = new Future<number>({ loop });
    const doubled = fut.then((v) => v * 2);
    const failed = expect(
      fut.then(() => {
        throw new Error('in handler');
      }),
    ).rejects.toThrow('in handler');
    loop.callSoon(() => fut.setResult(21));
    await loop.runUntilComplete(fut);
    await expect(doubled).resolves.toBe(42);
    await failed;
  });

  test('loop.createFuture() makes a Future once @aio/futures is imported', () => {
    const fut = loop.createFuture<number>();
    expect(fut).toBeInstanceOf(Future);
    expect(fut.getLoop()).toBe(loop);
  });

  test('runUntilComplete: result, error, foreign future, early stop', async () => {
    const fut = new Future<string>({ loop });
    loop.callSoon(() => fut.setResult('done'));
    await expect(loop.runUntilComplete(fut)).resolves.toBe('done');

    const failing = new Future({ loop });
    loop.callSoon(() => failing.setException(new RangeError('r')));
    await expect(loop.runUntilComplete(failing)).rejects.toThrow(RangeError);

    const other = new VirtualTimeEventLoop();
    await expect(loop.runUntilComplete(new Future({ loop: other }))).rejects.toThrow(/different loop/);
    other.close();

    const never = new Future({ loop });
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(never)).rejects.toThrow(
      new RuntimeError('Event loop stopped before Future completed.'),
    );
    await expect(loop.runUntilComplete(42 as never)).rejects.toThrow(TypeError);
  });

  test('addDoneCallback with a non-function is a TypeError', () => {
    const fut = new Future({ loop });
    expect(() => fut.addDoneCallback('x' as never)).toThrow(TypeError);
  });
});

describe('Future without a loop', () => {
  test('new Future() outside a running loop is a RuntimeError', () => {
    expect(() => new Future()).toThrow(RuntimeError);
  });

  test('new Future() inside a running loop binds to it', async () => {
    using loop = new VirtualTimeEventLoop();
    let fut: Future | undefined;
    loop.callSoon(() => {
      fut = new Future();
      loop.stop();
    });
    await loop.runForever();
    expect(fut!.getLoop()).toBe(loop);
  });
});

describe('isFuture', () => {
  test('recognises futures by brand, not by class', () => {
    using loop = new VirtualTimeEventLoop();
    expect(isFuture(new Future({ loop }))).toBe(true);
    expect(isFuture(Promise.resolve())).toBe(false);
    expect(isFuture({ then() {} })).toBe(false);
    expect(isFuture(null)).toBe(false);
    expect(isFuture({ [Symbol.for('aio.future')]: true })).toBe(true);
  });
});

describe('wrapFuture and chainFuture', () => {
  let loop: VirtualTimeEventLoop;
  beforeEach(() => {
    loop = new VirtualTimeEventLoop();
  });
  afterEach(() => loop.close());

  test('a Future is returned as it is', () => {
    const fut = new Future({ loop });
    expect(wrapFuture(fut)).toBe(fut);
  });

  test('a promise becomes a Future that follows it', async () => {
    const ok = wrapFuture(Promise.resolve(5), { loop });
    const bad = wrapFuture(Promise.reject(new Error('p')), { loop });
    await expect(loop.runUntilComplete(ok)).resolves.toBe(5);
    await expect(loop.runUntilComplete(bad)).rejects.toThrow('p');
  });

  test('a ConcurrentFuture: result, error, and cancel both ways', async () => {
    const cf = new ConcurrentFuture<number>();
    const fut = wrapFuture(cf, { loop });
    loop.callSoon(() => {
      cf.setRunningOrNotifyCancel();
      cf.setResult(9);
    });
    await expect(loop.runUntilComplete(fut)).resolves.toBe(9);

    const queued = new ConcurrentFuture<number>();
    const wrapped = wrapFuture(queued, { loop });
    wrapped.cancel();
    await loop.runUntilIdle();
    expect(queued.cancelled()).toBe(true);

    const cancelledAtSource = new ConcurrentFuture<number>();
    const follower = wrapFuture(cancelledAtSource, { loop });
    cancelledAtSource.cancel();
    await expect(loop.runUntilComplete(follower)).rejects.toThrow(CancelledError);
  });

  test('chainFuture copies state into a ConcurrentFuture and a Future', async () => {
    const source = new Future<string>({ loop });
    const cf = new ConcurrentFuture<string>();
    const fut = new Future<string>({ loop });
    chainFuture(source, cf);
    chainFuture(source, fut);
    loop.callSoon(() => source.setResult('s'));
    await loop.runUntilComplete(fut);
    await expect(cf.result(1)).resolves.toBe('s');
    expect(fut.result()).toBe('s');
  });

  test('cancelling the destination cancels the source', async () => {
    const source = new Future<string>({ loop });
    const destination = new Future<string>({ loop });
    chainFuture(source, destination);
    destination.cancel();
    await loop.runUntilIdle();
    expect(source.cancelled()).toBe(true);
  });

  test('bad input is a TypeError naming the argument', () => {
    expect(() => wrapFuture(42 as never, { loop })).toThrow(TypeError);
    expect(() => chainFuture({} as never, new Future({ loop }))).toThrow(/source/);
    expect(() => chainFuture(new Future({ loop }), {} as never)).toThrow(/destination/);
  });
});

describe('never-retrieved exceptions', () => {
  test('are reported to the loop when the future is collected', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    using loop = new VirtualTimeEventLoop();
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => contexts.push(c));
    (() => {
      new Future({ loop }).setException(new Error('lost'));
      const seen = new Future({ loop });
      seen.setException(new Error('seen'));
      seen.exception();
    })();
    for (let i = 0; i < 10 && contexts.length === 0; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.message).toBe('Future exception was never retrieved');
    expect((contexts[0]!.exception as Error).message).toBe('lost');
  });
});

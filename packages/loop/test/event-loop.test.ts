import {
  type BaseEventLoop,
  EventLoop,
  type ExceptionContext,
  getRunningLoop,
  type Logger,
  RuntimeError,
  setLogger,
  VirtualTimeEventLoop,
} from '@aio/loop';

/** Collects what @aio logs, for the duration of one test. */
function captureLog(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...a: unknown[]) =>
      lines.push(
        `${level}: ${a.map((x) => (x instanceof Error ? `${x.name}: ${x.message}` : String(x))).join(' ')}`,
      );
  const capture: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  setLogger(capture);
  return { lines, restore: () => setLogger(console) };
}

const loopKinds: [string, () => BaseEventLoop][] = [
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
];

describe.each(loopKinds)('%s scheduling', (_name, makeLoop) => {
  let loop: BaseEventLoop;
  beforeEach(() => {
    loop = makeLoop();
  });
  afterEach(() => {
    if (!loop.isRunning()) loop.close();
  });

  test('callSoon runs callbacks in FIFO order and returns a Handle', async () => {
    const order: number[] = [];
    for (let i = 0; i < 5; i++) loop.callSoon(() => order.push(i));
    const h = loop.callSoon(() => loop.stop());
    expect(h.cancelled()).toBe(false);
    await loop.runForever();
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  test('callbacks scheduled by a batch run in the next batch, after microtasks', async () => {
    const order: string[] = [];
    loop.callSoon(() => {
      order.push('a');
      loop.callSoon(() => {
        order.push('c');
        loop.stop();
      });
      void Promise.resolve().then(() => order.push('microtask'));
    });
    loop.callSoon(() => order.push('b'));
    await loop.runForever();
    expect(order).toEqual(['a', 'b', 'microtask', 'c']);
  });

  test('a cancelled handle does not run; disposing a handle cancels it', async () => {
    const ran: string[] = [];
    const h = loop.callSoon(() => ran.push('cancelled'));
    h.cancel();
    h.cancel();
    {
      using _disposed = loop.callSoon(() => ran.push('disposed'));
    }
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(ran).toEqual([]);
    expect(h.cancelled()).toBe(true);
  });

  test('timers fire by deadline; equal deadlines fire in scheduling order', async () => {
    const order: string[] = [];
    loop.callLater(0.03, () => order.push('30ms'));
    loop.callLater(0.01, () => order.push('10ms-a'));
    loop.callLater(0.01, () => order.push('10ms-b'));
    loop.callAt(loop.time() + 0.02, () => order.push('20ms'));
    loop.callLater(0.04, () => loop.stop());
    const start = loop.time();
    await loop.runForever();
    expect(order).toEqual(['10ms-a', '10ms-b', '20ms', '30ms']);
    expect(loop.time() - start).toBeGreaterThanOrEqual(0.04);
  });

  test('TimerHandle.when() is the deadline; a cancelled timer never fires', async () => {
    const fired: string[] = [];
    const t = loop.callAt(loop.time() + 0.01, () => fired.push('t'));
    expect(t.when()).toBeCloseTo(loop.time() + 0.01, 2);
    t.cancel();
    expect(t.cancelled()).toBe(true);
    loop.callLater(0.02, () => loop.stop());
    await loop.runForever();
    expect(fired).toEqual([]);
  });

  test('zero and negative delays run in the next batch, ready callbacks keep their order', async () => {
    const order: string[] = [];
    loop.callLater(-1, () => order.push('negative'));
    loop.callSoon(() => order.push('soon'));
    loop.callLater(0, () => {
      order.push('zero');
      loop.stop();
    });
    await loop.runForever();
    expect(order).toEqual(['soon', 'negative', 'zero']);
  });

  test('stop() inside a batch lets the batch finish, then runForever settles', async () => {
    const order: string[] = [];
    loop.callSoon(() => {
      order.push('first');
      loop.stop();
      loop.callSoon(() => order.push('next batch'));
    });
    loop.callSoon(() => order.push('same batch'));
    await loop.runForever();
    expect(order).toEqual(['first', 'same batch']);
    expect(loop.isRunning()).toBe(false);
    // The loop can run again and picks up what was left.
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(order).toEqual(['first', 'same batch', 'next batch']);
  });

  test('stop() before runForever runs exactly one iteration', async () => {
    const order: string[] = [];
    loop.callSoon(() => {
      order.push('one');
      loop.callSoon(() => order.push('two'));
    });
    loop.stop();
    await loop.runForever();
    expect(order).toEqual(['one']);
  });

  test('getRunningLoop() inside callbacks and microtasks; RuntimeError outside', async () => {
    expect(() => getRunningLoop()).toThrow(RuntimeError);
    const seen: unknown[] = [];
    loop.callSoon(() => {
      seen.push(getRunningLoop());
      void Promise.resolve().then(() => {
        seen.push(getRunningLoop());
        loop.stop();
      });
    });
    await loop.runForever();
    expect(seen).toEqual([loop, loop]);
    expect(() => getRunningLoop()).toThrow('no running event loop');
  });

  test('runForever refuses a running loop, a closed loop, and a second loop', async () => {
    const other = makeLoop();
    let inner: unknown[] = [];
    loop.callSoon(() => {
      inner = [
        (() => {
          try {
            void loop.runForever();
          } catch (e) {
            return e;
          }
        })(),
        (() => {
          try {
            void other.runForever();
          } catch (e) {
            return e;
          }
        })(),
        (() => {
          try {
            loop.close();
          } catch (e) {
            return e;
          }
        })(),
      ];
      loop.stop();
    });
    await loop.runForever();
    expect(inner[0]).toBeInstanceOf(RuntimeError);
    expect((inner[0] as Error).message).toMatch(/already running/);
    expect((inner[1] as Error).message).toMatch(/another loop is running/);
    expect((inner[2] as Error).message).toMatch(/running event loop/);
    other.close();
    expect(() => other.runForever()).toThrow('Event loop is closed');
  });

  test('close() drops pending callbacks and timers; scheduling afterwards throws', () => {
    const ran: string[] = [];
    loop.callSoon(() => ran.push('soon'));
    const t = loop.callLater(10, () => ran.push('later'));
    loop.close();
    loop.close();
    expect(loop.isClosed()).toBe(true);
    expect(ran).toEqual([]);
    expect(t.cancelled()).toBe(false);
    expect(() => loop.callSoon(() => {})).toThrow(RuntimeError);
    expect(() => loop.callSoonThreadsafe(() => {})).toThrow('Event loop is closed');
    expect(() => loop.callLater(1, () => {})).toThrow(RuntimeError);
    expect(() => loop.callAt(1, () => {})).toThrow(RuntimeError);
  });

  test('bad arguments get clear errors and schedule nothing', async () => {
    expect(() => loop.callSoon(42 as unknown as () => void)).toThrow(
      new TypeError('callSoon: callback must be a function, got number 42'),
    );
    expect(() => loop.callLater(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => loop.callLater(Number.NaN, () => {})).toThrow('delay must not be NaN');
    expect(() => loop.callLater('1' as unknown as number, () => {})).toThrow(TypeError);
    expect(() => loop.callAt(Number.NaN, () => {})).toThrow('when must not be NaN');
    expect(() => loop.callLater(1, null as unknown as () => void)).toThrow(TypeError);
    expect(() => loop.setExceptionHandler('x' as never)).toThrow(TypeError);
    expect(() => loop.setTaskFactory(1 as never)).toThrow(TypeError);
    expect(loop._ready.length).toBe(0);
    expect(loop._timers.size).toBe(0);
  });

  test('a throwing callback goes to the exception handler and the loop goes on', async () => {
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((l, ctx) => {
      expect(l).toBe(loop);
      contexts.push(ctx);
    });
    expect(loop.getExceptionHandler()).not.toBeNull();
    const boom = new Error('boom');
    const h = loop.callSoon(function failing() {
      throw boom;
    });
    const after: string[] = [];
    loop.callSoon(() => {
      after.push('still running');
      loop.stop();
    });
    await loop.runForever();
    expect(after).toEqual(['still running']);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.exception).toBe(boom);
    expect(contexts[0]!.handle).toBe(h);
    expect(contexts[0]!.message).toBe('Exception in callback failing()');
  });

  test('without a handler, errors are logged; a failing handler is logged too', async () => {
    const log = captureLog();
    try {
      loop.callSoon(() => {
        throw new Error('first');
      });
      loop.callSoon(() => loop.stop());
      await loop.runForever();
      loop.setExceptionHandler(() => {
        throw new Error('handler broke');
      });
      loop.callSoon(() => {
        throw new Error('second');
      });
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    } finally {
      log.restore();
    }
    expect(log.lines[0]).toMatch(/^error: Exception in callback .*Error: first$/s);
    expect(log.lines[1]).toMatch(/^error: Unhandled error in exception handler/);
    expect(log.lines[1]).toMatch(/handler broke/);
    loop.setExceptionHandler(null);
    expect(loop.getExceptionHandler()).toBeNull();
  });

  test('debug mode: slow callbacks are logged and handles keep their creation stack', async () => {
    expect(loop.getDebug()).toBe(false);
    loop.setDebug(true);
    expect(loop.getDebug()).toBe(true);
    loop.slowCallbackDuration = 0;
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => contexts.push(ctx));
    const log = captureLog();
    try {
      loop.callSoon(function throwsInDebug() {
        throw new Error('x');
      });
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    } finally {
      log.restore();
    }
    expect(log.lines.some((l) => /^warn: Executing <Handle .*> took \d+\.\d{3} seconds$/.test(l))).toBe(true);
    expect(contexts[0]!.sourceTraceback).toMatch(/event-loop\.test\.ts/);
  });

  test('callSoonThreadsafe from a native Node callback wakes an idle loop', async () => {
    const seen: string[] = [];
    loop.callSoon(() => {
      setImmediate(() => {
        loop.callSoonThreadsafe(() => {
          seen.push('woken');
          loop.stop();
        });
      });
    });
    await loop.runForever();
    expect(seen).toEqual(['woken']);
  });

  test('cancelled timers do not pile up in the heap', async () => {
    const timers = Array.from({ length: 1000 }, (_, i) => loop.callLater(100 + i, () => {}));
    for (const t of timers.slice(0, 900)) t.cancel();
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(loop._timers.size).toBe(100);
    for (const t of timers.slice(900)) t.cancel();
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(loop._timers.size).toBe(0);
  });

  test('createFuture/createTask explain which package to import', () => {
    expect(loop.createFuture).toBeDefined();
    expect(loop.getTaskFactory()).toBeNull();
    expect(() => loop.createTask(async () => 1)).toThrow(/import '@aio\/tasks'/);
    expect(() => loop.createTask(5 as never)).toThrow(TypeError);
  });

  test('a loop is Disposable: `using` closes it', () => {
    let captured: BaseEventLoop;
    {
      using l = makeLoop();
      captured = l;
    }
    expect(captured.isClosed()).toBe(true);
  });

  test('shutdownAsyncgens is a no-op', async () => {
    await expect(loop.shutdownAsyncgens()).resolves.toBeUndefined();
  });
});

describe('AIO_DEBUG', () => {
  const saved = process.env.AIO_DEBUG;
  afterEach(() => {
    if (saved === undefined) delete process.env.AIO_DEBUG;
    else process.env.AIO_DEBUG = saved;
  });
  test.each([
    ['1', true],
    ['yes', true],
    ['', false],
    ['0', false],
    ['false', false],
  ])('AIO_DEBUG=%j gives debug %s', (value, expected) => {
    process.env.AIO_DEBUG = value;
    using loop = new EventLoop();
    expect(loop.getDebug()).toBe(expected);
  });
});

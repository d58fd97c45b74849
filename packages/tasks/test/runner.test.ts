import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  _getCurrentLoopHook,
  _setCurrentLoopHook,
  type AbstractEventLoop,
  ContextVar,
  type CurrentLoopHook,
  EventLoop,
  getRunningLoop,
  RuntimeError,
  VirtualTimeEventLoop,
} from '@aio/loop';
import { allTasks, createTask, currentTask, Runner, run, sleep } from '@aio/tasks';

const virtual = { loopFactory: () => new VirtualTimeEventLoop() };

describe('run', () => {
  test('returns the result; rejects with the error; the loop is closed afterwards', async () => {
    let loop: ReturnType<typeof getRunningLoop> | undefined;
    await expect(
      run(async () => {
        loop = getRunningLoop();
        return 42;
      }),
    ).resolves.toBe(42);
    expect(loop!.isClosed()).toBe(true);
    await expect(
      run(async () => {
        throw new RangeError('main failed');
      }, virtual),
    ).rejects.toThrow('main failed');
  });

  test('cancels the tasks left over when main returns, and waits for them', async () => {
    const events: string[] = [];
    await run(async () => {
      createTask(async () => {
        try {
          await sleep(100);
        } finally {
          events.push('leftover cancelled and cleaned up');
        }
      });
      await sleep(0);
    }, virtual);
    expect(events).toEqual(['leftover cancelled and cleaned up']);
  });

  test('an error of a leftover task during shutdown goes to the exception handler', async () => {
    const messages: string[] = [];
    await run(async () => {
      getRunningLoop().setExceptionHandler((_l, ctx) => messages.push(ctx.message));
      createTask(async () => {
        try {
          await sleep(100);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
          throw new Error('fails while being cancelled');
        }
      });
      await sleep(0);
    }, virtual);
    expect(messages).toContain('unhandled exception during asyncio.run() shutdown');
  });

  test('refuses to nest, and non-functions', async () => {
    await run(async () => {
      await expect(run(async () => 1)).rejects.toThrow(RuntimeError);
    }, virtual);
    await expect(run('main' as never)).rejects.toThrow(TypeError);
  });

  test('the signal option cancels main', async () => {
    const controller = new AbortController();
    const attempt = run(
      async () => {
        getRunningLoop().callSoon(() => controller.abort('stop now'));
        await sleep(100);
      },
      { ...virtual, signal: controller.signal },
    );
    await expect(attempt).rejects.toThrow('stop now');
  });

  test('debug and loopFactory options', async () => {
    await run(
      async () => {
        expect(getRunningLoop().getDebug()).toBe(true);
        expect(getRunningLoop()).toBeInstanceOf(VirtualTimeEventLoop);
      },
      { ...virtual, debug: true },
    );
    await run(async () => expect(getRunningLoop()).toBeInstanceOf(EventLoop));
  });

  test('Ctrl-C cancels main, which cleans up, and run rejects with KeyboardInterrupt (real SIGINT, child process)', () => {
    const register = path.join(__dirname, '..', '..', '..', 'tools', 'ts-register.cjs');
    const script = path.join(__dirname, 'fixtures', 'sigint-main.ts');
    const out = execFileSync(process.execPath, ['-r', register, '-e', `require(${JSON.stringify(script)})`], {
      encoding: 'utf8',
      timeout: 15000,
    });
    expect(JSON.parse(out)).toEqual(['main cleaned up', 'KeyboardInterrupt', 'SIGINT listeners left: 0']);
  });
});

describe('Runner', () => {
  test('runs several coroutines on one loop, sharing one context', async () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    await using runner = new Runner(virtual);
    const loop = runner.getLoop();
    await runner.run(async () => {
      v.set('first');
    });
    // Every run uses the runner's one context (asyncio's Runner): a set in one run is seen by the next.
    await expect(runner.run(async () => v.get())).resolves.toBe('first');
    expect(v.get()).toBe('unset');
    await expect(runner.run(async () => getRunningLoop())).resolves.toBe(loop);
    await expect(runner.run(Promise.resolve('an awaitable'))).resolves.toBe('an awaitable');
  });

  test('close cancels leftovers, is idempotent; run after close is a RuntimeError', async () => {
    const runner = new Runner(virtual);
    let leftover: ReturnType<typeof createTask> | undefined;
    await runner.run(async () => {
      leftover = createTask(() => sleep(100));
      await sleep(0);
    });
    expect(leftover!.done()).toBe(false);
    await runner.close();
    await runner.close();
    expect(leftover!.cancelled()).toBe(true);
    await expect(runner.run(async () => 1)).rejects.toThrow('Runner is closed');
    expect(() => runner.getLoop()).toThrow(RuntimeError);
  });

  test('a context given to run() is used', async () => {
    const v = new ContextVar<string>('v2', { default: 'unset' });
    await using runner = new Runner(virtual);
    const ctx = (await import('@aio/loop')).copyContext();
    ctx.run(() => v.set('given'));
    await expect(runner.run(async () => v.get(), { context: ctx })).resolves.toBe('given');
  });

  test('shuts down the default executor on close', async () => {
    const runner = new Runner(virtual);
    await runner.run(async () => {
      await getRunningLoop().runInExecutor(null, () => 1 + 1);
    });
    const loop = runner.getLoop();
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(RuntimeError);
  });

  test('bad arguments', async () => {
    expect(() => new Runner({ loopFactory: 5 as never })).toThrow(TypeError);
    await using runner = new Runner(virtual);
    await expect(runner.run(42 as never)).rejects.toThrow(TypeError);
    await runner.run(async () => {
      expect(allTasks().has(currentTask()!)).toBe(true);
    });
  });
});

describe('Runner and the current-loop hook (@aio/policies installs it)', () => {
  let saved: CurrentLoopHook | null;
  let calls: string[];
  let current: AbstractEventLoop | null;
  let made: AbstractEventLoop[];

  beforeEach(() => {
    saved = _getCurrentLoopHook();
    calls = [];
    current = null;
    made = [];
    _setCurrentLoopHook({
      newEventLoop() {
        const loop = new VirtualTimeEventLoop();
        made.push(loop);
        calls.push('new');
        return loop;
      },
      setEventLoop(loop) {
        // Which loop, and whether the last loop made is closed at that moment.
        const state = made.at(-1)?.isClosed() ? 'closed' : 'open';
        calls.push(`set ${loop === null ? 'null' : made.indexOf(loop)}, ${state}`);
        current = loop;
      },
    });
  });
  afterEach(() => _setCurrentLoopHook(saved));

  test('without loopFactory, run() makes the loop through the hook, sets it current, unsets it before closing it', async () => {
    const seen = await run(async () => {
      calls.push('main');
      return [getRunningLoop(), current];
    });
    expect(seen).toEqual([made[0], made[0]]);
    expect(calls).toEqual(['new', 'set 0, open', 'main', 'set null, open']);
    expect(current).toBeNull();
    expect(made[0]!.isClosed()).toBe(true);
  });

  test('a Runner sets its loop once, however many runs; close unsets it after cancelling leftovers', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    expect(loop).toBe(made[0]);
    expect(current).toBe(loop);
    await runner.run(async () => {
      createTask(async () => {
        try {
          await sleep(100);
        } finally {
          calls.push(`leftover cancelled, current is ${current === loop ? 'the loop' : String(current)}`);
        }
      });
      await sleep(0);
    });
    await runner.run(async () => {});
    await runner.close();
    await runner.close();
    expect(calls).toEqual([
      'new',
      'set 0, open',
      'leftover cancelled, current is the loop',
      'set null, open',
    ]);
  });

  test('a loopFactory bypasses the hook; a Runner never used leaves it alone', async () => {
    await run(async () => {}, virtual);
    await new Runner().close();
    expect(calls).toEqual([]);
  });

  test('the hook removed: new EventLoop(), nothing set', async () => {
    _setCurrentLoopHook(null);
    await run(async () => expect(getRunningLoop()).toBeInstanceOf(EventLoop));
    expect(calls).toEqual([]);
  });

  test('close unsets through the hook that set the loop, even if another is installed since', async () => {
    const runner = new Runner();
    runner.getLoop();
    _setCurrentLoopHook(null);
    await runner.close();
    expect(calls).toEqual(['new', 'set 0, open', 'set null, open']);
  });
});

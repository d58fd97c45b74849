import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ContextVar, EventLoop, getRunningLoop, RuntimeError, VirtualTimeEventLoop } from '@aio/loop';
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

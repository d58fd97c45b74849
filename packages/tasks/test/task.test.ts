import { Future } from '@aio/futures';
import {
  CancelledError,
  ContextVar,
  copyContext,
  type ExceptionContext,
  RuntimeError,
  VirtualTimeEventLoop,
} from '@aio/loop';
import {
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  isCoroutine,
  run,
  sleep,
  Task,
} from '@aio/tasks';
import { loopKinds, nativeTick } from './helpers';

describe.each(loopKinds)('Task on %s', (_name, loopFactory) => {
  const inLoop = <T>(main: () => Promise<T>) => run(main, { loopFactory });

  test('runs its coroutine function on the next iteration and gives its result', async () => {
    const order: string[] = [];
    const result = await inLoop(async () => {
      const task = createTask(async () => {
        order.push('task');
        return 42;
      });
      order.push('created');
      expect(task.done()).toBe(false);
      const value = await task;
      expect(task.result()).toBe(42);
      return value;
    });
    expect(result).toBe(42);
    expect(order).toEqual(['created', 'task']);
  });

  test('an error thrown by the coroutine becomes the task exception', async () => {
    await inLoop(async () => {
      const boom = new TypeError('boom');
      const task = createTask(async () => {
        await sleep(0);
        throw boom;
      });
      await expect(task).rejects.toBe(boom);
      expect(task.exception()).toBe(boom);
    });
  });

  test('a synchronous throw or a plain return value also complete the task', async () => {
    await inLoop(async () => {
      const thrown = createTask((() => {
        throw new Error('sync');
      }) as () => Promise<never>);
      const plain = createTask((() => 'plain') as unknown as () => Promise<string>);
      await expect(thrown).rejects.toThrow('sync');
      await expect(plain).resolves.toBe('plain');
    });
  });

  test('cancel before the first step: the coroutine never runs', async () => {
    await inLoop(async () => {
      let ran = false;
      const task = createTask(async () => {
        ran = true;
      });
      expect(task.cancel('early')).toBe(true);
      expect(task.cancelling()).toBe(1);
      await expect(task).rejects.toThrow(new CancelledError('early'));
      expect(ran).toBe(false);
      expect(task.cancelled()).toBe(true);
      expect(task.cancel()).toBe(false);
    });
  });

  test('cancel while awaiting a future rejects that await at once, with the message', async () => {
    await inLoop(async () => {
      const events: string[] = [];
      const fut = new Future<number>();
      const task = createTask(async () => {
        try {
          await fut;
        } catch (e) {
          events.push(`${(e as Error).name}:${(e as Error).message}`);
          throw e;
        } finally {
          events.push('cleanup');
        }
      });
      await sleep(0);
      expect(task.cancel('go away')).toBe(true);
      expect(fut.cancelled()).toBe(true);
      await expect(task).rejects.toThrow(CancelledError);
      expect(events).toEqual(['CancelledError:go away', 'cleanup']);
      expect(() => task.result()).toThrow('go away');
    });
  });

  test('cancel while awaiting a native promise is delivered at the next @aio await', async () => {
    await inLoop(async () => {
      const events: string[] = [];
      const task = createTask(async () => {
        await nativeTick();
        events.push('after native await');
        try {
          await sleep(0);
          events.push('not reached');
        } catch (e) {
          events.push(`cancelled at sleep: ${e instanceof CancelledError}`);
          throw e;
        }
      });
      await sleep(0);
      task.cancel();
      await expect(task).rejects.toThrow(CancelledError);
      expect(events).toEqual(['after native await', 'cancelled at sleep: true']);
    });
  });

  test('a coroutine that returns while a cancel is pending ends cancelled', async () => {
    await inLoop(async () => {
      const task = createTask(async () => {
        await nativeTick();
        return 'value';
      });
      await sleep(0);
      task.cancel();
      await expect(task).rejects.toThrow(CancelledError);
      expect(task.cancelled()).toBe(true);
    });
  });

  test('a value already handed over is kept when a cancel arrives before the coroutine resumes', async () => {
    await inLoop(async () => {
      const loop = currentTask()!.getLoop();
      const fut = new Future<string>();
      const task = createTask(async () => await fut);
      await sleep(0);
      // Both in one loop iteration: the result reaches the task, then the cancel comes.
      loop.callSoon(() => fut.setResult('item'));
      loop.callSoon(() => loop.callSoon(() => task.cancel()));
      await expect(task).resolves.toBe('item');
    });
  });

  test('a task cancelling itself and returning ends cancelled, as in asyncio', async () => {
    await inLoop(async () => {
      const task = createTask(async () => {
        await sleep(0);
        currentTask()!.cancel('self');
        return 'ignored';
      });
      await expect(task).rejects.toThrow('self');
    });
  });

  test('a coroutine may suppress cancellation and go on', async () => {
    await inLoop(async () => {
      const task = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          expect(currentTask()!.cancelling()).toBe(1);
          currentTask()!.uncancel();
        }
        await sleep(0);
        return 'survived';
      });
      await sleep(0);
      task.cancel();
      await expect(task).resolves.toBe('survived');
      expect(task.cancelled()).toBe(false);
      expect(task.cancelling()).toBe(0);
    });
  });

  test('cancelling during cleanup: the cleanup await is cancelled too', async () => {
    await inLoop(async () => {
      const events: string[] = [];
      const task = createTask(async () => {
        try {
          await sleep(10);
        } finally {
          try {
            await sleep(10);
            events.push('cleanup finished');
          } catch (e) {
            events.push(`cleanup cancelled: ${(e as Error).message}`);
          }
        }
      });
      await sleep(0);
      task.cancel('first');
      await sleep(0);
      task.cancel('second');
      await expect(task).rejects.toThrow('first');
      expect(events).toEqual(['cleanup cancelled: second']);
      expect(task.cancelling()).toBe(2);
    });
  });

  test('cancelling a task that awaits another task cancels the inner one', async () => {
    await inLoop(async () => {
      const inner = createTask(() => sleep(10));
      const outer = createTask(async () => await inner);
      await sleep(0);
      outer.cancel('both');
      await expect(outer).rejects.toThrow('both');
      expect(inner.cancelled()).toBe(true);
    });
  });

  test('cancel racing completion: a done task cannot be cancelled', async () => {
    await inLoop(async () => {
      const task = createTask(async () => 'fast');
      await sleep(0);
      await sleep(0);
      expect(task.done()).toBe(true);
      expect(task.cancel()).toBe(false);
      expect(task.cancelling()).toBe(0);
      expect(task.result()).toBe('fast');
    });
  });

  test('uncancel() takes back an undelivered request (3.13)', async () => {
    await inLoop(async () => {
      let finished = false;
      const task = createTask(async () => {
        await nativeTick();
        await sleep(0);
        finished = true;
      });
      await sleep(0);
      task.cancel();
      expect(task.uncancel()).toBe(0);
      await task;
      expect(finished).toBe(true);
      expect(task.uncancel()).toBe(0);
    });
  });

  test('currentTask() follows the task across native awaits and is null outside tasks', async () => {
    await inLoop(async () => {
      const main = currentTask();
      expect(main).toBeInstanceOf(Task);
      const task = createTask(async () => {
        const before = currentTask();
        await nativeTick();
        await Promise.resolve();
        const after = currentTask();
        return before === after && after !== main;
      });
      await expect(task).resolves.toBe(true);
      const loop = task.getLoop();
      const outside = await new Promise((resolve) => loop.callSoon(() => resolve(currentTask())));
      expect(outside).toBeNull();
    });
    expect(() => currentTask()).toThrow(RuntimeError);
  });

  test('allTasks() lists the pending tasks; the loop holds them strongly', async () => {
    await inLoop(async () => {
      const a = createTask(() => sleep(1));
      const b = createTask(() => sleep(2));
      const all = allTasks();
      expect(all.has(a)).toBe(true);
      expect(all.has(b)).toBe(true);
      expect(all.has(currentTask()!)).toBe(true);
      await a;
      expect(allTasks().has(a)).toBe(false);
      b.cancel();
    });
  });

  test('names: Task-<n> by default, name option, setName', async () => {
    await inLoop(async () => {
      const unnamed = createTask(async () => {});
      expect(unnamed.getName()).toMatch(/^Task-\d+$/);
      const named = createTask(async () => {}, { name: 'worker' });
      expect(named.getName()).toBe('worker');
      named.setName(7);
      expect(named.getName()).toBe('7');
      expect(String(named)).toMatch(/^<Task pending name='7' coro=<.*>>$/);
      await named;
      await unnamed;
    });
  });

  test('each task runs in a copy of its creator context; a given context is shared', async () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    await inLoop(async () => {
      v.set('parent');
      const child = createTask(async () => {
        const seen = v.get();
        v.set('child');
        await sleep(0);
        return seen;
      });
      await expect(child).resolves.toBe('parent');
      expect(v.get()).toBe('parent');
      expect(child.getContext().get(v)).toBe('child');

      const shared = copyContext();
      const t1 = createTask(async () => v.set('from t1'), { context: shared });
      await t1;
      const t2 = createTask(async () => v.get(), { context: shared });
      await expect(t2).resolves.toBe('from t1');
      expect(t1.getContext()).toBe(shared);
    });
  });

  test('eagerStart runs the coroutine synchronously up to its first suspension', async () => {
    await inLoop(async () => {
      const order: string[] = [];
      const task = createTask(
        async () => {
          order.push('eager part');
          await sleep(0);
          order.push('rest');
        },
        { eagerStart: true },
      );
      order.push('after create');
      await task;
      expect(order).toEqual(['eager part', 'after create', 'rest']);
    });
  });

  test('eagerTaskFactory and createEagerTaskFactory start tasks eagerly', async () => {
    await inLoop(async () => {
      const loop = currentTask()!.getLoop();
      const order: string[] = [];
      loop.setTaskFactory(eagerTaskFactory);
      const t = createTask(async () => {
        order.push('eager');
      });
      order.push('after');
      await t;
      class NamedTask<T> extends Task<T> {}
      loop.setTaskFactory(createEagerTaskFactory(NamedTask));
      const custom = createTask(async () => 1);
      expect(custom).toBeInstanceOf(NamedTask);
      await custom;
      loop.setTaskFactory(null);
      expect(order).toEqual(['eager', 'after']);
      expect(() => createEagerTaskFactory(1 as never)).toThrow(TypeError);
    });
  });

  test('a Task cannot be completed from outside', async () => {
    await inLoop(async () => {
      const task = createTask(() => sleep(0));
      expect(() => task.setResult(undefined)).toThrow(RuntimeError);
      expect(() => task.setException(new Error())).toThrow(RuntimeError);
      await task;
    });
  });

  test('a task awaiting itself fails with RuntimeError instead of waiting forever', async () => {
    await inLoop(async () => {
      const self = createTask(async () => {
        await currentTask()!;
      });
      await expect(self).rejects.toThrow(/cannot await on itself/);
    });
  });

  test('a task awaiting a future of another loop fails with RuntimeError', async () => {
    const other = new VirtualTimeEventLoop();
    await inLoop(async () => {
      const foreign = new Future({ loop: other });
      const task = createTask(async () => await foreign);
      await expect(task).rejects.toThrow(/different loop/);
    });
    other.close();
  });

  test('never-retrieved task errors reach the exception handler with "Task exception was never retrieved"', async () => {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const contexts: ExceptionContext[] = [];
    await inLoop(async () => {
      currentTask()!
        .getLoop()
        .setExceptionHandler((_l, c) => contexts.push(c));
      (() => {
        createTask(async () => {
          throw new Error('nobody looks');
        });
      })();
      await sleep(0);
      await sleep(0);
      for (let i = 0; i < 10 && contexts.length === 0; i++) {
        gc();
        await nativeTick();
        await sleep(0);
      }
    });
    expect(contexts.map((c) => c.message)).toContain('Task exception was never retrieved');
  });
});

describe('createTask, ensureFuture, isCoroutine, sleep: arguments', () => {
  test('createTask outside a loop is a RuntimeError; a non-function a TypeError', async () => {
    expect(() => createTask(async () => {})).toThrow(RuntimeError);
    await run(
      async () => {
        expect(() => createTask(42 as never)).toThrow(TypeError);
        expect(() => createTask(Promise.resolve() as never)).toThrow(/coroutine function/);
        expect(() => new Task(null as never)).toThrow(TypeError);
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
  });

  test('ensureFuture: futures as they are, thunks as tasks, promises wrapped, else TypeError', async () => {
    await run(
      async () => {
        const fut = new Future<number>();
        expect(ensureFuture(fut)).toBe(fut);
        const task = ensureFuture(async () => 'thunk');
        expect(task).toBeInstanceOf(Task);
        await expect(task).resolves.toBe('thunk');
        const wrapped = ensureFuture(Promise.resolve('promise'));
        expect(wrapped).toBeInstanceOf(Future);
        await expect(wrapped).resolves.toBe('promise');
        expect(() => ensureFuture(5 as never)).toThrow(TypeError);
        const other = new VirtualTimeEventLoop();
        expect(() => ensureFuture(fut, { loop: other })).toThrow(RangeError);
        other.close();
        fut.cancel();
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
  });

  test('isCoroutine is true for promises and thenables, false for futures and values', async () => {
    await run(
      async () => {
        expect(isCoroutine(Promise.resolve())).toBe(true);
        expect(isCoroutine({ then() {} })).toBe(true);
        expect(isCoroutine(new Future())).toBe(false);
        expect(isCoroutine(async () => {})).toBe(false);
        expect(isCoroutine(null)).toBe(false);
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
  });

  test('sleep: virtual time passes exactly; result returned; bad delays rejected', async () => {
    await run(
      async () => {
        const loop = currentTask()!.getLoop();
        const start = loop.time();
        expect(await sleep(3600, 'later')).toBe('later');
        expect(loop.time() - start).toBe(3600);
        await expect(sleep(Number.NaN)).rejects.toThrow(RangeError);
        await expect(sleep('1' as never)).rejects.toThrow(TypeError);
        await sleep(-5);
        expect(loop.time() - start).toBe(3600);
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
    await expect(sleep(1)).rejects.toThrow(RuntimeError);
  });

  test('sleep(0) yields exactly one loop iteration, in FIFO order with other tasks', async () => {
    const order: string[] = [];
    await run(
      async () => {
        const worker = (name: string) => async () => {
          for (let i = 0; i < 3; i++) {
            order.push(`${name}${i}`);
            await sleep(0);
          }
        };
        const a = createTask(worker('a'));
        const b = createTask(worker('b'));
        await a;
        await b;
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  test('a cancelled sleep cancels its timer', async () => {
    await run(
      async () => {
        const loop = currentTask()!.getLoop() as VirtualTimeEventLoop;
        const sleeper = createTask(() => sleep(100));
        await sleep(0);
        expect(loop._timers.size).toBe(1);
        sleeper.cancel();
        await expect(sleeper).rejects.toThrow(CancelledError);
        await sleep(0);
        expect(loop.time()).toBe(0);
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
  });

  test('loop.createTask works once @aio/tasks is imported, with every option', async () => {
    await run(
      async () => {
        const loop = currentTask()!.getLoop();
        const task = loop.createTask(async () => 'x', { name: 'via-loop' });
        expect(task).toBeInstanceOf(Task);
        expect(task.getName()).toBe('via-loop');
        await expect(task).resolves.toBe('x');
      },
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
  });
});

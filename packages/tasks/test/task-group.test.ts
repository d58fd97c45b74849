import {
  CancelledError,
  ExceptionGroup,
  getRunningLoop,
  KeyboardInterrupt,
  RuntimeError,
  TimeoutError,
} from '@aio/loop';
import { createTask, currentTask, sleep, TaskGroup, taskGroup, timeout } from '@aio/tasks';
import { runVirtual } from './helpers';

describe('TaskGroup', () => {
  test('waits for every task; the body result is returned', async () => {
    await runVirtual(async () => {
      const done: string[] = [];
      const result = await taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(2);
          done.push('a');
        });
        tg.createTask(async () => {
          await sleep(1);
          done.push('b');
        });
        return 'body result';
      });
      expect(result).toBe('body result');
      expect(done).toEqual(['b', 'a']);
      expect(getRunningLoop().time()).toBe(2);
    });
  });

  test('the first failure cancels the siblings and the body; all errors in one ExceptionGroup', async () => {
    await runVirtual(async () => {
      const events: string[] = [];
      const attempt = new TaskGroup().run(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            events.push(`sibling ${(e as Error).name}`);
            throw e;
          }
        });
        tg.createTask(async () => {
          await sleep(1);
          throw new TypeError('first');
        });
        tg.createTask(async () => {
          await sleep(1);
          throw new RangeError('second');
        });
        try {
          await sleep(10);
        } catch (e) {
          events.push(`body ${(e as Error).name}`);
          throw e;
        }
      });
      const group = (await attempt.catch((e: unknown) => e)) as ExceptionGroup<Error>;
      expect(group).toBeInstanceOf(ExceptionGroup);
      expect(group.message).toBe('unhandled errors in a TaskGroup');
      expect(group.exceptions.map((e) => e.message)).toEqual(['first', 'second']);
      expect(events.sort()).toEqual(['body CancelledError', 'sibling CancelledError']);
      expect(currentTask()!.cancelling()).toBe(0);
      expect(getRunningLoop().time()).toBe(1);
    });
  });

  test('an error in the body cancels the tasks and joins the group', async () => {
    await runVirtual(async () => {
      let child: ReturnType<TaskGroup['createTask']> | undefined;
      const attempt = taskGroup(async (tg) => {
        child = tg.createTask(() => sleep(10));
        await sleep(1);
        throw new Error('body failed');
      });
      const group = (await attempt.catch((e: unknown) => e)) as ExceptionGroup<Error>;
      expect(group.exceptions.map((e) => e.message)).toEqual(['body failed']);
      expect(child!.cancelled()).toBe(true);
    });
  });

  test('a cancellation from outside cancels the tasks and propagates, not swallowed', async () => {
    await runVirtual(async () => {
      const children: ReturnType<TaskGroup['createTask']>[] = [];
      const runner = createTask(() =>
        taskGroup(async (tg) => {
          children.push(tg.createTask(() => sleep(10)));
          await sleep(10);
        }),
      );
      await sleep(1);
      runner.cancel('from outside');
      await expect(runner).rejects.toThrow(new CancelledError('from outside'));
      expect(children[0]!.cancelled()).toBe(true);
      expect(runner.cancelling()).toBe(1);
    });
  });

  test('outside cancellation while a child fails: the ExceptionGroup wins, the cancel count is kept', async () => {
    await runVirtual(async () => {
      const runner = createTask(() =>
        taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(10);
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: a child failing while it is cancelled
              throw new Error('fails while cancelled');
            }
          });
          await sleep(10);
        }),
      );
      await sleep(1);
      runner.cancel();
      await expect(runner).rejects.toBeInstanceOf(ExceptionGroup);
      expect(runner.cancelling()).toBe(1);
    });
  });

  test('a timeout around a group: the children are cancelled and TimeoutError comes out', async () => {
    await runVirtual(async () => {
      let child: ReturnType<TaskGroup['createTask']> | undefined;
      const attempt = timeout(1, () =>
        taskGroup(async (tg) => {
          child = tg.createTask(() => sleep(10));
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      expect(child!.cancelled()).toBe(true);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  test('createTask when not entered, finished or shutting down: RuntimeError, and the coroutine never runs', async () => {
    await runVirtual(async () => {
      let called = 0;
      const coro = async () => {
        called++;
      };
      const tg = new TaskGroup();
      expect(() => tg.createTask(coro)).toThrow(/has not been entered/);
      await tg.run(async () => {});
      expect(() => tg.createTask(coro)).toThrow(/is finished/);
      await taskGroup(async (group) => {
        group.createTask(async () => {
          throw new Error('abort the group');
        });
        await sleep(1).catch(() => {});
        expect(() => group.createTask(coro)).toThrow(/shutting down/);
      }).catch(() => {});
      expect(called).toBe(0);
    });
  });

  test('KeyboardInterrupt in a task propagates bare, not in a group', async () => {
    await runVirtual(async () => {
      const attempt = taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(1);
          throw new KeyboardInterrupt();
        });
        await sleep(10);
      });
      await expect(attempt).rejects.toBeInstanceOf(KeyboardInterrupt);
    });
  });

  test('nested groups: an inner failure surfaces as a nested ExceptionGroup', async () => {
    await runVirtual(async () => {
      const attempt = taskGroup(async (outer) => {
        outer.createTask(() =>
          taskGroup(async (inner) => {
            inner.createTask(async () => {
              throw new Error('deep');
            });
          }),
        );
      });
      const group = (await attempt.catch((e: unknown) => e)) as ExceptionGroup;
      expect(group.exceptions[0]).toBeInstanceOf(ExceptionGroup);
      const [matched] = group.split((e) => e instanceof Error && e.message === 'deep');
      expect(matched).not.toBeNull();
    });
  });

  test('entering twice, outside a task, bad body', async () => {
    await runVirtual(async () => {
      const tg = new TaskGroup();
      await tg.run(async () => {
        await expect(tg.run(async () => {})).rejects.toThrow(/already been entered/);
      });
      const loop = getRunningLoop();
      const fromCallback = await new Promise((resolve) =>
        loop.callSoon(() => void new TaskGroup().run(async () => {}).catch(resolve)),
      );
      expect(fromCallback).toBeInstanceOf(RuntimeError);
      await expect(taskGroup('nope' as never)).rejects.toThrow(TypeError);
    });
  });
});

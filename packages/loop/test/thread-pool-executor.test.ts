// ThreadPoolExecutor on real worker threads, after CPython's test_concurrent_futures
// (test_thread_pool.py, executor.py, test_shutdown.py). No timing sleeps: calls that must
// overlap or stay busy wait on a SharedArrayBuffer that the test (or the other call) flips.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancelledError, RuntimeError, ThreadPoolExecutor } from '@aio/loop';

const fixtures = path.join(__dirname, 'fixtures');
const mjs = path.join(fixtures, 'worker-functions.mjs');
const cjs = path.join(fixtures, 'worker-functions.cjs');
const register = path.join(__dirname, '..', '..', '..', 'tools', 'ts-register.cjs');

/** A gate in shared memory: `waitGate` (in a worker) blocks until `open` (here) is called. */
function gate(): { cells: Int32Array; open: () => void } {
  const cells = new Int32Array(new SharedArrayBuffer(16));
  return {
    cells,
    open: () => {
      Atomics.store(cells, 0, 1);
      Atomics.notify(cells, 0);
    },
  };
}

/** Shipped to workers: blocks on cell 0 of `cells` until the test opens the gate. */
const waitGate = (cells: Int32Array, value: unknown) => {
  while (Atomics.load(cells, 0) === 0) Atomics.wait(cells, 0, 0);
  return value;
};

const threadId = () => require('node:worker_threads').threadId as number;

describe('ThreadPoolExecutor', () => {
  let pool: ThreadPoolExecutor;
  beforeEach(() => {
    pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  });
  afterEach(() => pool.shutdown({ cancelFutures: true }));

  describe('constructor', () => {
    test('maxWorkers defaults to min(32, cpus + 4); a pool starts no thread until used', async () => {
      const defaults = new ThreadPoolExecutor();
      await expect(defaults.submit(() => 1)).resolves.toBe(1);
      await defaults.shutdown();
      await new ThreadPoolExecutor({}).shutdown();
      await new ThreadPoolExecutor({ maxWorkers: undefined }).shutdown();
    });

    test('maxWorkers must be a positive integer', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => new ThreadPoolExecutor({ maxWorkers: bad })).toThrow(RangeError);
        expect(() => new ThreadPoolExecutor({ maxWorkers: bad })).toThrow(/maxWorkers/);
      }
      for (const bad of ['2', true, {}]) {
        expect(() => new ThreadPoolExecutor({ maxWorkers: bad as never })).toThrow(TypeError);
        expect(() => new ThreadPoolExecutor({ maxWorkers: bad as never })).toThrow(/maxWorkers/);
      }
    });
  });

  describe('functions shipped as source', () => {
    test('runs in a worker thread, with require() available', async () => {
      await expect(pool.submit(() => require('node:worker_threads').isMainThread as boolean)).resolves.toBe(
        false,
      );
    });

    test('arrow, declaration, async, method shorthand and async method all work', async () => {
      await expect(pool.submit((a: number, b: number) => a + b, 2, 3)).resolves.toBe(5);
      await expect(
        pool.submit(function named(n: number) {
          return n * 2;
        }, 21),
      ).resolves.toBe(42);
      await expect(pool.submit(async (x: string) => x.toUpperCase(), 'ok')).resolves.toBe('OK');
      await expect(
        pool.submit(async function later(x: number) {
          await new Promise((resolve) => setImmediate(resolve));
          return x + 1;
        }, 1),
      ).resolves.toBe(2);
      const methods = {
        double(n: number) {
          return n * 2;
        },
        async halve(n: number) {
          return n / 2;
        },
      };
      await expect(pool.submit(methods.double, 4)).resolves.toBe(8);
      await expect(pool.submit(methods.halve, 4)).resolves.toBe(2);
    });

    test('a returned promise is awaited in the worker', async () => {
      await expect(
        pool.submit(() => new Promise((resolve) => setImmediate(() => resolve('later')))),
      ).resolves.toBe('later');
    });

    test('dynamic import() works inside the function', async () => {
      // Built with Function so that ts-jest does not rewrite import() into require().
      const importSep = new Function(
        'return import("node:path").then((m) => m.sep)',
      ) as () => Promise<string>;
      await expect(pool.submit(importSep)).resolves.toBe(path.sep);
    });

    test('each source is compiled once per worker, and idle workers are reused', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      function counter() {
        const self = counter as typeof counter & { calls?: number };
        self.calls = (self.calls ?? 0) + 1;
        return self.calls;
      }
      expect(await single.submit(counter)).toBe(1);
      expect(await single.submit(counter)).toBe(2);
      await single.shutdown();
      // Sequential calls reuse the idle worker rather than start a second one.
      const first = await pool.submit(threadId);
      expect(await pool.submit(threadId)).toBe(first);
    });

    test('arguments and results are structured-cloned', async () => {
      const input = new Map([['a', new Uint8Array(3)]]);
      const out = await pool.submit((m: Map<string, Uint8Array>) => {
        m.get('a')![0] = 9;
        return new Map([...m].map(([k, v]) => [k, { length: v.length, when: new Date(0) }]));
      }, input);
      expect(out).toEqual(new Map([['a', { length: 3, when: new Date(0) }]]));
      expect(input.get('a')![0]).toBe(0);
    });
  });

  describe('WorkerRef', () => {
    test('ES module exports, by URL, by file: URL string, by absolute and relative path', async () => {
      await expect(pool.submit({ module: pathToFileURL(mjs), export: 'triple' }, 5)).resolves.toBe(15);
      await expect(pool.submit({ module: pathToFileURL(mjs).href, export: 'slowEcho' }, 'x')).resolves.toBe(
        'x',
      );
      await expect(pool.submit({ module: mjs, export: 'triple' }, 2)).resolves.toBe(6);
      const relative = `./${path.relative(process.cwd(), mjs)}`;
      await expect(pool.submit({ module: relative, export: 'triple' }, 3)).resolves.toBe(9);
    });

    test('CommonJS exports, also those only on module.exports', async () => {
      await expect(pool.submit({ module: cjs, export: 'greet' }, 'bob')).resolves.toBe('hello bob');
      await expect(pool.submit({ module: cjs, export: 'shout' }, 'hey')).resolves.toBe('HEY');
    });

    test('builtin and package modules by name', async () => {
      await expect(pool.submit({ module: 'node:path', export: 'basename' }, '/a/b.txt')).resolves.toBe(
        'b.txt',
      );
    });

    test('the module is imported once per worker (its state persists)', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const count = { module: mjs, export: 'count' };
      expect(await single.submit(count)).toBe(1);
      expect(await single.submit(count)).toBe(2);
      await single.shutdown();
    });

    test('a missing export, a non-function export or a missing module fail the future', async () => {
      await expect(pool.submit({ module: cjs, export: 'missing' })).rejects.toThrow(
        /no exported function missing/,
      );
      await expect(pool.submit({ module: mjs, export: 'notAFunction' })).rejects.toThrow(TypeError);
      const missing = (await pool
        .submit({ module: path.join(fixtures, 'nope.mjs'), export: 'f' })
        .exception()) as Error & {
        code?: string;
      };
      expect(missing.code).toBe('ERR_MODULE_NOT_FOUND');
    });
  });

  describe('errors', () => {
    test('a thrown error comes back with its name, message, stack and code', async () => {
      const error = (await pool
        .submit(() => {
          const e = new RangeError('out of range') as RangeError & { code?: string };
          e.code = 'E_RANGE';
          throw e;
        })
        .exception()) as Error & { code?: string };
      expect(error).toBeInstanceOf(RangeError);
      expect(error.name).toBe('RangeError');
      expect(error.message).toBe('out of range');
      expect(error.code).toBe('E_RANGE');
      expect(error.stack).toMatch(/^RangeError: out of range\n/);
    });

    test('custom error classes keep their name; rejections count as errors', async () => {
      const custom = (await pool
        .submit(async () => {
          class ParseError extends Error {
            override name = 'ParseError';
          }
          throw new ParseError('bad input');
        })
        .exception()) as Error;
      expect(custom).toBeInstanceOf(Error);
      expect(custom.name).toBe('ParseError');
      expect(custom.message).toBe('bad input');
    });

    test('Node system errors keep code, errno, syscall and path; cause is kept', async () => {
      const error = (await pool
        .submit((file: string) => require('node:fs').readFileSync(file), '/nonexistent/file')
        .exception()) as NodeJS.ErrnoException;
      expect(error).toMatchObject({ code: 'ENOENT', syscall: 'open', path: '/nonexistent/file' });
      expect(typeof error.errno).toBe('number');
      const wrapped = (await pool
        .submit(() => {
          throw new Error('outer', { cause: new TypeError('inner') });
        })
        .exception()) as Error;
      expect(wrapped.cause).toBeInstanceOf(TypeError);
      expect((wrapped.cause as Error).message).toBe('inner');
    });

    test('values that are not errors are rethrown as they are', async () => {
      await expect(
        pool.submit(() => {
          throw 'just a string';
        }),
      ).rejects.toBe('just a string');
      await expect(
        pool.submit(() => {
          throw { code: 42 };
        }),
      ).rejects.toEqual({ code: 42 });
    });

    test('arguments or results that cannot be cloned fail the future with DataCloneError', async () => {
      const badArg = pool.submit(
        (_fn: unknown) => 1,
        () => 2,
      );
      expect(await badArg.exception()).toMatchObject({ name: 'DataCloneError' });
      expect(badArg.done()).toBe(true);
      await expect(pool.submit(() => () => 1)).rejects.toThrow(/could not be cloned/);
      await expect(pool.submit(() => 'the pool still works')).resolves.toBe('the pool still works');
    });
  });

  describe('bad input', () => {
    test('fn that is not a function or a WorkerRef: TypeError naming fn', () => {
      const bad: unknown[] = [
        42,
        null,
        undefined,
        'x => x',
        {},
        { module: mjs },
        { module: 1, export: 'triple' },
        { module: '', export: 'triple' },
        { module: mjs, export: '' },
        { module: mjs, export: 7 },
      ];
      for (const fn of bad) expect(() => pool.submit(fn as never)).toThrow(/\bfn\b/);
      for (const fn of bad) expect(() => pool.submit(fn as never)).toThrow(TypeError);
    });

    test('native, bound functions and classes cannot be shipped as source', () => {
      expect(() => pool.submit(Math.max, 1, 2)).toThrow(/native or bound/);
      expect(() => pool.submit(((x: number) => x).bind(null), 1)).toThrow(TypeError);
      expect(() => pool.submit(class Thing {} as never)).toThrow(/not a class/);
    });
  });

  describe('scheduling and cancellation', () => {
    test('runs calls in parallel, up to maxWorkers', async () => {
      // Each call announces itself, then waits for the other: both return only if they overlap.
      const rendezvous = (buffer: SharedArrayBuffer, me: number) => {
        const cells = new Int32Array(buffer);
        Atomics.store(cells, me, 1);
        Atomics.notify(cells, me);
        const other = 1 - me;
        for (let tries = 0; Atomics.load(cells, other) === 0; tries++) {
          if (tries === 100) return 'alone';
          Atomics.wait(cells, other, 0, 100);
        }
        return 'together';
      };
      const shared = new SharedArrayBuffer(8);
      const both = await Promise.all([
        pool.submit(rendezvous, shared, 0),
        pool.submit(rendezvous, shared, 1),
      ]);
      expect(both).toEqual(['together', 'together']);
    });

    test('a call is RUNNING once a worker has it; beyond maxWorkers calls wait PENDING', async () => {
      const { cells, open } = gate();
      const first = pool.submit(waitGate, cells, 'first');
      const second = pool.submit(waitGate, cells, 'second');
      const third = pool.submit(waitGate, cells, 'third');
      expect([first.running(), second.running(), third.running()]).toEqual([true, true, false]);
      expect(third.done()).toBe(false);
      expect(first.cancel()).toBe(false);
      open();
      await expect(Promise.all([first, second, third])).resolves.toEqual(['first', 'second', 'third']);
    });

    test('a call cancelled while queued never runs; the rest go on', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const { cells, open } = gate();
      const first = single.submit(waitGate, cells, 'first');
      const skipped = single.submit((c: Int32Array) => Atomics.store(c, 1, 1), cells);
      const last = single.submit((c: Int32Array) => Atomics.load(c, 1), cells);
      expect(skipped.cancel()).toBe(true);
      expect(skipped.cancelled()).toBe(true);
      open();
      await expect(first).resolves.toBe('first');
      expect(await last).toBe(0); // the cancelled call never stored its 1
      await expect(skipped.result()).rejects.toThrow(CancelledError);
      await single.shutdown();
    });
  });

  describe('shutdown', () => {
    test('wait (default): queued calls still run; resolves when all are done', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const { cells, open } = gate();
      const running = single.submit(waitGate, cells, 'running');
      const queued = single.submit(() => 'queued');
      const closed = single.shutdown();
      expect(() => single.submit(() => 1)).toThrow(
        new RuntimeError('cannot schedule new futures after shutdown'),
      );
      open();
      await closed;
      expect(running.done() && queued.done()).toBe(true);
      expect([await running, await queued]).toEqual(['running', 'queued']);
    });

    test('cancelFutures cancels the queued calls; the running one finishes', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const { cells, open } = gate();
      const running = single.submit(waitGate, cells, 'running');
      const queued = [single.submit(() => 'never'), single.submit(() => 'never')];
      const closed = single.shutdown({ cancelFutures: true });
      expect(queued.every((f) => f.cancelled())).toBe(true);
      expect(running.running()).toBe(true);
      open();
      await closed;
      expect(await running).toBe('running');
    });

    test('wait: false resolves at once; the running call still completes', async () => {
      const { cells, open } = gate();
      const running = pool.submit(waitGate, cells, 'done');
      await pool.shutdown({ wait: false });
      expect(running.running()).toBe(true);
      open();
      await expect(running).resolves.toBe('done');
      await pool.shutdown(); // now waits for the worker to exit
    });

    test('is idempotent; a later call can still cancel the queue or wait', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const { cells, open } = gate();
      const running = single.submit(waitGate, cells, 'running');
      const queued = single.submit(() => 'queued');
      await single.shutdown({ wait: false });
      expect(queued.cancelled()).toBe(false);
      const closed = single.shutdown({ cancelFutures: true });
      expect(queued.cancelled()).toBe(true);
      open();
      await closed;
      await single.shutdown();
      expect(await running).toBe('running');
      expect(() => single.submit(() => 1)).toThrow(RuntimeError);
    });

    test('an unused pool shuts down at once', async () => {
      const unused = new ThreadPoolExecutor();
      await unused.shutdown();
      await unused.shutdown({ wait: false, cancelFutures: true });
      expect(() => unused.submit(() => 1)).toThrow(/cannot schedule new futures after shutdown/);
    });
  });

  describe('dead workers', () => {
    test('process.exit() in a call fails it with RuntimeError; a new worker takes over', async () => {
      const deadThread = await pool.submit(threadId);
      // The idle worker that ran threadId takes this call, and dies.
      const dead = pool.submit(() => process.exit(3));
      const error = (await dead.exception()) as Error;
      expect(error).toBeInstanceOf(RuntimeError);
      expect(error.message).toMatch(/worker thread .* died .*exited with code 3/);
      const threads = await Promise.all([pool.submit(threadId), pool.submit(threadId)]);
      expect(threads).not.toContain(deadThread);
      expect(new Set(threads).size).toBe(2);
    });

    test('an uncaught error in the worker fails the running call, with it as cause', async () => {
      const crashed = pool.submit(() => {
        setImmediate(() => {
          throw new Error('boom');
        });
        return new Promise(() => {});
      });
      const error = (await crashed.exception()) as Error;
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error.cause as Error).message).toBe('boom');
    });

    test('calls queued behind a dying worker still run', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const dead = single.submit(() => process.exit(1));
      const next = single.submit(() => 'next');
      await expect(dead).rejects.toThrow(RuntimeError);
      await expect(next).resolves.toBe('next');
      await single.shutdown();
    });

    test('a worker that dies while idle is replaced', async () => {
      const single = new ThreadPoolExecutor({ maxWorkers: 1 });
      const before = await single.submit(() => {
        setImmediate(() => process.exit(0));
        return require('node:worker_threads').threadId as number;
      });
      // A call handed to the worker as it dies fails like any call it was running; the pool
      // then starts a new worker.
      // The exit lands on the worker's own schedule (later on a loaded machine): poll for it.
      const seen: (number | string)[] = [];
      while (!seen.some((id) => typeof id === 'number' && id !== before) && seen.length < 200) {
        seen.push(await single.submit(threadId).then(null, (e: unknown) => (e as Error).name));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(seen.filter((id) => id !== 'RuntimeError').at(-1)).not.toBe(before);
      expect(seen.every((id) => id === before || id === 'RuntimeError' || id === seen.at(-1))).toBe(true);
      await single.shutdown();
    });
  });

  describe('keeping the process alive (plain Node process)', () => {
    const run = (scenario: string) =>
      execFileSync(
        process.execPath,
        [
          '-r',
          register,
          '-e',
          `require(${JSON.stringify(path.join(fixtures, 'thread-pool-keep-alive.ts'))})`,
          scenario,
        ],
        { encoding: 'utf8', timeout: 15000 },
      ).trim();

    test('a busy worker keeps the process alive until its call returns', () => {
      expect(run('busy')).toBe('finished while nothing else held the process');
    });

    test('an idle pool that was never shut down lets the process exit', () => {
      expect(run('idle')).toBe('idle now');
    });
  });
});

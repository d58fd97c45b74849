import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancelledError, RuntimeError, ThreadPoolExecutor } from '@aio/loop';

const fixtures = path.join(__dirname, 'fixtures');

describe('ThreadPoolExecutor', () => {
  let pool: ThreadPoolExecutor;
  beforeEach(() => {
    pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  });
  afterEach(() => pool.shutdown({ cancelFutures: true }));

  test('runs a self-contained function in a worker thread and returns its result', async () => {
    const isMain = await pool.submit(() => require('node:worker_threads').isMainThread as boolean);
    expect(isMain).toBe(false);
    await expect(pool.submit((a: number, b: number) => a + b, 2, 3)).resolves.toBe(5);
    await expect(pool.submit(async (x: string) => x.toUpperCase(), 'ok')).resolves.toBe('OK');
    await expect(
      pool.submit(function named(n: number) {
        return n * 2;
      }, 21),
    ).resolves.toBe(42);
    const method = {
      double(n: number) {
        return n * 2;
      },
    }.double;
    await expect(pool.submit(method, 4)).resolves.toBe(8);
  });

  test('structured-clones arguments and results', async () => {
    const out = await pool.submit(
      (m: Map<string, Uint8Array>) => new Map([...m].map(([k, v]) => [k, v.length])),
      new Map([['a', new Uint8Array(3)]]),
    );
    expect(out).toEqual(new Map([['a', 3]]));
  });

  test('runs module exports given as WorkerRef (ESM and CommonJS)', async () => {
    await expect(
      pool.submit(
        { module: pathToFileURL(path.join(fixtures, 'worker-functions.mjs')), export: 'triple' },
        5,
      ),
    ).resolves.toBe(15);
    await expect(
      pool.submit(
        { module: pathToFileURL(path.join(fixtures, 'worker-functions.mjs')).href, export: 'slowEcho' },
        'x',
      ),
    ).resolves.toBe('x');
    await expect(
      pool.submit({ module: path.join(fixtures, 'worker-functions.cjs'), export: 'greet' }, 'bob'),
    ).resolves.toBe('hello bob');
    await expect(
      pool.submit({ module: path.join(fixtures, 'worker-functions.cjs'), export: 'missing' }),
    ).rejects.toThrow(/no exported function missing/);
  });

  test('errors come back with their name, message and code', async () => {
    const failing = pool.submit(() => {
      const e = new RangeError('out of range') as RangeError & { code?: string };
      e.code = 'E_RANGE';
      throw e;
    });
    const error = (await failing.exception()) as Error & { code?: string };
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('out of range');
    expect(error.code).toBe('E_RANGE');
    await expect(pool.submit(() => () => 1)).rejects.toThrow(/could not be cloned/);
    const uncloneable = pool.submit(
      (_fn: unknown) => 1,
      () => 2,
    );
    await expect(uncloneable).rejects.toThrow(/could not be cloned/);
  });

  test('runs calls in parallel, up to maxWorkers', async () => {
    const shared = new SharedArrayBuffer(8);
    // Each call announces itself, then waits until both have: only possible if both run at once.
    const rendezvous = (buffer: SharedArrayBuffer, me: number) => {
      const cells = new Int32Array(buffer);
      Atomics.store(cells, me, 1);
      Atomics.notify(cells, me);
      const other = 1 - me;
      while (Atomics.load(cells, other) === 0) Atomics.wait(cells, other, 0, 1000);
      return Atomics.load(cells, other);
    };
    const results = await Promise.all([
      pool.submit(rendezvous, shared, 0),
      pool.submit(rendezvous, shared, 1),
    ]);
    expect(results).toEqual([1, 1]);
  });

  test('a call cancelled before it starts never runs', async () => {
    const single = new ThreadPoolExecutor({ maxWorkers: 1 });
    const first = single.submit(() => 'first');
    const second = single.submit(() => 'second');
    expect(second.cancel()).toBe(true);
    await expect(first).resolves.toBe('first');
    await expect(second.result()).rejects.toThrow(CancelledError);
    await single.shutdown();
  });

  test('shutdown: no new calls; cancelFutures drops the queued ones; wait lets running ones finish', async () => {
    const single = new ThreadPoolExecutor({ maxWorkers: 1 });
    const running = single.submit(() => {
      let s = 0;
      for (let i = 0; i < 1e6; i++) s += i;
      return s;
    });
    const queued = single.submit(() => 'never');
    await single.shutdown({ wait: true, cancelFutures: true });
    expect(await running).toBe(499999500000);
    expect(queued.cancelled()).toBe(true);
    expect(() => single.submit(() => 1)).toThrow(RuntimeError);
    await single.shutdown();
  });

  test('a worker that dies fails its call and is replaced', async () => {
    const dead = pool.submit(() => process.exit(3));
    await expect(dead).rejects.toThrow(/worker thread/);
    await expect(pool.submit(() => 'still working')).resolves.toBe('still working');
  });

  test('bad arguments', () => {
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new ThreadPoolExecutor({ maxWorkers: 1.5 })).toThrow(/maxWorkers/);
    expect(() => new ThreadPoolExecutor({ maxWorkers: '2' as never })).toThrow(TypeError);
    expect(() => pool.submit(42 as never)).toThrow(TypeError);
  });
});

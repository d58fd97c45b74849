import { CancelledError, getRunningLoop, RuntimeError, TimeoutError } from '@aio/loop';
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from '@aio/queues';
import { createTask, gather, sleep, taskGroup, waitFor } from '@aio/tasks';
import { inLoop } from './helpers';

describe('Queue basics', () => {
  test('toString() shows the items, the blocked getters and putters (test_repr)', async () => {
    await inLoop(async () => {
      expect(String(new Queue())).toBe('<Queue maxsize=0>');
      let q = new Queue<number>();
      const getter = createTask(() => q.get());
      await sleep(0);
      expect(String(q)).toBe('<Queue maxsize=0 _getters[1]>');
      q.putNowait(0);
      expect(await getter).toBe(0);

      q = new Queue<number>(1);
      q.putNowait(1);
      const putter = createTask(() => q.put(2));
      await sleep(0);
      expect(String(q)).toBe('<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>');
      q.getNowait();
      await putter;

      const s = new Queue<string>();
      s.putNowait('a');
      expect(String(s)).toBe('<Queue maxsize=0 _queue=["a"] tasks=1>');
      for (let i = 0; i < 20; i++) s.putNowait('x');
      expect(String(s)).toContain(', …]');
    });
  });

  test('empty() and full() (test_empty, test_full)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      expect(q.empty()).toBe(true);
      expect(q.full()).toBe(false);
      await q.put(1);
      expect(q.empty()).toBe(false);
      expect(await q.get()).toBe(1);
      expect(q.empty()).toBe(true);
      const bounded = new Queue<number>(1);
      await bounded.put(1);
      expect(bounded.full()).toBe(true);
      expect(new Queue(-1).full()).toBe(false);
    });
  });

  test('items come out in the order they went in (test_order)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([1, 3, 2]);
    });
  });

  test('put() blocks while the queue is full (test_maxsize)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(2);
      expect(q.maxsize).toBe(2);
      const havePut: number[] = [];
      const t = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await q.put(i);
          havePut.push(i);
        }
        return true;
      });
      await sleep(0);
      await sleep(0);
      expect(havePut).toEqual([0, 1]);
      expect(await q.get()).toBe(0);
      await sleep(0);
      expect(havePut).toEqual([0, 1, 2]);
      expect(await q.get()).toBe(1);
      expect(await q.get()).toBe(2);
      expect(await t).toBe(true);
    });
  });

  test('maxsize must be an integer, named in the error', () => {
    expect(() => new Queue(1.3)).toThrow(
      new RangeError('maxsize must be an integer (0 or less for no limit), got 1.3'),
    );
    expect(() => new Queue(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new Queue(Number.NaN)).toThrow(RangeError);
    expect(() => new Queue('5' as never)).toThrow(new TypeError('maxsize must be a number, got string'));
    expect(() => new PriorityQueue(0.5)).toThrow(RangeError);
    expect(() => new LifoQueue(null as never)).toThrow(TypeError);
  });

  test('the errors carry asyncio names', () => {
    for (const [Cls, name] of [
      [QueueEmpty, 'QueueEmpty'],
      [QueueFull, 'QueueFull'],
      [QueueShutDown, 'QueueShutDown'],
    ] as const) {
      const error = new Cls();
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(String(error)).toMatch(new RegExp(`^${name}: the queue is `));
    }
  });
});

describe('Queue.get', () => {
  test('get() of a non-empty queue returns at once (test_blocking_get)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      expect(await q.get()).toBe(1);
    });
  });

  test('a get() wakes a blocked putter (test_get_with_putters)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      await q.put(1);
      const putter = createTask(() => q.put(2));
      await sleep(0);
      expect(await q.get()).toBe(1);
      await putter;
      expect(q.getNowait()).toBe(2);
    });
  });

  test('get() waits for an item (test_blocking_get_wait)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      const loop = getRunningLoop();
      let finished = false;
      const t = createTask(async () => {
        const item = await q.get();
        finished = true;
        return item;
      });
      await sleep(0);
      expect(finished).toBe(false);
      loop.callLater(0.01, () => q.putNowait(1));
      expect(await t).toBe(1);
      expect(finished).toBe(true);
      expect(loop.time()).toBe(0.01);
    });
  });

  test('getNowait() (test_nonblocking_get, _exception)', () => {
    const q = new Queue<number>();
    expect(() => q.getNowait()).toThrow(QueueEmpty);
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  test('a getter cancelled before any put leaves the line (test_get_cancelled_race)', async () => {
    await inLoop(async () => {
      const q = new Queue<string>();
      const t1 = createTask(() => q.get());
      const t2 = createTask(() => q.get());
      await sleep(0);
      t1.cancel();
      await sleep(0);
      expect(t1.done()).toBe(true);
      await q.put('a');
      expect(await t2).toBe('a');
      expect(String(q)).toBe('<Queue maxsize=0 tasks=1>');
    });
  });

  test('blocked puts are served in order (test_get_with_waiting_putters)', async () => {
    await inLoop(async () => {
      const q = new Queue<string>(1);
      createTask(() => q.put('a'));
      createTask(() => q.put('b'));
      expect(await q.get()).toBe('a');
      expect(await q.get()).toBe('b');
    });
  });

  test('a producer and a consumer through a queue of one (test_why_are_getters_waiting)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      const got: number[] = [];
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          for (let i = 0; i < 5; i++) await q.put(i);
        });
        tg.createTask(async () => {
          for (let i = 0; i < 5; i++) got.push(await q.get());
        });
      });
      expect(got).toEqual([0, 1, 2, 3, 4]);
    });
  });

  test('waitFor(q.get(), t) times out and leaves no getter behind (test_cancelled_getters_not_being_held_in_self_getters)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(5);
      await expect(waitFor(q.get(), 0.1)).rejects.toThrow(TimeoutError);
      expect(getRunningLoop().time()).toBe(0.1);
      expect(String(q)).toBe('<Queue maxsize=5>');
    });
  });

  test('a getter woken by a put and then cancelled drops no item (test_get_cancel_drop_one_pending_reader)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      let reader = createTask(() => q.get());
      await sleep(0);
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      try {
        await reader;
      } catch (e) {
        expect(e).toBeInstanceOf(CancelledError);
        reader = createTask(() => q.get());
        await reader;
      }
      expect(reader.result()).toBe(1); // 2 would mean that 1 was dropped
    });
  });

  test('one of several woken readers cancelled: the others get both items (test_get_cancel_drop_many_pending_readers)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      const [r1, r2, r3] = [1, 2, 3].map(() => createTask(() => q.get()));
      await sleep(0);
      q.putNowait(1);
      q.putNowait(2);
      r1!.cancel();
      await expect(r1).rejects.toThrow(CancelledError);
      expect(new Set([await r2, await r3])).toEqual(new Set([1, 2]));
    });
  });

  test('a woken getter whose item was taken by getNowait() waits again, first in line', async () => {
    await inLoop(async () => {
      const q = new Queue<string>();
      const first = createTask(() => q.get());
      await sleep(0);
      const second = createTask(() => q.get());
      await sleep(0);
      q.putNowait('a'); // wakes `first`...
      expect(q.getNowait()).toBe('a'); // ...but the item is gone by its turn
      await sleep(0);
      expect(String(q)).toBe('<Queue maxsize=0 _getters[2] tasks=1>');
      q.putNowait('b');
      expect(await first).toBe('b');
      q.putNowait('c');
      expect(await second).toBe('c');
    });
  });
});

describe('Queue.put', () => {
  test('put() into an unbounded queue never blocks (test_blocking_put)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      await q.put(1);
      expect(await q.get()).toBe(1);
    });
  });

  test('put() waits for room (test_blocking_put_wait)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      const loop = getRunningLoop();
      let finished = false;
      loop.callLater(0.01, () => q.getNowait());
      const t = createTask(async () => {
        await q.put(1);
        await q.put(2);
        finished = true;
      });
      await sleep(0);
      expect(finished).toBe(false);
      await t;
      expect(finished).toBe(true);
      expect(loop.time()).toBe(0.01);
    });
  });

  test('putNowait() (test_nonblocking_put, _exception)', () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
    expect(q.getNowait()).toBe(1);
  });

  test('a putter woken by a get and then cancelled adds nothing (test_put_cancel_drop)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      q.putNowait(1);
      let writer = createTask(() => q.put(2));
      await sleep(0);
      expect(q.getNowait()).toBe(1);
      writer.cancel();
      try {
        await writer;
      } catch (e) {
        expect(e).toBeInstanceOf(CancelledError);
        writer = createTask(() => q.put(2));
        await writer;
      }
      expect(q.getNowait()).toBe(2);
      expect(q.qsize()).toBe(0);
    });
  });

  test('a put() that does not block completes without a getter (test_put_cancelled)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      const t = createTask(async () => {
        await q.put(1);
        return true;
      });
      expect(await q.get()).toBe(1);
      expect(await t).toBe(true);
    });
  });

  test('a putter cancelled while waiting leaves the line; order is kept (test_put_cancelled_race)', async () => {
    await inLoop(async () => {
      const q = new Queue<string>(1);
      const putA = createTask(() => q.put('a'));
      const putB = createTask(() => q.put('b'));
      const putC = createTask(() => q.put('X'));
      await sleep(0);
      await putA;
      expect(putB.done()).toBe(false);
      putC.cancel();
      await expect(putC).rejects.toThrow(CancelledError);
      expect(q.getNowait()).toBe('a');
      await sleep(0);
      expect(q.getNowait()).toBe('b');
      await putB;
      expect(q.empty()).toBe(true);
    });
  });

  test('a put() hands its item to a waiting getter (test_put_with_waiting_getters)', async () => {
    await inLoop(async () => {
      const q = new Queue<string>();
      const t = createTask(() => q.get());
      await sleep(0);
      await q.put('a');
      expect(await t).toBe('a');
    });
  });

  test('several blocked putters and one draining getter (test_why_are_putters_waiting)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(2);
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(0);
          for (let n = q.qsize(); n > 0; n--) q.getNowait();
        });
        for (const i of [0, 1, 2, 3]) tg.createTask(() => q.put(i));
      });
      expect(q.qsize()).toBe(2);
    });
  });

  test('a cancelled put() leaves no putter behind (test_cancelled_puts_not_being_held_in_self_putters)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const putTask = createTask(() => q.put(1));
      await sleep(0);
      expect(String(q)).toContain('_putters[1]');
      putTask.cancel();
      await expect(putTask).rejects.toThrow(CancelledError);
      expect(String(q)).not.toContain('_putters');
      expect(q.qsize()).toBe(1);
    });
  });

  test('a putter woken and then cancelled passes the free slot on (test_cancelled_put_silence_value_error_exception)', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const cancelled = createTask(() => q.put(2));
      const next = createTask(() => q.put(3));
      await sleep(0);
      q.getNowait(); // wakes `cancelled`
      cancelled.cancel();
      await expect(cancelled).rejects.toThrow(CancelledError);
      await next;
      expect(q.getNowait()).toBe(3);
      expect(q.empty()).toBe(true);
    });
  });
});

describe('LifoQueue and PriorityQueue', () => {
  test('LifoQueue: last in, first out (test_order)', async () => {
    await inLoop(async () => {
      const q = new LifoQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([2, 3, 1]);
      expect(String(q)).toBe('<LifoQueue maxsize=0 tasks=3>');
    });
  });

  test('PriorityQueue: lowest first (test_order)', async () => {
    await inLoop(async () => {
      const q = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([1, 2, 3]);
    });
  });

  test('PriorityQueue: bigints, strings, and [priority, data] tuples compared element-wise', () => {
    const big = new PriorityQueue<bigint | number>();
    for (const x of [3n, 1, 2n, 0.5]) big.putNowait(x);
    expect([big.getNowait(), big.getNowait(), big.getNowait(), big.getNowait()]).toEqual([0.5, 1, 2n, 3n]);

    const words = new PriorityQueue<string>();
    for (const w of ['pear', 'apple', 'fig']) words.putNowait(w);
    expect([words.getNowait(), words.getNowait(), words.getNowait()]).toEqual(['apple', 'fig', 'pear']);

    const jobs = new PriorityQueue<[number, string] | [number]>();
    for (const job of [[2, 'b'], [1, 'z'], [2, 'a'], [1], [0, 'x']] as ([number, string] | [number])[]) {
      jobs.putNowait(job);
    }
    const out: unknown[] = [];
    while (!jobs.empty()) out.push(jobs.getNowait());
    expect(out).toEqual([[0, 'x'], [1], [1, 'z'], [2, 'a'], [2, 'b']]);
  });

  test('PriorityQueue: data is compared only on a tie; the same object equals itself', () => {
    const q = new PriorityQueue<[number, object]>();
    const shared = { id: 1 };
    q.putNowait([2, { id: 2 }]);
    q.putNowait([1, shared]);
    q.putNowait([1, shared]);
    expect(q.getNowait()[0]).toBe(1);
    expect(q.getNowait()[0]).toBe(1);
    expect(q.getNowait()[0]).toBe(2);
  });

  test('PriorityQueue: what cannot be ordered is refused with TypeError, the queue unchanged', async () => {
    await inLoop(async () => {
      const q = new PriorityQueue<unknown>();
      q.putNowait(1);
      q.putNowait(5);
      expect(() => q.putNowait('text')).toThrow(TypeError);
      expect(() => q.putNowait({})).toThrow(/PriorityQueue cannot order an object \(Object\) and a number/);
      await expect(q.put(null)).rejects.toThrow(TypeError);
      expect(q.qsize()).toBe(2);
      expect(String(q)).toBe('<PriorityQueue maxsize=0 _queue=[1, 5] tasks=2>');
      const tuples = new PriorityQueue<[number, object]>();
      tuples.putNowait([1, { a: 1 }]);
      expect(() => tuples.putNowait([1, { b: 2 }])).toThrow(TypeError);
      expect(tuples.qsize()).toBe(1);
      const single = new PriorityQueue<object>();
      single.putNowait({}); // nothing to compare with yet
      expect(single.getNowait()).toEqual({});
    });
  });

  test('PriorityQueue: a compare option orders anything', () => {
    const q = new PriorityQueue<{ deadline: number }>(0, { compare: (a, b) => a.deadline - b.deadline });
    for (const deadline of [5, 1, 4, 2, 3]) q.putNowait({ deadline });
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait().deadline);
    expect(out).toEqual([1, 2, 3, 4, 5]);
    expect(() => new PriorityQueue(0, { compare: 'desc' as never })).toThrow(
      new TypeError('compare must be a function, got string'),
    );
  });

  test('PriorityQueue: a heap of random numbers comes out sorted', () => {
    const q = new PriorityQueue<number>();
    const values = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 1009);
    for (const v of values) q.putNowait(v);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });

  test('PriorityQueue: a woken getter takes the lowest item present at its turn', async () => {
    await inLoop(async () => {
      const q = new PriorityQueue<number>();
      const getter = createTask(() => q.get());
      await sleep(0);
      q.putNowait(5); // wakes the getter...
      q.putNowait(1); // ...which takes the lower item at its turn
      expect(await getter).toBe(1);
      expect(q.getNowait()).toBe(5);
    });
  });

  test('LifoQueue: a woken getter takes the newest item present at its turn', async () => {
    await inLoop(async () => {
      const q = new LifoQueue<number>();
      const getter = createTask(() => q.get());
      await sleep(0);
      q.putNowait(1);
      q.putNowait(2);
      expect(await getter).toBe(2);
      expect(q.getNowait()).toBe(1);
    });
  });
});

describe.each([
  ['Queue', () => new Queue<number>()],
  ['LifoQueue', () => new LifoQueue<number>()],
  ['PriorityQueue', () => new PriorityQueue<number>()],
] as const)('%s: taskDone() and join()', (name, make) => {
  test('taskDone() called too often throws RangeError (test_task_done_underflow)', () => {
    const q = make();
    expect(() => q.taskDone()).toThrow(new RangeError('taskDone() called too many times'));
    q.putNowait(1);
    q.taskDone();
    expect(() => q.taskDone()).toThrow(RangeError);
  });

  test('join() returns once every item is done (test_task_done)', async () => {
    await inLoop(async () => {
      const q = make();
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let accumulator = 0;
      let running = true;
      const worker = async () => {
        while (running) {
          const item = await q.get();
          accumulator += item;
          q.taskDone();
        }
      };
      const workers = [createTask(worker), createTask(worker)];
      await q.join();
      expect(accumulator).toBe(4950);
      running = false;
      for (const _ of workers) q.putNowait(0);
      await gather(workers);
      expect(String(q)).toBe(`<${name} maxsize=0>`);
    });
  });

  test('join() of an empty queue returns at once, twice (test_join_empty_queue)', async () => {
    await inLoop(async () => {
      const q = make();
      await q.join();
      await q.join();
    });
  });

  test('a cancelled join() stops waiting; the others still return', async () => {
    await inLoop(async () => {
      const q = make();
      q.putNowait(1);
      const cancelled = createTask(() => q.join());
      const kept = createTask(() => q.join());
      await sleep(0);
      cancelled.cancel();
      await expect(cancelled).rejects.toThrow(CancelledError);
      q.getNowait();
      q.taskDone();
      await kept;
      await q.join();
    });
  });
});

describe.each([
  ['Queue', (maxsize?: number) => new Queue<string>(maxsize)],
  ['LifoQueue', (maxsize?: number) => new LifoQueue<string>(maxsize)],
  ['PriorityQueue', (maxsize?: number) => new PriorityQueue<string>(maxsize)],
] as const)('%s: shutdown()', (name, make) => {
  test('toString() says so (test_format)', () => {
    const q = make();
    q.shutdown();
    expect(String(q)).toBe(`<${name} maxsize=0 shutdown>`);
  });

  test('an empty queue: blocked and later gets and puts fail (test_shutdown_empty)', async () => {
    await inLoop(async () => {
      const q = make();
      const getTask = createTask(() => q.get());
      await sleep(0);
      q.shutdown(false);
      expect(q.qsize()).toBe(0);
      await q.join();
      await sleep(0);
      expect(getTask.done()).toBe(true);
      await expect(getTask).rejects.toThrow(QueueShutDown);
      await expect(q.put('data')).rejects.toThrow(QueueShutDown);
      expect(() => q.putNowait('data')).toThrow(QueueShutDown);
      await expect(q.get()).rejects.toThrow(QueueShutDown);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
    });
  });

  test('a non-empty queue drains normally; join() waits for taskDone() (test_shutdown_nonempty)', async () => {
    await inLoop(async () => {
      const q = make(1);
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      const putTask = createTask(() => q.put('data2'));
      await sleep(0);
      expect(putTask.done()).toBe(false);
      q.shutdown(false);
      expect(q.qsize()).toBe(1);
      await expect(putTask).rejects.toThrow(QueueShutDown);
      expect(await q.get()).toBe('data');
      await sleep(0);
      expect(joinTask.done()).toBe(false);
      await expect(q.put('data')).rejects.toThrow(QueueShutDown);
      expect(() => q.putNowait('data')).toThrow(QueueShutDown);
      await expect(q.get()).rejects.toThrow(QueueShutDown);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
      q.taskDone();
      await joinTask;
      expect(() => q.taskDone()).toThrow(RangeError);
    });
  });

  test('immediate: items dropped and counted done, join() returns (test_shutdown_immediate)', async () => {
    await inLoop(async () => {
      const q = make();
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      q.shutdown(true);
      expect(q.qsize()).toBe(0);
      await joinTask;
      await expect(q.put('data')).rejects.toThrow(QueueShutDown);
      await expect(q.get()).rejects.toThrow(QueueShutDown);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
      expect(() => q.taskDone()).toThrow(RangeError);
    });
  });

  test('immediate with items taken but not done: join() waits for them (test_shutdown_immediate_with_unfinished)', async () => {
    await inLoop(async () => {
      const q = make();
      q.putNowait('data');
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      expect(await q.get()).toBe('data');
      q.shutdown(true);
      expect(q.qsize()).toBe(0);
      await sleep(0);
      expect(joinTask.done()).toBe(false);
      await expect(q.get()).rejects.toThrow(QueueShutDown);
      q.taskDone();
      expect(() => q.taskDone()).toThrow(RangeError);
      await joinTask;
    });
  });

  test('immediate: woken and blocked getters and putters all fail, the item is dropped', async () => {
    await inLoop(async () => {
      const q = make(1);
      const getters = [createTask(() => q.get()), createTask(() => q.get())];
      await sleep(0);
      q.putNowait('x'); // wakes the first getter, whose turn comes after the shutdown
      const put = q.put('z'); // the queue is full: blocks
      q.shutdown(true);
      for (const outcome of [...getters, put]) await expect(outcome).rejects.toThrow(QueueShutDown);
      await q.join(); // 'x' was counted done
    });
  });

  test('shutdown(immediate) must be a boolean', () => {
    expect(() => make().shutdown(1 as never)).toThrow(
      new TypeError('immediate must be a boolean, got number'),
    );
  });
});

describe('for await (const item of queue)', () => {
  test('yields items until the queue is shut down and empty; no implicit taskDone()', async () => {
    await inLoop(async () => {
      const q = new Queue<number>(2);
      const seen: number[] = [];
      const consumer = createTask(async () => {
        for await (const item of q) seen.push(item);
        return 'ended';
      });
      for (let i = 0; i < 5; i++) await q.put(i);
      q.shutdown();
      expect(await consumer).toBe('ended');
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(String(q)).toBe('<Queue maxsize=2 tasks=5 shutdown>');
    });
  });

  test('break leaves the remaining items in the queue', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      for (const i of [1, 2, 3]) q.putNowait(i);
      for await (const item of q) if (item === 2) break;
      expect(q.getNowait()).toBe(3);
    });
  });

  test('a consumer cancelled while waiting throws CancelledError and takes nothing', async () => {
    await inLoop(async () => {
      const q = new Queue<number>();
      const consumer = createTask(async () => {
        for await (const _ of q) throw new Error('no item expected');
      });
      await sleep(0);
      consumer.cancel();
      await expect(consumer).rejects.toThrow(CancelledError);
      q.putNowait(7);
      expect(q.getNowait()).toBe(7);
    });
  });
});

test('a queue that had to block on one loop cannot block on another', async () => {
  const q = new Queue<number>();
  await inLoop(async () => {
    const t = createTask(() => q.get());
    await sleep(0);
    q.putNowait(1);
    await t;
  });
  await inLoop(async () => {
    q.putNowait(2);
    expect(await q.get()).toBe(2); // no need to block
    await expect(q.get()).rejects.toThrow(
      new RuntimeError('<Queue maxsize=0 tasks=2> is bound to a different event loop'),
    );
  });
});

import { newVirtualTimeEventLoop, RuntimeError, VirtualTimeEventLoop } from '@aio/loop';

describe('VirtualTimeEventLoop', () => {
  test('auto-advance: an hour of timers passes at once, in order', async () => {
    using loop = new VirtualTimeEventLoop();
    const fired: [string, number][] = [];
    loop.callLater(3600, () => {
      fired.push(['hour', loop.time()]);
      loop.stop();
    });
    loop.callLater(60, () => fired.push(['minute', loop.time()]));
    const started = performance.now();
    await loop.runForever();
    expect(fired).toEqual([
      ['minute', 60],
      ['hour', 3600],
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('the start option sets the initial time', () => {
    using loop = newVirtualTimeEventLoop({ start: 100 });
    expect(loop).toBeInstanceOf(VirtualTimeEventLoop);
    expect(loop.time()).toBe(100);
    expect(loop.callLater(5, () => {}).when()).toBe(105);
  });

  test('manual mode: advance() runs exactly what falls due, and what that schedules if due too', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const fired: string[] = [];
    loop.callLater(1, () => {
      fired.push('t1');
      loop.callLater(2, () => fired.push('t1+2 (due at 3)'));
      loop.callLater(20, () => fired.push('t1+20'));
    });
    loop.callLater(5, () => fired.push('t5'));
    loop.callLater(10, () => fired.push('t10'));
    await loop.advance(5);
    expect(fired).toEqual(['t1', 't1+2 (due at 3)', 't5']);
    expect(loop.time()).toBe(5);
    await loop.advance(5);
    expect(fired).toEqual(['t1', 't1+2 (due at 3)', 't5', 't10']);
    expect(loop.time()).toBe(10);
  });

  test('manual mode: an idle running loop does not move its clock; advance works while it runs', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const fired: number[] = [];
    loop.callLater(30, () => fired.push(loop.time()));
    const running = loop.runForever();
    await loop.runUntilIdle();
    expect(loop.time()).toBe(0);
    expect(fired).toEqual([]);
    await loop.advance(30);
    expect(fired).toEqual([30]);
    loop.stop();
    await running;
  });

  test('runUntilIdle runs ready callbacks (and what they schedule for now) without moving the clock', async () => {
    using loop = new VirtualTimeEventLoop();
    const ran: string[] = [];
    loop.callSoon(() => {
      ran.push('a');
      loop.callSoon(() => ran.push('b'));
    });
    loop.callLater(10, () => ran.push('later'));
    await loop.runUntilIdle();
    expect(ran).toEqual(['a', 'b']);
    expect(loop.time()).toBe(0);
    expect(loop.isRunning()).toBe(false);
  });

  test('finished native I/O gets its turn before the clock jumps', async () => {
    using loop = new VirtualTimeEventLoop();
    const order: string[] = [];
    loop.callSoon(() => setImmediate(() => loop.callSoon(() => order.push(`native at ${loop.time()}`))));
    loop.callLater(100, () => {
      order.push(`timer at ${loop.time()}`);
      loop.stop();
    });
    await loop.runForever();
    expect(order).toEqual(['native at 0', 'timer at 100']);
  });

  test('runs are deterministic: the same schedule gives the same order every time', async () => {
    const once = async () => {
      using loop = new VirtualTimeEventLoop();
      const order: string[] = [];
      for (let i = 0; i < 50; i++) loop.callLater((i * 7) % 5, () => order.push(`${i}@${loop.time()}`));
      loop.callLater(10, () => loop.stop());
      await loop.runForever();
      return order;
    };
    const first = await once();
    expect(await once()).toEqual(first);
    expect(first.slice(0, 3)).toEqual(['0@0', '5@0', '10@0']);
  });

  test('a timer at Infinity never fires and does not stop the loop from stopping', async () => {
    using loop = new VirtualTimeEventLoop();
    let fired = false;
    loop.callLater(Number.POSITIVE_INFINITY, () => {
      fired = true;
    });
    loop.callLater(1, () => loop.stop());
    await loop.runForever();
    expect(fired).toBe(false);
    expect(loop.time()).toBe(1);
  });

  test('bad arguments', async () => {
    expect(() => new VirtualTimeEventLoop({ start: Number.NaN })).toThrow(RangeError);
    expect(() => new VirtualTimeEventLoop({ start: Number.POSITIVE_INFINITY })).toThrow(
      'start must be finite',
    );
    expect(() => new VirtualTimeEventLoop({ start: '1' as never })).toThrow(TypeError);
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    await expect(loop.advance(-1)).rejects.toThrow(RangeError);
    await expect(loop.advance(Number.NaN)).rejects.toThrow(RangeError);
    await expect(loop.advance(Number.POSITIVE_INFINITY)).rejects.toThrow('seconds must be finite');
    await expect(loop.advance('1' as never)).rejects.toThrow(TypeError);
    expect(loop.time()).toBe(0);
  });
});

describe('VirtualTimeEventLoop: auto-advance', () => {
  test('callLater(3600) fires at once, at time() 3600, from the start time on', async () => {
    for (const start of [0, 100, -5]) {
      using loop = new VirtualTimeEventLoop({ start });
      let firedAt: number | null = null;
      loop.callLater(3600, () => {
        firedAt = loop.time();
        loop.stop();
      });
      const wall = performance.now();
      await loop.runForever();
      expect(firedAt).toBe(start + 3600);
      expect(performance.now() - wall).toBeLessThan(1000);
    }
  });

  test('in callbacks time() is the deadline of the timer running; ready callbacks do not move it', async () => {
    using loop = new VirtualTimeEventLoop();
    const seen: string[] = [];
    loop.callLater(2, () => {
      seen.push(`timer 2 at ${loop.time()}`);
      loop.callSoon(() => seen.push(`soon at ${loop.time()}`));
      loop.callLater(0.5, () => {
        seen.push(`timer 2.5 at ${loop.time()}`);
        loop.stop();
      });
    });
    await loop.runForever();
    expect(seen).toEqual(['timer 2 at 2', 'soon at 2', 'timer 2.5 at 2.5']);
  });

  test('a loop waiting only on a timer at Infinity stays put until native I/O stops it', async () => {
    using loop = new VirtualTimeEventLoop();
    let fired = false;
    loop.callLater(Number.POSITIVE_INFINITY, () => {
      fired = true;
    });
    // Several Node turns of idleness, then a stop from outside the loop's callbacks.
    loop.callSoon(() =>
      setImmediate(() => setImmediate(() => setImmediate(() => loop.callSoonThreadsafe(() => loop.stop())))),
    );
    await loop.runForever();
    expect(fired).toBe(false);
    expect(loop.time()).toBe(0);
  });
});

describe('VirtualTimeEventLoop: manual mode', () => {
  test('advance(10) runs exactly the timers due by 10, in deadline then FIFO order', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const fired: string[] = [];
    const at = (when: number, name: string) => loop.callAt(when, () => fired.push(`${name}@${loop.time()}`));
    at(10, 'ten-a');
    at(10.000001, 'just after ten');
    at(3, 'three');
    at(10, 'ten-b');
    at(0, 'zero');
    await loop.advance(10);
    expect(fired).toEqual(['zero@0', 'three@3', 'ten-a@10', 'ten-b@10']);
    expect(loop.time()).toBe(10);
    await loop.advance(1);
    expect(fired.at(-1)).toBe('just after ten@10.000001');
    expect(loop.time()).toBe(11);
  });

  test('timers scheduled by timers run within the same advance() when they fall due', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const fired: string[] = [];
    const chain = (n: number) => {
      fired.push(`${n}@${loop.time()}`);
      if (n < 5) loop.callLater(3, () => chain(n + 1));
    };
    loop.callLater(1, () => chain(0));
    await loop.advance(10);
    expect(fired).toEqual(['0@1', '1@4', '2@7', '3@10']);
    await loop.advance(100);
    expect(fired).toEqual(['0@1', '1@4', '2@7', '3@10', '4@13', '5@16']);
    expect(loop.time()).toBe(110);
  });

  test('advance(0) runs ready callbacks and timers due now, nothing later', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false, start: 50 });
    const fired: string[] = [];
    loop.callSoon(() => fired.push('soon'));
    loop.callLater(0, () => fired.push('zero'));
    loop.callLater(0.001, () => fired.push('later'));
    await loop.advance(0);
    expect(fired).toEqual(['soon', 'zero']);
    expect(loop.time()).toBe(50);
  });

  test('an idle loop never moves its clock, running or not', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const fired: string[] = [];
    loop.callLater(1, () => fired.push('timer'));
    await loop.runUntilIdle();
    await loop.runUntilIdle();
    expect(loop.time()).toBe(0);
    const running = loop.runForever();
    for (let i = 0; i < 5; i++) await loop.runUntilIdle();
    expect(loop.time()).toBe(0);
    expect(fired).toEqual([]);
    loop.stop();
    await running;
    expect(loop.time()).toBe(0);
  });

  test('runUntilIdle on a loop running in the background runs what is ready, clock still', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const running = loop.runForever();
    const ran: string[] = [];
    loop.callSoon(() => {
      ran.push('a');
      loop.callSoon(() => {
        ran.push('b');
        void Promise.resolve().then(() => loop.callSoon(() => ran.push('c after a microtask')));
      });
    });
    loop.callLater(1, () => ran.push('timer'));
    await loop.runUntilIdle();
    expect(ran).toEqual(['a', 'b', 'c after a microtask']);
    expect(loop.time()).toBe(0);
    expect(loop.isRunning()).toBe(true);
    await loop.advance(1);
    expect(ran.at(-1)).toBe('timer');
    loop.stop();
    await running;
  });

  test('runUntilIdle returns when the background run stops before the loop went idle', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    const running = loop.runForever();
    const ran: string[] = [];
    loop.callSoon(() => loop.stop());
    loop.callSoon(() => loop.callSoon(() => ran.push('after the stop')));
    await loop.runUntilIdle();
    await running;
    expect(loop.isRunning()).toBe(false);
    expect(ran).toEqual([]);
    // What was left runs with the next run.
    await loop.runUntilIdle();
    expect(ran).toEqual(['after the stop']);
  });

  test('a timer at Infinity never fires and the loop still stops', async () => {
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    let fired = false;
    loop.callLater(Number.POSITIVE_INFINITY, () => {
      fired = true;
    });
    await loop.advance(1e12);
    expect(fired).toBe(false);
    expect(loop.time()).toBe(1e12);
    const running = loop.runForever();
    await loop.runUntilIdle();
    loop.stop();
    await running;
    expect(fired).toBe(false);
  });

  test('runUntilIdle and advance refuse a closed loop', async () => {
    const loop = new VirtualTimeEventLoop({ autoAdvance: false });
    loop.close();
    await expect((async () => loop.runUntilIdle())()).rejects.toThrow(RuntimeError);
    await expect(loop.advance(1)).rejects.toThrow('Event loop is closed');
  });
});

describe('VirtualTimeEventLoop: determinism', () => {
  test('two identical runs mixing timers, callbacks, microtasks and cancellations give one order', async () => {
    const once = async (autoAdvance: boolean) => {
      using loop = new VirtualTimeEventLoop({ autoAdvance });
      const events: string[] = [];
      let seed = 7;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed;
      };
      const spawn = (id: number, depth: number) => {
        events.push(`${id}/${depth}@${loop.time()}`);
        if (depth === 3) return;
        const h = loop.callLater(next() % 4, () => spawn(id, depth + 1));
        if (next() % 5 === 0) h.cancel();
        loop.callSoon(() => events.push(`soon ${id}/${depth}`));
        void Promise.resolve().then(() => events.push(`micro ${id}/${depth}`));
      };
      for (let id = 0; id < 20; id++) loop.callLater(next() % 3, () => spawn(id, 0));
      if (autoAdvance) {
        loop.callLater(100, () => loop.stop());
        await loop.runForever();
      } else {
        await loop.advance(100);
      }
      return events;
    };
    const first = await once(true);
    expect(first.length).toBeGreaterThan(60);
    expect(await once(true)).toEqual(first);
    expect(await once(false)).toEqual(first);
  });
});

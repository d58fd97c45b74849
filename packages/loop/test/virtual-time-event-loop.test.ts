import { newVirtualTimeEventLoop, VirtualTimeEventLoop } from '@aio/loop';

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
    using loop = new VirtualTimeEventLoop({ autoAdvance: false });
    await expect(loop.advance(-1)).rejects.toThrow(RangeError);
    await expect(loop.advance(Number.NaN)).rejects.toThrow(RangeError);
    await expect(loop.advance('1' as never)).rejects.toThrow(TypeError);
  });
});

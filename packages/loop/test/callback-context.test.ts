import { ContextVar, copyContext, EventLoop, VirtualTimeEventLoop } from '@aio/loop';

const v = new ContextVar<string>('v', { default: 'unset' });

describe.each([
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
])('callbacks and context variables on %s', (_name, makeLoop) => {
  test('each callback writes to its own copy of the scheduling context', async () => {
    using loop = makeLoop();
    const seen: string[] = [];
    copyContext().run(() => {
      v.set('scheduler');
      loop.callSoon(() => {
        seen.push(`a sees ${v.get()}`);
        v.set('a');
        seen.push(`a set ${v.get()}`);
      });
      loop.callSoon(() => seen.push(`b sees ${v.get()}`));
      loop.callSoon(() => {
        const token = v.set('c');
        v.reset(token);
        seen.push(`c after reset ${v.get()}`);
        loop.stop();
      });
      v.set('changed after scheduling');
    });
    await loop.runForever();
    expect(seen).toEqual(['a sees scheduler', 'a set a', 'b sees scheduler', 'c after reset scheduler']);
    expect(v.get()).toBe('unset');
  });

  test('an explicit context is used as it is: writes stay in it', async () => {
    using loop = makeLoop();
    const ctx = copyContext();
    loop.callSoon(() => v.set('written'), { context: ctx });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(ctx.get(v)).toBe('written');
    expect(v.get()).toBe('unset');
  });
});

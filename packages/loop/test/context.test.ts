// contextvars behaviour, after CPython's Lib/test/test_context.py; loop callbacks and their
// contexts (Handle.getContext) after test_asyncio. The per-callback copy of callSoon is in
// callback-context.test.ts.
import {
  Context,
  ContextVar,
  copyContext,
  EventLoop,
  type Handle,
  RuntimeError,
  Token,
  VirtualTimeEventLoop,
} from '@aio/loop';

describe('ContextVar', () => {
  test('get: the value, else the given default, else the variable default, else RangeError', () => {
    const withDefault = new ContextVar('withDefault', { default: 1 });
    const without = new ContextVar<number>('without');
    expect(withDefault.name).toBe('withDefault');
    expect(withDefault.get()).toBe(1);
    expect(without.get(7)).toBe(7);
    expect(() => without.get()).toThrow(RangeError);
    expect(() => without.get()).toThrow("ContextVar 'without' has no value");
    expect(String(without)).toBe('<ContextVar name="without">');
  });

  test('a default given to get() wins over the variable default; undefined is a value', () => {
    const v = new ContextVar<number | undefined>('v', { default: 1 });
    expect(v.get(9)).toBe(9);
    expect(v.get(undefined)).toBeUndefined();
    expect(new ContextVar('u', { default: undefined }).get()).toBeUndefined();
    new Context().run(() => {
      v.set(2);
      expect(v.get(9)).toBe(2);
      v.set(undefined);
      expect(v.get(9)).toBeUndefined();
    });
  });

  test('the name must be a string', () => {
    expect(() => new ContextVar(3 as never)).toThrow(TypeError);
    expect(() => new ContextVar(undefined as never)).toThrow('name must be a string');
    expect(new ContextVar('').name).toBe('');
  });

  test('set and reset with tokens; Token.MISSING for a variable that had no value', () => {
    new Context().run(() => {
      const v = new ContextVar<string>('v');
      const t1 = v.set('one');
      expect(t1).toBeInstanceOf(Token);
      expect(t1.var).toBe(v);
      expect(t1.oldValue).toBe(Token.MISSING);
      expect(typeof Token.MISSING).toBe('symbol');
      const t2 = v.set('two');
      expect(t2.oldValue).toBe('one');
      v.reset(t2);
      expect(v.get()).toBe('one');
      v.reset(t1);
      expect(() => v.get()).toThrow(RangeError);
      expect(v.get('fallback')).toBe('fallback');
    });
  });

  test('a token can be used once (RuntimeError, as Python); the value stays', () => {
    new Context().run(() => {
      const v = new ContextVar<string>('v');
      const t0 = v.set('a');
      const t = v.set('b');
      v.reset(t);
      v.set('c');
      expect(() => v.reset(t)).toThrow(RuntimeError);
      expect(() => v.reset(t)).toThrow('token has already been used once');
      expect(v.get()).toBe('c');
      v.reset(t0);
      expect(() => v.reset(t0)).toThrow(RuntimeError);
      expect(v.get('none')).toBe('none');
    });
  });

  test('a token of another variable, or not a token at all, is refused', () => {
    new Context().run(() => {
      const v1 = new ContextVar<number>('v1');
      const v2 = new ContextVar<number>('v2');
      const t1 = v1.set(42);
      expect(() => v2.reset(t1)).toThrow(RangeError);
      expect(() => v2.reset(t1)).toThrow('token was created by a different ContextVar');
      expect(() => v1.reset({} as never)).toThrow(TypeError);
      expect(() => v1.reset(undefined as never)).toThrow(TypeError);
      // The refused attempts did not use the token up.
      v1.reset(t1);
      expect(v1.get(0)).toBe(0);
    });
  });

  test('a token from another context cannot reset here', () => {
    const v = new ContextVar<string>('v', { default: 'default' });
    const token = new Context().run(() => v.set('elsewhere'));
    expect(() => v.reset(token)).toThrow(RangeError);
    new Context().run(() => {
      expect(() => v.reset(token)).toThrow('token was created in a different Context');
    });
    expect(v.get()).toBe('default');
  });

  test('resetting to "no value" removes the variable from the context', () => {
    const c = new ContextVar('c', { default: 42 });
    const ctx = new Context();
    ctx.run(() => {
      expect(c.get()).toBe(42);
      expect(ctx.has(c)).toBe(false);
      expect(ctx.get(c)).toBeUndefined();
      const t = c.set(1);
      expect([...ctx.keys()]).toEqual([c]);
      expect(ctx.get(c)).toBe(1);
      c.reset(t);
      expect([...ctx.keys()]).toEqual([]);
      expect(ctx.size).toBe(0);
      expect(c.get()).toBe(42);
    });
  });
});

describe('Context', () => {
  test('a new Context is empty; copyContext() gives a Context', () => {
    const ctx = new Context();
    expect(ctx.size).toBe(0);
    expect([...ctx.keys()]).toEqual([]);
    expect(copyContext()).toBeInstanceOf(Context);
    expect(copyContext()).not.toBe(copyContext());
  });

  test('run() makes it current and passes arguments; values set inside stay inside', () => {
    const v = new ContextVar('v', { default: 'outside' });
    const ctx = copyContext();
    ctx.run(() => v.set('inside'));
    expect(v.get()).toBe('outside');
    expect(ctx.get(v)).toBe('inside');
    expect(ctx.has(v)).toBe(true);
    expect(ctx.size).toBe(1);
    expect([...ctx.keys()]).toEqual([v]);
    expect(ctx.run((a: number, b: number) => a + b, 2, 3)).toBe(5);
    expect(ctx.run(() => v.get())).toBe('inside');
  });

  test('run() refuses what is not a function', () => {
    const ctx = new Context();
    expect(() => ctx.run(5 as never)).toThrow(TypeError);
    // Entering a context from inside its own run() is refused, as Python's; it stays usable.
    expect(() => ctx.run(() => ctx.run(() => 1))).toThrow(RuntimeError);
    expect(() => ctx.run(() => ctx.run(() => 1))).toThrow('already entered');
    expect(ctx.run(() => new Context().run(() => 2))).toBe(2);
    expect(ctx.run(() => 3)).toBe(3);
    expect(() => (ctx.run as (fn?: unknown) => unknown)()).toThrow('fn must be a function');
  });

  test('the context reflects sets made inside run() at once', () => {
    const ctx = new Context();
    const c = new ContextVar('c', { default: 0 });
    ctx.run(() => {
      expect(c.get()).toBe(0);
      expect(ctx.get(c)).toBeUndefined();
      c.set(42);
      expect(c.get()).toBe(42);
      expect(ctx.get(c)).toBe(42);
    });
  });

  test('nested runs of other contexts see their own values; the outer one comes back', () => {
    const ctx1 = new Context();
    const ctx2 = new Context();
    const v = new ContextVar<string | null>('v');
    const returned = ctx1.run(() => {
      expect(v.get(null)).toBeNull();
      v.set('spam');
      ctx2.run(() => {
        expect(v.get(null)).toBeNull();
        v.set('eggs');
      });
      expect(v.get(null)).toBe('spam');
      return copyContext();
    });
    expect(returned.get(v)).toBe('spam');
    expect(returned.size).toBe(1);
    expect(ctx1.get(v)).toBe('spam');
    expect(ctx2.get(v)).toBe('eggs');
    expect(v.get(null)).toBeNull();
  });

  test('an error thrown inside run() propagates; the caller context is untouched', () => {
    const ctx = new Context();
    const v = new ContextVar<string | null>('v');
    const boom = new Error('boom');
    expect(() =>
      ctx.run(() => {
        v.set('spam');
        throw boom;
      }),
    ).toThrow(boom);
    expect(v.get(null)).toBeNull();
    expect(ctx.get(v)).toBe('spam');
  });

  test('copies are independent both ways (copy on write)', () => {
    const v = new ContextVar('v', { default: 0 });
    const original = new Context();
    original.run(() => v.set(1));
    const copy = original.copy();
    expect(copy.get(v)).toBe(1);
    copy.run(() => v.set(2));
    original.run(() => v.set(3));
    expect(original.get(v)).toBe(3);
    expect(copy.get(v)).toBe(2);
    expect(new Context().get(v)).toBeUndefined();
  });

  test('a copy made inside run() keeps the values of that moment (Python test_context_copy_1)', () => {
    const ctx1 = new Context();
    const c = new ContextVar('c', { default: 42 });
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      expect(ctx2.get(c)).toBe(10);
      c.set(20);
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(10);
      ctx2.run(() => {
        expect(c.get()).toBe(10);
        c.set(30);
        expect(c.get()).toBe(30);
      });
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(30);
      expect(c.get()).toBe(20);
    });
  });

  test('copies of copies stay independent, and the copied-from context can still be written', () => {
    const v = new ContextVar<string>('v');
    const a = new Context();
    a.run(() => v.set('a'));
    const b = a.copy();
    const c = b.copy();
    c.run(() => v.set('c'));
    b.run(() => v.set('b'));
    a.run(() => v.set('a2'));
    expect([a.get(v), b.get(v), c.get(v)]).toEqual(['a2', 'b', 'c']);
    const w = new ContextVar<number>('w');
    c.run(() => w.set(1));
    expect([a.has(w), b.has(w), c.has(w)]).toEqual([false, false, true]);
  });

  test('the values are not copied deeply: a new value per context isolates mutable ones', () => {
    const c = new ContextVar<number[]>('c', { default: [] });
    new Context().run(() => {
      const outer: number[] = [];
      c.set(outer);
      copyContext().run(() => {
        c.set([]);
        c.get().push(42);
        expect(c.get()).toEqual([42]);
      });
      expect(c.get()).toBe(outer);
      expect(outer).toEqual([]);
    });
  });

  test('values follow native awaits inside run()', async () => {
    const v = new ContextVar('v', { default: 'none' });
    const seen = await copyContext().run(async () => {
      v.set('async');
      await new Promise((resolve) => setTimeout(resolve, 1));
      await Promise.resolve();
      const inThen = await Promise.resolve().then(() => v.get());
      const inImmediate = await new Promise((resolve) => setImmediate(() => resolve(v.get())));
      return [v.get(), inThen, inImmediate];
    });
    expect(seen).toEqual(['async', 'async', 'async']);
    expect(v.get()).toBe('none');
  });

  test('interleaved async runs in two contexts do not see each other', async () => {
    const v = new ContextVar<string>('v', { default: 'none' });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = (name: string, waitFor: Promise<void>) =>
      new Context().run(async () => {
        v.set(name);
        order.push(`${name} set`);
        await waitFor;
        order.push(`${name} sees ${v.get()}`);
        v.set(`${name} again`);
        await new Promise((resolve) => setImmediate(resolve));
        return v.get();
      });
    const first = worker('first', gate);
    const second = worker('second', Promise.resolve());
    release();
    expect(await Promise.all([first, second])).toEqual(['first again', 'second again']);
    expect(order).toEqual(['first set', 'second set', 'second sees second', 'first sees first']);
    expect(v.get()).toBe('none');
  });
});

describe.each([
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
])('loop callbacks and contexts on %s', (_name, makeLoop) => {
  const v = new ContextVar<string>('v', { default: 'unset' });

  test('Handle.getContext(): the given context, else a copy of the scheduler context as scheduled', async () => {
    using loop = makeLoop();
    const given = new Context();
    const explicit = loop.callSoon(() => {}, { context: given });
    expect(explicit.getContext()).toBe(given);
    const scheduler = new Context();
    let h!: Handle;
    scheduler.run(() => {
      v.set('scheduled');
      h = loop.callSoon(() => {});
      v.set('changed later');
    });
    const ctx = h.getContext();
    expect(ctx).toBeInstanceOf(Context);
    expect(ctx).not.toBe(scheduler);
    expect(ctx.get(v)).toBe('scheduled');
    expect(h.getContext()).toBe(ctx);
    // Writing into the handle's context does not reach the scheduler's.
    ctx.run(() => v.set('written through the handle'));
    expect(scheduler.get(v)).toBe('changed later');
    loop.callSoon(() => loop.stop());
    await loop.runForever();
  });

  test('the callback runs in its handle context: writes before and during the run show there', async () => {
    using loop = makeLoop();
    const scheduler = new Context();
    const seen: string[] = [];
    let early!: Handle;
    let late!: Handle;
    scheduler.run(() => {
      v.set('scheduler');
      early = loop.callSoon(() => {
        seen.push(v.get());
        v.set('set by early');
      });
      late = loop.callSoon(() => {
        seen.push(v.get());
        v.set('set by late');
      });
    });
    early.getContext().run(() => v.set('prepared'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual(['prepared', 'scheduler']);
    expect(early.getContext().get(v)).toBe('set by early');
    expect(late.getContext().get(v)).toBe('set by late');
    expect(scheduler.get(v)).toBe('scheduler');
  });

  test('timers run in a copy of the context they were scheduled in', async () => {
    using loop = makeLoop();
    const seen: string[] = [];
    let timer!: Handle;
    new Context().run(() => {
      v.set('at callLater');
      timer = loop.callLater(0.001, () => {
        seen.push(`later: ${v.get()}`);
        v.set('written by later');
      });
      v.set('at callAt');
      loop.callAt(loop.time() + 0.002, () => {
        seen.push(`at: ${v.get()}`);
        loop.stop();
      });
      v.set('after scheduling');
    });
    await loop.runForever();
    expect(seen).toEqual(['later: at callLater', 'at: at callAt']);
    expect(timer.getContext().get(v)).toBe('written by later');
  });

  test('a callback scheduled by a callback inherits its values, not the other way round', async () => {
    using loop = makeLoop();
    const seen: string[] = [];
    loop.callSoon(() => {
      v.set('parent');
      loop.callSoon(() => {
        seen.push(`child sees ${v.get()}`);
        v.set('child');
        loop.callSoon(() => {
          seen.push(`grandchild sees ${v.get()}`);
          loop.stop();
        });
      });
      loop.callSoon(() => seen.push(`sibling sees ${v.get()}`));
    });
    await loop.runForever();
    expect(seen).toEqual(['child sees parent', 'sibling sees parent', 'grandchild sees child']);
    expect(v.get()).toBe('unset');
  });

  test('callbacks given the same context share it', async () => {
    using loop = makeLoop();
    const shared = new Context();
    const seen: string[] = [];
    loop.callSoon(() => v.set('first'), { context: shared });
    loop.callSoon(() => seen.push(v.get()), { context: shared });
    loop.callSoon(() => seen.push(v.get()));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual(['first', 'unset']);
    expect(shared.get(v)).toBe('first');
  });

  test('a callback that throws leaves the scheduler context alone', async () => {
    using loop = makeLoop();
    loop.setExceptionHandler(() => {});
    const scheduler = new Context();
    scheduler.run(() => {
      v.set('scheduler');
      loop.callSoon(() => {
        v.set('before the throw');
        throw new Error('boom');
      });
      loop.callSoon(() => loop.stop());
    });
    await loop.runForever();
    expect(scheduler.get(v)).toBe('scheduler');
    expect(v.get()).toBe('unset');
  });
});

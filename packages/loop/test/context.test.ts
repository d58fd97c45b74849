import { Context, ContextVar, copyContext, Token } from '@aio/loop';

describe('ContextVar', () => {
  test('get: the value, else the given default, else the variable default, else RangeError', () => {
    const withDefault = new ContextVar('withDefault', { default: 1 });
    const without = new ContextVar<number>('without');
    expect(withDefault.name).toBe('withDefault');
    expect(withDefault.get()).toBe(1);
    expect(without.get(7)).toBe(7);
    expect(() => without.get()).toThrow(RangeError);
    expect(String(without)).toBe('<ContextVar name="without">');
    expect(() => new ContextVar(3 as never)).toThrow(TypeError);
  });

  test('set and reset with tokens; Token.MISSING for a variable that had no value', () => {
    copyContext().run(() => {
      const v = new ContextVar<string>('v');
      const t1 = v.set('one');
      expect(t1.var).toBe(v);
      expect(t1.oldValue).toBe(Token.MISSING);
      const t2 = v.set('two');
      expect(t2.oldValue).toBe('one');
      v.reset(t2);
      expect(v.get()).toBe('one');
      v.reset(t1);
      expect(() => v.get()).toThrow(RangeError);
      expect(() => v.reset(t1)).toThrow(/already been used/);
      const other = new ContextVar<string>('other');
      expect(() => other.reset(v.set('x') as never)).toThrow(/different ContextVar/);
      expect(() => v.reset({} as never)).toThrow(TypeError);
    });
  });

  test('a token from another context cannot reset here', () => {
    const v = new ContextVar<string>('v');
    const token = copyContext().run(() => v.set('elsewhere'));
    copyContext().run(() => {
      expect(() => v.reset(token)).toThrow(/different Context/);
    });
  });
});

describe('Context', () => {
  test('run() makes it current; values set inside stay inside', () => {
    const v = new ContextVar('v', { default: 'outside' });
    const ctx = copyContext();
    ctx.run(() => v.set('inside'));
    expect(v.get()).toBe('outside');
    expect(ctx.get(v)).toBe('inside');
    expect(ctx.has(v)).toBe(true);
    expect(ctx.size).toBe(1);
    expect([...ctx.keys()]).toEqual([v]);
    expect(ctx.run((a: number, b: number) => a + b, 2, 3)).toBe(5);
    expect(() => ctx.run(5 as never)).toThrow(TypeError);
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

  test('values follow native awaits inside run()', async () => {
    const v = new ContextVar('v', { default: 'none' });
    const seen = await copyContext().run(async () => {
      v.set('async');
      await new Promise((resolve) => setTimeout(resolve, 1));
      await Promise.resolve();
      return v.get();
    });
    expect(seen).toBe('async');
    expect(v.get()).toBe('none');
  });
});

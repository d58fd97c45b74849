import {
  CancelledError,
  ExceptionGroup,
  InvalidStateError,
  KeyboardInterrupt,
  NotImplementedError,
  RuntimeError,
  SendfileNotAvailableError,
  TimeoutError,
} from '@aio/loop';

// Builtin analogues and ExceptionGroup, after CPython's test_exception_group.py.
const classes = [
  CancelledError,
  InvalidStateError,
  RuntimeError,
  NotImplementedError,
  TimeoutError,
  SendfileNotAvailableError,
  KeyboardInterrupt,
] as const;

describe('error classes', () => {
  test.each([
    [CancelledError, 'CancelledError'],
    [InvalidStateError, 'InvalidStateError'],
    [RuntimeError, 'RuntimeError'],
    [NotImplementedError, 'NotImplementedError'],
    [TimeoutError, 'TimeoutError'],
    [SendfileNotAvailableError, 'SendfileNotAvailableError'],
    [KeyboardInterrupt, 'KeyboardInterrupt'],
  ])('%p has its Python name and message', (ErrorClass, name) => {
    const error = new ErrorClass('message');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe('message');
    expect(String(error)).toBe(`${name}: message`);
    expect(error.stack).toContain(name);
  });

  test('SendfileNotAvailableError is a RuntimeError; causes are kept', () => {
    expect(new SendfileNotAvailableError()).toBeInstanceOf(RuntimeError);
    const cause = new CancelledError();
    expect(new TimeoutError('t', { cause }).cause).toBe(cause);
    expect(new RuntimeError('r', { cause }).cause).toBe(cause);
  });

  test('no class is an instance of another, except SendfileNotAvailableError of RuntimeError', () => {
    for (const A of classes) {
      for (const B of classes) {
        const related = A === B || (A === SendfileNotAvailableError && B === RuntimeError);
        expect([A.name, B.name, new A() instanceof B]).toEqual([A.name, B.name, related]);
      }
    }
    // TimeoutError is its own class: JavaScript has no builtin one to extend.
    expect(new TimeoutError()).not.toBeInstanceOf(RangeError);
  });

  test.each(classes.map((C) => [C.name, C] as const))('%s: no message; name not enumerable', (_n, C) => {
    const error = new C();
    expect(error.message).toBe('');
    expect(String(error)).toBe(error.name);
    expect(Object.keys(error)).not.toContain('name');
    expect(error.stack?.startsWith(error.name)).toBe(true);
    expect(Object.getPrototypeOf(error)).toBe(C.prototype);
  });

  test('thrown and caught by class, as `except` would', () => {
    const caught = (fn: () => void, C: new () => Error) => {
      try {
        fn();
      } catch (e) {
        return e instanceof C;
      }
      return false;
    };
    expect(
      caught(() => {
        throw new SendfileNotAvailableError('no sendfile');
      }, RuntimeError),
    ).toBe(true);
    expect(
      caught(() => {
        throw new CancelledError();
      }, Error),
    ).toBe(true);
  });
});

describe('ExceptionGroup', () => {
  const a = new TypeError('a');
  const b = new RangeError('b');
  const c = new TypeError('c');

  test('holds its errors, frozen; needs at least one and a string message', () => {
    const group = new ExceptionGroup('several', [a, b]);
    expect(group.exceptions).toEqual([a, b]);
    expect(Object.isFrozen(group.exceptions)).toBe(true);
    expect(group.errors).toEqual([a, b]); // it is an AggregateError too
    expect(group).toBeInstanceOf(AggregateError);
    expect(group.name).toBe('ExceptionGroup');
    expect(() => new ExceptionGroup('none', [])).toThrow(RangeError);
    expect(() => new ExceptionGroup(5 as never, [a])).toThrow(TypeError);
  });

  test('split and subgroup by class and by predicate, recursively, keeping the message and cause', () => {
    const inner = new ExceptionGroup('inner', [c, b]);
    const group = new ExceptionGroup('outer', [a, inner]);
    group.cause = 'why';
    const [types, rest] = group.split(TypeError);
    expect(types!.message).toBe('outer');
    expect(types!.cause).toBe('why');
    expect(types!.exceptions[0]).toBe(a);
    expect((types!.exceptions[1] as ExceptionGroup).exceptions).toEqual([c]);
    expect((rest!.exceptions[0] as ExceptionGroup).exceptions).toEqual([b]);
    expect(group.subgroup((e) => e instanceof RangeError)!.exceptions).toHaveLength(1);
    expect(group.subgroup(SyntaxError)).toBeNull();
    const [all, none] = group.split(Error);
    expect(all).toBe(group);
    expect(none).toBeNull();
    expect(() => group.split(5 as never)).toThrow(TypeError);
  });

  test('the exceptions can be any iterable, and are a frozen copy', () => {
    const list = [a, b];
    const group = new ExceptionGroup('from a set', new Set(list));
    list.push(c);
    expect(group.exceptions).toEqual([a, b]);
    expect(() => (group.exceptions as unknown[]).push(c)).toThrow(TypeError);
    expect(() => new ExceptionGroup('not iterable', 5 as never)).toThrow(TypeError);
    expect(new ExceptionGroup('strings too', ['x']).exceptions).toEqual(['x']);
  });

  test('message and name: the group message, ExceptionGroup; the cause is kept', () => {
    const cause = new Error('root');
    const group = new ExceptionGroup('many', [a]);
    group.cause = cause;
    expect(group.message).toBe('many');
    expect(String(group)).toBe('ExceptionGroup: many');
    expect(group.subgroup(TypeError)).not.toBe(group);
    expect(group.subgroup(TypeError)!.cause).toBe(cause);
    expect(group.split(RangeError)[1]!.cause).toBe(cause);
  });

  test('split by class: structure kept, leaves are the same objects, both parts can be null', () => {
    const inner = new ExceptionGroup('inner', [c, b]);
    const group = new ExceptionGroup('outer', [a, b, inner]);
    const [match, rest] = group.split(RangeError);
    expect(match!.exceptions[0]).toBe(b);
    const matchInner = match!.exceptions[1] as ExceptionGroup;
    expect(matchInner).toBeInstanceOf(ExceptionGroup);
    expect(matchInner.message).toBe('inner');
    expect(matchInner.exceptions).toEqual([b]);
    expect(rest!.exceptions[0]).toBe(a);
    expect((rest!.exceptions[1] as ExceptionGroup).exceptions).toEqual([c]);
    expect(group.split(SyntaxError)).toEqual([null, expect.any(ExceptionGroup)]);
    expect(group.split(SyntaxError)[1]!.exceptions).toHaveLength(3);
    const allLeaves = new ExceptionGroup('leaves', [a, c]);
    const [leaves, none] = allLeaves.split(TypeError);
    expect(leaves!.exceptions).toEqual([a, c]);
    expect(none).toBeNull();
  });

  test('split by predicate; a predicate is also asked about the groups themselves', () => {
    const inner = new ExceptionGroup('inner', [c, b]);
    const group = new ExceptionGroup('outer', [a, inner]);
    const asked: unknown[] = [];
    group.split((e) => {
      asked.push(e);
      return false;
    });
    expect(asked).toEqual([group, a, inner, c, b]);
    const [byMessage] = group.split((e) => e instanceof Error && e.message === 'c');
    expect((byMessage!.exceptions[0] as ExceptionGroup).exceptions).toEqual([c]);
    // A nested group that matches is taken whole (the same object).
    const [withInner, withoutInner] = group.split((e) => e === inner);
    expect(withInner!.exceptions[0]).toBe(inner);
    expect(withoutInner!.exceptions).toEqual([a]);
  });

  test('a condition that matches the group itself returns it as it is', () => {
    const group = new ExceptionGroup('g', [a, new ExceptionGroup('inner', [b])]);
    expect(group.split(ExceptionGroup)).toEqual([group, null]);
    expect(group.split(ExceptionGroup)[0]).toBe(group);
    expect(group.split(AggregateError)[0]).toBe(group);
    expect(group.split((e) => e === group)[0]).toBe(group);
    expect(group.subgroup(() => true)).toBe(group);
    expect(group.subgroup(Error)).toBe(group);
  });

  test('deeply nested groups are split recursively; empty branches are dropped', () => {
    const deep = new ExceptionGroup('l1', [new ExceptionGroup('l2', [new ExceptionGroup('l3', [b])]), a]);
    const [ranges, types] = deep.split(RangeError);
    const l2 = ranges!.exceptions[0] as ExceptionGroup;
    const l3 = l2.exceptions[0] as ExceptionGroup;
    expect([ranges!.message, l2.message, l3.message]).toEqual(['l1', 'l2', 'l3']);
    expect(ranges!.exceptions).toHaveLength(1);
    expect(l3.exceptions).toEqual([b]);
    expect(types!.exceptions).toEqual([a]);
    expect(deep.subgroup(SyntaxError)).toBeNull();
  });

  test('subgroup is the matching half of split', () => {
    const group = new ExceptionGroup('g', [a, b, c]);
    expect(group.subgroup(TypeError)!.exceptions).toEqual(group.split(TypeError)[0]!.exceptions);
    expect(group.subgroup((e) => e === b)!.exceptions).toEqual([b]);
    expect(() => group.subgroup('TypeError' as never)).toThrow(TypeError);
  });
});

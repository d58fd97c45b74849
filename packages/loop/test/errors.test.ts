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
});

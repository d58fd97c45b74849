// Unix signal handlers, after test_asyncio/test_unix_events.py (add/remove_signal_handler).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { type BaseEventLoop, EventLoop, RuntimeError, VirtualTimeEventLoop } from '@aio/loop';

const register = path.join(__dirname, '..', '..', '..', 'tools', 'ts-register.cjs');
const loopKinds: [string, () => BaseEventLoop][] = [
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
];

describe('real signals (process.kill in a child Node process)', () => {
  // jest's sandboxed `process` never receives signals (a real SIGUSR1 would start the
  // inspector instead): the scenarios of fixtures/signal-handlers.ts run in a plain Node
  // process, once, and each test checks one of them on both loops.
  let results: Record<string, Record<string, string[]>>;
  beforeAll(() => {
    const script = path.join(__dirname, 'fixtures', 'signal-handlers.ts');
    const out = execFileSync(process.execPath, ['-r', register, '-e', `require(${JSON.stringify(script)})`], {
      encoding: 'utf8',
      timeout: 15000,
    });
    results = JSON.parse(out);
  });

  const expected: Record<string, string[]> = {
    'runs on the loop with its arguments': ['SIGUSR1 x 2, running loop is this loop: true'],
    'the callback is a loop callback: its error goes to the exception handler': [
      'Exception: from the handler',
      'with its handle: true',
    ],
    'a second handler replaces the first; numbers work': [
      'listeners +1',
      'second handler',
      'removed by number: true',
      'listeners +0',
    ],
    'removeSignalHandler: true, then false; a removed handler is not called': [
      'removed: true false',
      'never added: false',
    ],
    'a signal that comes while the loop is stopped is handled on the next run': [
      'delivered while stopped',
      'handled, running: true',
    ],
    'close() removes the handlers; later signals are ignored': ['listeners +2', 'after close +0'],
  };

  describe.each(loopKinds.map(([name]) => name))('%s', (kind) => {
    test.each(Object.keys(expected))('%s', (scenario) => {
      expect(results[kind]![scenario]).toEqual(expected[scenario]);
    });
  });
});

describe.each(loopKinds)('signal handler bookkeeping on %s', (_name, makeLoop) => {
  test('adding installs one process listener; replacing keeps one; removing returns true, then false', () => {
    using loop = makeLoop();
    const before = process.listenerCount('SIGWINCH');
    loop.addSignalHandler('SIGWINCH', () => {});
    expect(process.listenerCount('SIGWINCH')).toBe(before + 1);
    loop.addSignalHandler(os.constants.signals.SIGWINCH, () => {});
    expect(process.listenerCount('SIGWINCH')).toBe(before + 1);
    expect(loop.removeSignalHandler(os.constants.signals.SIGWINCH)).toBe(true);
    expect(process.listenerCount('SIGWINCH')).toBe(before);
    expect(loop.removeSignalHandler('SIGWINCH')).toBe(false);
  });

  test('close() removes the handlers', () => {
    const loop = makeLoop();
    const before = [process.listenerCount('SIGWINCH'), process.listenerCount('SIGUSR2')];
    loop.addSignalHandler('SIGWINCH', () => {});
    loop.addSignalHandler('SIGUSR2', () => {});
    expect(process.listenerCount('SIGWINCH')).toBe(before[0]! + 1);
    loop.close();
    expect([process.listenerCount('SIGWINCH'), process.listenerCount('SIGUSR2')]).toEqual(before);
    expect(loop.removeSignalHandler('SIGWINCH')).toBe(false);
  });

  test('two loops keep separate handlers', () => {
    using a = makeLoop();
    using b = makeLoop();
    const before = process.listenerCount('SIGWINCH');
    a.addSignalHandler('SIGWINCH', () => {});
    b.addSignalHandler('SIGWINCH', () => {});
    expect(process.listenerCount('SIGWINCH')).toBe(before + 2);
    expect(a.removeSignalHandler('SIGWINCH')).toBe(true);
    expect(process.listenerCount('SIGWINCH')).toBe(before + 1);
    expect(b.removeSignalHandler('SIGWINCH')).toBe(true);
  });

  test('SIGKILL and SIGSTOP cannot be caught, by name or number', () => {
    using loop = makeLoop();
    expect(() => loop.addSignalHandler('SIGKILL', () => {})).toThrow(
      new RangeError('sig SIGKILL cannot be caught'),
    );
    expect(() => loop.addSignalHandler('SIGSTOP', () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler(os.constants.signals.SIGKILL, () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler(os.constants.signals.SIGSTOP, () => {})).toThrow(RangeError);
  });

  test('unknown signals are RangeErrors; other types, and callbacks that are not functions, TypeErrors', () => {
    using loop = makeLoop();
    const before = process.listenerCount('SIGWINCH');
    expect(() => loop.addSignalHandler('SIGNOPE' as NodeJS.Signals, () => {})).toThrow(/not a valid signal/);
    expect(() => loop.addSignalHandler(9999, () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler(-1, () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler({} as never, () => {})).toThrow(TypeError);
    expect(() => loop.addSignalHandler('SIGWINCH', 'nope' as never)).toThrow(TypeError);
    expect(() => loop.addSignalHandler('SIGWINCH', null as never)).toThrow(
      'addSignalHandler: callback must be a function, got null',
    );
    expect(() => loop.removeSignalHandler('SIGNOPE' as NodeJS.Signals)).toThrow(RangeError);
    expect(() => loop.removeSignalHandler(null as never)).toThrow(TypeError);
    expect(process.listenerCount('SIGWINCH')).toBe(before);
  });

  test('a closed loop refuses new handlers (RuntimeError)', () => {
    const loop = makeLoop();
    loop.close();
    expect(() => loop.addSignalHandler('SIGWINCH', () => {})).toThrow(RuntimeError);
    expect(() => loop.addSignalHandler('SIGWINCH', () => {})).toThrow('Event loop is closed');
  });
});

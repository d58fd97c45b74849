import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EventLoop, RuntimeError, VirtualTimeEventLoop } from '@aio/loop';

const register = path.join(__dirname, '..', '..', '..', 'tools', 'ts-register.cjs');

test('real signals run their handlers on the loop, with their arguments (in a real Node process)', () => {
  // jest's sandboxed `process` cannot receive signals: the scenario runs in a child process.
  const script = path.join(__dirname, 'fixtures', 'signal-handlers.ts');
  const out = execFileSync(process.execPath, ['-r', register, '-e', `require(${JSON.stringify(script)})`], {
    encoding: 'utf8',
    timeout: 15000,
  });
  const expected = [
    'listeners +1',
    'SIGUSR2 x 2 on loop: true',
    'second handler',
    'removed: true false',
    'listeners after close +0',
  ];
  expect(JSON.parse(out)).toEqual({ EventLoop: expected, VirtualTimeEventLoop: expected });
});

describe.each([
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
])('signal handler bookkeeping on %s', (_name, makeLoop) => {
  test('close() removes the handlers', () => {
    const loop = makeLoop();
    const before = process.listenerCount('SIGWINCH');
    loop.addSignalHandler('SIGWINCH', () => {});
    expect(process.listenerCount('SIGWINCH')).toBe(before + 1);
    loop.close();
    expect(process.listenerCount('SIGWINCH')).toBe(before);
  });

  test('bad signals and callbacks get clear errors', () => {
    using loop = makeLoop();
    expect(() => loop.addSignalHandler('SIGKILL', () => {})).toThrow(
      new RangeError('sig SIGKILL cannot be caught'),
    );
    expect(() => loop.addSignalHandler('SIGSTOP', () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler('SIGNOPE' as NodeJS.Signals, () => {})).toThrow(/not a valid signal/);
    expect(() => loop.addSignalHandler(9999, () => {})).toThrow(RangeError);
    expect(() => loop.addSignalHandler({} as never, () => {})).toThrow(TypeError);
    expect(() => loop.addSignalHandler('SIGWINCH', 'nope' as never)).toThrow(TypeError);
    expect(() => loop.removeSignalHandler('SIGNOPE' as NodeJS.Signals)).toThrow(RangeError);
    loop.close();
    expect(() => loop.addSignalHandler('SIGWINCH', () => {})).toThrow(RuntimeError);
  });
});

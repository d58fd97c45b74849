// The "asyncio" logger: where @aio writes what it logs, and setLogger() to send it elsewhere.
import { EventLoop, type Logger, logger, setLogger } from '@aio/loop';

const levels = ['debug', 'info', 'warn', 'error'] as const;

/** A logger that records `level: args` lines. */
function recorder(): Logger & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  return {
    lines,
    debug: (...a) => lines.push(['debug', ...a]),
    info: (...a) => lines.push(['info', ...a]),
    warn: (...a) => lines.push(['warn', ...a]),
    error: (...a) => lines.push(['error', ...a]),
  };
}

afterEach(() => {
  setLogger(console);
  jest.restoreAllMocks();
});

test('by default each level goes to the console method of the same name', () => {
  for (const level of levels) {
    const spy = jest.spyOn(console, level).mockImplementation(() => {});
    logger[level]('message', 1, { x: 2 });
    expect(spy).toHaveBeenCalledWith('message', 1, { x: 2 });
  }
});

test('setLogger routes every level to the target, with all arguments', () => {
  const target = recorder();
  setLogger(target);
  const error = new Error('e');
  logger.debug('d');
  logger.info('i', 1);
  logger.warn('w', 2, 3);
  logger.error('e', error);
  logger.info();
  expect(target.lines).toEqual([
    ['debug', 'd'],
    ['info', 'i', 1],
    ['warn', 'w', 2, 3],
    ['error', 'e', error],
    ['info'],
  ]);
});

test('`logger` is a stable forwarder: references taken before setLogger follow the new target', () => {
  const { warn } = logger;
  const first = recorder();
  const second = recorder();
  setLogger(first);
  warn('to first');
  setLogger(second);
  warn('to second');
  expect(first.lines).toEqual([['warn', 'to first']]);
  expect(second.lines).toEqual([['warn', 'to second']]);
});

test('methods are called on the target (class-based loggers keep `this`)', () => {
  class PrefixLogger implements Logger {
    readonly lines: string[] = [];
    constructor(readonly prefix: string) {}
    debug(...a: unknown[]) {
      this.lines.push(`${this.prefix} debug ${a.join(' ')}`);
    }
    info(...a: unknown[]) {
      this.lines.push(`${this.prefix} info ${a.join(' ')}`);
    }
    warn(...a: unknown[]) {
      this.lines.push(`${this.prefix} warn ${a.join(' ')}`);
    }
    error(...a: unknown[]) {
      this.lines.push(`${this.prefix} error ${a.join(' ')}`);
    }
  }
  const target = new PrefixLogger('[asyncio]');
  setLogger(target);
  logger.info('a', 'b');
  expect(target.lines).toEqual(['[asyncio] info a b']);
});

test.each([
  ['null', null],
  ['undefined', undefined],
  ['a number', 5],
  ['a function', () => {}],
  ['an empty object', {}],
  ['an object without error()', { debug() {}, info() {}, warn() {} }],
  ['an object whose debug is not a function', { debug: 'x', info() {}, warn() {}, error() {} }],
])('setLogger refuses %s (TypeError) and keeps the current target', (_what, bad) => {
  const target = recorder();
  setLogger(target);
  expect(() => setLogger(bad as never)).toThrow(TypeError);
  expect(() => setLogger(bad as never)).toThrow(/^logger must have a (debug|info|warn|error)\(\) method$/);
  logger.error('still here');
  expect(target.lines).toEqual([['error', 'still here']]);
});

test('the loop logs through it: an error nobody handled reaches the target', async () => {
  const target = recorder();
  setLogger(target);
  using loop = new EventLoop();
  const boom = new Error('boom');
  loop.callSoon(function failing() {
    throw boom;
  });
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  expect(target.lines).toHaveLength(1);
  const [level, message, exception] = target.lines[0]!;
  expect(level).toBe('error');
  expect(message).toMatch(/^Exception in callback failing\(\)/);
  expect(exception).toBe(boom);
});

test('after setLogger(console) the console gets the messages again', () => {
  setLogger(recorder());
  setLogger(console);
  const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
  logger.error('back');
  expect(spy).toHaveBeenCalledWith('back');
});

/** The loop's logger: Python's "asyncio" logger. Delegates to `console` unless replaced. */

/** Where @aio writes what it logs. */
export interface Logger {
  debug(...a: unknown[]): void;
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

let target: Logger = console;

/** The logger @aio writes to; forwards to the target set by `setLogger` (default `console`). */
export const logger: Logger = {
  debug: (...a) => target.debug(...a),
  info: (...a) => target.info(...a),
  warn: (...a) => target.warn(...a),
  error: (...a) => target.error(...a),
};

/** Sends what @aio logs to `target` (e.g. a pino or winston logger). */
export function setLogger(newTarget: Logger): void {
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof newTarget?.[level] !== 'function') throw new TypeError(`logger must have a ${level}() method`);
  }
  target = newTarget;
}

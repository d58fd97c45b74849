/**
 * The exceptions asyncio raises, as JavaScript error classes. Each keeps its Python name in
 * `name`, so logs and `err.name` checks read as they would in Python.
 */

function named<T extends Error>(error: T, name: string): T {
  Object.defineProperty(error, 'name', {
    value: name,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return error;
}

/**
 * A task or future was cancelled. As in Python (where it is a `BaseException`), code that
 * catches everything should rethrow it: `if (isCancellation(e)) throw e`.
 */
export class CancelledError extends Error {
  constructor(message?: string) {
    super(message);
    named(this, 'CancelledError');
  }
}

/** An operation is not allowed in the future's current state (e.g. `result()` while pending). */
export class InvalidStateError extends Error {
  constructor(message?: string) {
    super(message);
    named(this, 'InvalidStateError');
  }
}

/** Python's `RuntimeError`: an operation is not allowed now (loop closed, already running, ...). */
export class RuntimeError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    named(this, 'RuntimeError');
  }
}

/** Python's `NotImplementedError`: Node offers no way to do this, or this loop does not. */
export class NotImplementedError extends Error {
  constructor(message?: string) {
    super(message);
    named(this, 'NotImplementedError');
  }
}

/** A deadline passed (`waitFor`, `timeout`, `asCompleted`): Python's builtin `TimeoutError`. */
export class TimeoutError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    named(this, 'TimeoutError');
  }
}

/** `sendfile` cannot be done natively and fallback was refused. */
export class SendfileNotAvailableError extends RuntimeError {
  constructor(message?: string) {
    super(message);
    named(this, 'SendfileNotAvailableError');
  }
}

/** `run()`/`Runner.run()` reject with this after a first Ctrl-C (SIGINT) cancelled the main task. */
export class KeyboardInterrupt extends Error {
  constructor(message?: string) {
    super(message);
    named(this, 'KeyboardInterrupt');
  }
}

/** A class to match by `instanceof`, or a predicate. */
export type ErrorMatch<E> = (abstract new (...args: never[]) => E) | ((e: E) => boolean);

function matcher<E>(match: ErrorMatch<E>): (e: E) => boolean {
  if (typeof match !== 'function')
    throw new TypeError('match must be an error class or a predicate function');
  const asClass = match as abstract new (...args: never[]) => E;
  if (
    typeof asClass.prototype === 'object' &&
    asClass.prototype !== null &&
    asClass.prototype instanceof Error
  ) {
    return (e) => e instanceof asClass;
  }
  if (asClass === (Error as unknown)) return (e) => e instanceof Error;
  return match as (e: E) => boolean;
}

/**
 * Several errors raised together (Python 3.11's `ExceptionGroup`), thrown by `TaskGroup` and
 * by `createConnection({ allErrors: true })`. Nested groups are searched by `subgroup`/`split`.
 *
 * @example
 * const [timeouts, rest] = group.split(TimeoutError);
 */
export class ExceptionGroup<E = unknown> extends AggregateError {
  /** The errors of this group, in the order they happened. */
  readonly exceptions: readonly E[];

  constructor(message: string, exceptions: Iterable<E>) {
    if (typeof message !== 'string') throw new TypeError('message must be a string');
    const list = Object.freeze([...exceptions]);
    if (list.length === 0) throw new RangeError('exceptions must be a non-empty sequence');
    super(list, message);
    named(this, 'ExceptionGroup');
    this.exceptions = list;
  }

  /** A group of the same message holding only the matching errors (recursively), or `null`. */
  subgroup(match: ErrorMatch<E>): ExceptionGroup<E> | null {
    return this.split(match)[0];
  }

  /** `[matching, rest]`: two groups that partition this one (either may be `null`). */
  split(match: ErrorMatch<E>): [ExceptionGroup<E> | null, ExceptionGroup<E> | null] {
    const test = matcher(match);
    if (test(this as unknown as E)) return [this, null];
    const matched: E[] = [];
    const rest: E[] = [];
    for (const error of this.exceptions) {
      if (error instanceof ExceptionGroup) {
        const [m, r] = (error as ExceptionGroup<E>).split(match);
        if (m) matched.push(m as unknown as E);
        if (r) rest.push(r as unknown as E);
      } else if (test(error)) {
        matched.push(error);
      } else {
        rest.push(error);
      }
    }
    return [this.derive(matched), this.derive(rest)];
  }

  /** A group with the same message around `exceptions`, or `null` when there are none. */
  protected derive(exceptions: E[]): ExceptionGroup<E> | null {
    if (exceptions.length === 0) return null;
    const group = new ExceptionGroup<E>(this.message, exceptions);
    group.cause = this.cause;
    return group;
  }
}

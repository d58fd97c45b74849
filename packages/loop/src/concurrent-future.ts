/**
 * `ConcurrentFuture`: the stand-in for `concurrent.futures.Future`, the result of work handed
 * to an executor. It belongs to no loop; callbacks run synchronously when it completes, and
 * the blocking `result()`/`exception()` of Python become Promises here.
 */
import { CancelledError, InvalidStateError, RuntimeError, TimeoutError } from './errors';
import { logger } from './logger';

type State = 'PENDING' | 'RUNNING' | 'CANCELLED' | 'FINISHED';

/** The longest delay `setTimeout` honours. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** The result of a call submitted to an `Executor`. */
export class ConcurrentFuture<T> implements PromiseLike<T> {
  #state: State = 'PENDING';
  #result: T | undefined;
  #exception: unknown = null;
  #failed = false;
  #callbacks: ((f: ConcurrentFuture<T>) => void)[] = [];
  #waiters: (() => void)[] = [];

  /** Cancels it unless it is running or done; `true` if it is (now) cancelled. */
  cancel(): boolean {
    if (this.#state === 'RUNNING' || this.#state === 'FINISHED') return false;
    if (this.#state === 'CANCELLED') return true;
    this.#state = 'CANCELLED';
    this.#complete();
    return true;
  }

  cancelled(): boolean {
    return this.#state === 'CANCELLED';
  }

  running(): boolean {
    return this.#state === 'RUNNING';
  }

  done(): boolean {
    return this.#state === 'CANCELLED' || this.#state === 'FINISHED';
  }

  /**
   * Waits (at most `timeout` seconds) for the result.
   * @throws CancelledError if cancelled, TimeoutError on timeout, or the call's error.
   */
  async result(timeout: number | null = null): Promise<T> {
    await this.#wait(timeout);
    return this._resultNow();
  }

  /** Waits (at most `timeout` seconds) and returns the call's error, or `null` if it succeeded. */
  async exception(timeout: number | null = null): Promise<unknown> {
    await this.#wait(timeout);
    return this._exceptionNow();
  }

  /** Calls `fn(this)` when it completes (at once, synchronously, if it is done already). */
  addDoneCallback(fn: (f: ConcurrentFuture<T>) => void): void {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    if (this.done()) this.#invoke(fn);
    else this.#callbacks.push(fn);
  }

  /** For executors: marks it running, or returns `false` if it was cancelled (then skip the call). */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'CANCELLED') return false;
    if (this.#state === 'PENDING') {
      this.#state = 'RUNNING';
      return true;
    }
    throw new RuntimeError(`future in unexpected state ${this.#state}`);
  }

  /** For executors: completes it with `result`. */
  setResult(result: T): void {
    this.#settle();
    this.#result = result;
    this.#complete();
  }

  /** For executors: completes it with `exception`. */
  setException(exception: unknown): void {
    this.#settle();
    this.#exception = exception;
    this.#failed = true;
    this.#complete();
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onFulfilled, onRejected);
  }

  /** @internal The result of a done future, without waiting. */
  _resultNow(): T {
    if (this.#state === 'CANCELLED') throw new CancelledError();
    if (this.#state !== 'FINISHED') throw new InvalidStateError('Result is not ready.');
    if (this.#failed) throw this.#exception;
    return this.#result as T;
  }

  /** @internal The error of a done future, without waiting. */
  _exceptionNow(): unknown {
    if (this.#state === 'CANCELLED') throw new CancelledError();
    if (this.#state !== 'FINISHED') throw new InvalidStateError('Exception is not set.');
    return this.#exception;
  }

  toString(): string {
    return `<ConcurrentFuture state=${this.#state.toLowerCase()}>`;
  }

  #settle(): void {
    if (this.done()) throw new InvalidStateError(`${this.#state}: ${this}`);
    this.#state = 'FINISHED';
  }

  #complete(): void {
    for (const wake of this.#waiters.splice(0)) wake();
    for (const fn of this.#callbacks.splice(0)) this.#invoke(fn);
  }

  #invoke(fn: (f: ConcurrentFuture<T>) => void): void {
    try {
      fn(this);
    } catch (error) {
      logger.error(`exception calling callback for ${this}`, error);
    }
  }

  #wait(timeout: number | null): Promise<void> {
    if (this.done()) return Promise.resolve();
    if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
      throw new TypeError('timeout must be a number of seconds or null');
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(wake);
      if (timeout === null || timeout === Number.POSITIVE_INFINITY) return;
      // setTimeout fires at once for delays beyond 2^31 - 1 ms (~24.8 days): wait in steps.
      let remaining = Math.max(0, timeout * 1000);
      const step = () => {
        if (remaining > MAX_TIMER_DELAY) {
          remaining -= MAX_TIMER_DELAY;
          timer = setTimeout(step, MAX_TIMER_DELAY);
          return;
        }
        timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== wake);
          reject(new TimeoutError());
        }, remaining);
      };
      step();
    });
  }
}

/** `timeout`/`timeoutAt`/`Timeout`: a deadline around a block of code (asyncio 3.11). */
import { getRunningLoop, type Handle, RuntimeError, TimeoutError } from '@aio/loop';
import { asCancelledError } from './cancellation';
import { currentTask, type Task } from './task';

type State = 'created' | 'active' | 'expiring' | 'expired' | 'finished';

/**
 * A deadline for a block of code run inside a task. When it passes, the task is cancelled;
 * the `CancelledError` that this causes is turned into `TimeoutError` at the block's end
 * (but not a cancellation that came from elsewhere).
 *
 * @example
 * await timeout(5, async (cm) => {
 *   await longWork();
 *   cm.reschedule(getRunningLoop().time() + 5); // more time
 * });
 *
 * **Cancellation**: a cancellation from outside propagates as `CancelledError`, unchanged.
 */
export class Timeout {
  #state: State = 'created';
  #when: number | null;
  #task: Task | null = null;
  #handle: Handle | null = null;
  #cancelling = 0;

  /** A timeout at loop time `when` (`null`: none yet). Prefer `timeout()`/`timeoutAt()`. */
  constructor(when: number | null) {
    checkWhen(when, 'when');
    this.#when = when;
  }

  /** The deadline on the loop's clock, or `null`. */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline (`null`: none).
   * @throws RuntimeError unless the timeout is active (entered, not expired nor exited).
   */
  reschedule(when: number | null): void {
    checkWhen(when, 'when');
    if (this.#state !== 'active') {
      if (this.#state === 'created') throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    this.#when = when;
    this.#handle?.cancel();
    this.#handle = null;
    if (when === null) return;
    const loop = getRunningLoop();
    this.#handle = when <= loop.time() ? loop.callSoon(this.#onTimeout) : loop.callAt(when, this.#onTimeout);
  }

  /** Whether the deadline passed (and the task was cancelled for it). */
  expired(): boolean {
    return this.#state === 'expiring' || this.#state === 'expired';
  }

  /**
   * Runs `body` under this deadline: the TypeScript form of `async with timeout`.
   * @throws TimeoutError when the deadline cancelled the body; RuntimeError outside a task or if entered twice.
   */
  async run<T>(body: (cm: Timeout) => PromiseLike<T>): Promise<T> {
    if (typeof body !== 'function') throw new TypeError('body must be a function');
    this.#enter();
    let result: T;
    try {
      result = await body(this);
    } catch (error) {
      this.#exit(error, true);
      throw error;
    }
    this.#exit(undefined, false);
    return result;
  }

  toString(): string {
    const when = this.#when === null ? '' : ` when=${this.#when}`;
    return `<Timeout [${this.#state}]${when}>`;
  }

  #enter(): void {
    if (this.#state !== 'created') throw new RuntimeError('Timeout has already been entered');
    const task = currentTask();
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this.#state = 'active';
    this.#task = task;
    this.#cancelling = task.cancelling();
    this.reschedule(this.#when);
  }

  #exit(error: unknown, failed: boolean): void {
    this.#handle?.cancel();
    this.#handle = null;
    if (this.#state === 'expiring') {
      this.#state = 'expired';
      if (this.#task!.uncancel() <= this.#cancelling && failed) {
        const cancelled = asCancelledError(error);
        // Our own cancellation: report it as the timeout it is.
        if (cancelled !== null) throw new TimeoutError(undefined, { cause: cancelled });
      }
    } else if (this.#state === 'active') {
      this.#state = 'finished';
    }
  }

  readonly #onTimeout = (): void => {
    this.#task!.cancel();
    this.#state = 'expiring';
    this.#handle = null;
  };
}

function checkWhen(when: unknown, name: string): void {
  if (when !== null && typeof when !== 'number') throw new TypeError(`${name} must be a number or null`);
  if (Number.isNaN(when)) throw new RangeError(`${name} must not be NaN`);
}

/**
 * A deadline `delay` seconds from now (`null`: none), as an unentered `Timeout`, or — with a
 * `body` — runs `body` under it.
 *
 * @example
 * const data = await timeout(10, () => download(url));
 * @throws TimeoutError when the deadline passes; RuntimeError outside a running loop.
 */
export function timeout(delay: number | null): Timeout;
export function timeout<T>(delay: number | null, body: (cm: Timeout) => PromiseLike<T>): Promise<T>;
export function timeout<T>(
  delay: number | null,
  body?: (cm: Timeout) => PromiseLike<T>,
): Timeout | Promise<T> {
  checkWhen(delay, 'delay');
  const loop = getRunningLoop();
  const cm = new Timeout(delay === null ? null : loop.time() + delay);
  return body === undefined ? cm : cm.run(body);
}

/**
 * A deadline at loop time `when` (`null`: none), as an unentered `Timeout`, or — with a
 * `body` — runs `body` under it.
 */
export function timeoutAt(when: number | null): Timeout;
export function timeoutAt<T>(when: number | null, body: (cm: Timeout) => PromiseLike<T>): Promise<T>;
export function timeoutAt<T>(
  when: number | null,
  body?: (cm: Timeout) => PromiseLike<T>,
): Timeout | Promise<T> {
  const cm = new Timeout(when);
  return body === undefined ? cm : cm.run(body);
}

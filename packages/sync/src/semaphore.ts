/**
 * `Semaphore` and `BoundedSemaphore`: a counter of permits for tasks (asyncio's). Fair, as
 * asyncio is since 3.11.x: permits go to waiters in FIFO order, `release()` hands a permit
 * straight to the first waiter, and a newcomer never takes a permit while others wait.
 */
import { Acquirable } from './internal/acquirable';
import { checkCount } from './internal/check';
import { RESOLVED_TRUE } from './internal/loop-bound';
import { type Waiter, type WaiterOwner, waitInLine } from './internal/waiter';
import { WaiterList } from './internal/waiter-list';

/**
 * `value` permits shared by tasks: `acquire()` takes one (waiting while none is left),
 * `release()` gives one back.
 *
 * @example
 * const slots = new Semaphore(3); // at most three downloads at a time
 * await slots.withLock(() => download(url));
 *
 * **Cancellation**: a task cancelled while waiting in `acquire()` leaves the line holding no
 * permit. One cancelled after `release()` chose it, but before it resumed, gives the permit
 * back and it goes to the next waiter, so the count is always restored. Once `acquire()` has
 * resolved, the permit is the task's.
 */
export class Semaphore extends Acquirable implements WaiterOwner {
  /** @internal Permits left (those granted to waiters are already taken off). */
  _value: number;
  readonly #waiters = new WaiterList<Waiter>();

  /**
   * @param value the number of permits (default 1).
   * @throws TypeError / RangeError unless `value` is an integer >= 0.
   */
  constructor(value = 1) {
    super();
    checkCount(value, 'value', 0);
    this._value = value;
  }

  /** Whether `acquire()` would wait: no permit left, or tasks already waiting for one. */
  locked(): boolean {
    return this._value === 0 || this.#waiters.length > 0;
  }

  /**
   * Takes a permit, waiting in line while none is free; resolves to `true`. With a free permit
   * and nobody waiting it returns at once, without yielding to the loop.
   *
   * **Cancellation**: see the class; `CancelledError` means no permit was taken.
   */
  acquire(): Promise<true> {
    if (!this.locked()) {
      this._value--;
      return RESOLVED_TRUE;
    }
    return waitInLine(this, this.#waiters, this);
  }

  /** Gives a permit back; the first waiter (if any) gets it. */
  release(): void {
    this._value++;
    this.#wakeUp();
  }

  override toString(): string {
    const state = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    const waiters = this.#waiters.length > 0 ? `, waiters:${this.#waiters.length}` : '';
    return `<${this.constructor.name} [${state}${waiters}]>`;
  }

  /** @internal A granted waiter was cancelled before it resumed: its permit passes on. */
  _grantCancelled(): void {
    this._value++;
    this.#wakeUp();
  }

  /** Hands free permits to waiters, first come first served. */
  #wakeUp(): void {
    while (this._value > 0) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      this._value--;
      waiter._grant();
    }
  }
}

/**
 * A `Semaphore` that refuses to be released more often than acquired: `release()` beyond the
 * initial value throws, which catches a double release early.
 *
 * @example
 * const sem = new BoundedSemaphore(2);
 * sem.release(); // RangeError: BoundedSemaphore released too many times
 *
 * **Cancellation**: as `Semaphore`.
 */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  /** @throws TypeError / RangeError unless `value` is an integer >= 0. */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Gives a permit back.
   * @throws RangeError (Python's ValueError) when that would exceed the initial value.
   */
  override release(): void {
    if (this._value >= this.#bound) throw new RangeError('BoundedSemaphore released too many times');
    super.release();
  }
}

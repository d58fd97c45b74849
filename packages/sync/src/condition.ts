/**
 * `Condition`: a condition variable for tasks (asyncio's `asyncio.Condition`): wait, with the
 * lock held, until another task notifies. `wait()` releases the lock while waiting and always
 * gets it back before returning — even when the waiting task is cancelled.
 */
import { Future } from '@aio/futures';
import { type AbstractEventLoop, RuntimeError } from '@aio/loop';
import { Acquirable } from './internal/acquirable';
import type { Grantable } from './internal/waiter';
import { type Linked, WaiterList } from './internal/waiter-list';
import { Lock } from './lock';

/** In the condition's line, waiting for a notification. */
const WAITING = 0;
/** Notified (or cancelled): in the lock's line, to get the lock back. */
const REACQUIRING = 1;
/** Holds the lock again; completes on its next turn in the loop. */
const GRANTED = 2;
type Phase = typeof WAITING | typeof REACQUIRING | typeof GRANTED;

/**
 * The Future a task awaits in `Condition.wait()`. It moves from the condition's line to the
 * lock's line, and completes only once the lock is the task's again. A cancellation is held
 * back until then (asyncio re-acquires in a `finally`), so `wait()` never ends without the lock.
 */
class ConditionWaiter extends Future<true> implements Grantable {
  /** @internal */ _prev: Linked | null = null;
  /** @internal */ _next: Linked | null = null;
  /** @internal */ _list: WaiterList<Linked> | null = null;
  #phase: Phase = WAITING;
  #cancelRequested = false;
  #cancelMessage: string | undefined = undefined;
  readonly #condition: Condition;

  constructor(loop: AbstractEventLoop, condition: Condition) {
    super({ loop });
    this.#condition = condition;
  }

  /** @internal Notified (or cancelled) while waiting: get in line for the lock. */
  _reacquire(): void {
    this.#phase = REACQUIRING;
    this.#condition._lock._enqueue(this);
  }

  /** @internal The lock is this waiter's again. */
  _grant(): void {
    this.#phase = GRANTED;
    if (this.#cancelRequested) this.#cancelHoldingLock(this.#cancelMessage);
    else this._completeNextIteration(true);
  }

  /**
   * Requests cancellation: `wait()` then rejects with `CancelledError` as soon as the lock is
   * re-acquired (at once if it is free). Returns `true` while `wait()` has not completed.
   */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    if (this.#phase === GRANTED) {
      this.#cancelHoldingLock(msg);
      return true;
    }
    this.#cancelRequested = true;
    this.#cancelMessage = msg;
    if (this.#phase === WAITING) {
      this._list!.remove(this);
      this._reacquire();
    }
    return true;
  }

  /**
   * Ends `wait()` with `CancelledError`, the lock held. This waiter may have been notified just
   * before: wake another one in its place (a spurious wake-up at worst, which conditions allow).
   */
  #cancelHoldingLock(msg: string | undefined): void {
    super.cancel(msg);
    this.#condition._notify(1);
  }
}

/**
 * A condition variable: tasks holding its lock `wait()` until another task holding the lock
 * calls `notify()` or `notifyAll()`. Several conditions may share one `Lock`.
 *
 * @example
 * const cond = new Condition();
 * // consumer
 * await cond.withLock(async () => {
 *   await cond.waitFor(() => items.length > 0);
 *   use(items.shift());
 * });
 * // producer
 * await cond.withLock(() => { items.push(x); cond.notify(); });
 *
 * **Cancellation**: `wait()` and `waitFor()` re-acquire the lock before they reject with
 * `CancelledError`, so the caller's release (`finally`, `using`, `withLock`) stays correct;
 * a notification the cancelled task may have received is passed to another waiter.
 * `acquire()` behaves as `Lock.acquire()`.
 */
export class Condition extends Acquirable {
  /** @internal */ readonly _lock: Lock;
  readonly #waiters = new WaiterList<ConditionWaiter>();

  /**
   * @param lock the lock to use (default: a new one).
   * @throws TypeError when `lock` is not a `Lock`.
   */
  constructor(lock: Lock | null = null) {
    super();
    if (lock === null || lock === undefined) lock = new Lock();
    else if (!(lock instanceof Lock)) throw new TypeError('lock must be a Lock');
    this._lock = lock;
  }

  /**
   * Acquires the underlying lock (see `Lock.acquire()`).
   *
   * **Cancellation**: as `Lock.acquire()`: nothing is held.
   */
  acquire(): Promise<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock.
   * @throws RuntimeError when it is not held.
   */
  release(): void {
    this._lock.release();
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock and resolves to `true`. It
   * may wake spuriously: check the state again (or use `waitFor`).
   *
   * **Cancellation**: see the class: the lock is held again when `CancelledError` arrives.
   * @throws RuntimeError (as a rejection) when the lock is not held.
   */
  wait(): Promise<true> {
    if (!this._lock.locked()) return Promise.reject(new RuntimeError('cannot wait on un-acquired lock'));
    let waiter: ConditionWaiter;
    try {
      // The lock must be re-acquired on this loop too: check it now, as asyncio's would fail then.
      this._lock._getLoop();
      waiter = new ConditionWaiter(this._getLoop(), this);
    } catch (error) {
      return Promise.reject(error);
    }
    this._lock.release();
    this.#waiters.push(waiter);
    return waiter;
  }

  /**
   * Waits until `predicate()` returns a truthy value and resolves to that value; it is called
   * first, and again after each wake-up, always with the lock held.
   *
   * @example
   * const job = await cond.waitFor(() => jobs.shift());
   *
   * **Cancellation**: as `wait()`: the lock is held again when `CancelledError` arrives.
   * @throws RuntimeError (as a rejection) when it must wait and the lock is not held.
   */
  async waitFor<T>(predicate: () => T): Promise<T> {
    if (typeof predicate !== 'function') {
      throw new TypeError(`predicate must be a function, got ${typeof predicate}`);
    }
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks (default 1); each returns from `wait()` once it gets the lock,
   * so the caller should release it.
   * @throws RuntimeError when the lock is not held; TypeError/RangeError for a bad `n`.
   */
  notify(n = 1): void {
    if (typeof n !== 'number') throw new TypeError(`n must be a number, got ${typeof n}`);
    if (Number.isNaN(n) || n < 0) throw new RangeError(`n must be >= 0, got ${n}`);
    if (!this._lock.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this._notify(n);
  }

  /**
   * Wakes every waiting task.
   * @throws RuntimeError when the lock is not held.
   */
  notifyAll(): void {
    this.notify(this.#waiters.length);
  }

  override toString(): string {
    const waiters = this.#waiters.length > 0 ? `, waiters:${this.#waiters.length}` : '';
    return `<Condition [${this.locked() ? 'locked' : 'unlocked'}${waiters}]>`;
  }

  /** @internal Moves up to `n` waiters, first come first served, to the lock's line. */
  _notify(n: number): void {
    for (let i = 0; i < n; i++) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      waiter._reacquire();
    }
  }
}

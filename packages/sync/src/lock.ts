/**
 * `Lock`: mutual exclusion for tasks (asyncio's `asyncio.Lock`). Fair: the lock goes to the
 * waiters in the order they asked for it, and `release()` hands it straight to the first of
 * them, so nobody can overtake a woken waiter. Not owned: any code may release it.
 */
import { RuntimeError } from '@aio/loop';
import { Acquirable } from './internal/acquirable';
import { RESOLVED_TRUE } from './internal/loop-bound';
import { type Grantable, type WaiterOwner, waitInLine } from './internal/waiter';
import { WaiterList } from './internal/waiter-list';

/**
 * A mutex for tasks: one holder at a time, handed over in FIFO order.
 *
 * @example
 * const lock = new Lock();
 * await lock.withLock(async () => { await updateSharedState(); });
 * // or: { using _ = await lock.enter(); ... }
 * // or: await lock.acquire(); try { ... } finally { lock.release(); }
 *
 * **Cancellation**: a task cancelled while waiting in `acquire()` leaves the line and holds
 * nothing. One cancelled after `release()` chose it, but before it resumed, gives the lock back
 * and it goes to the next waiter: no waiter is stranded. Once `acquire()` has resolved, the
 * lock is the task's (a cancellation arriving later is delivered at its next await).
 */
export class Lock extends Acquirable implements WaiterOwner {
  /** @internal Held, or reserved for a waiter that was granted it. */
  _locked = false;
  /** @internal */ readonly _waiters = new WaiterList<Grantable>();

  /** Whether the lock is held (or already handed to a waiter that has not resumed yet). */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Waits until the lock is free, takes it, and resolves to `true`. A free lock is taken at once,
   * without yielding to the loop.
   *
   * **Cancellation**: see the class; `CancelledError` means the lock was not acquired.
   */
  acquire(): Promise<true> {
    if (!this._locked) {
      this._locked = true;
      return RESOLVED_TRUE;
    }
    return waitInLine(this, this._waiters, this);
  }

  /**
   * Releases the lock: the first waiter (if any) gets it.
   * @throws RuntimeError when the lock is not held.
   */
  release(): void {
    if (!this._locked) throw new RuntimeError('Lock is not acquired.');
    this._handOff();
  }

  override toString(): string {
    const waiters = this._waiters.length > 0 ? `, waiters:${this._waiters.length}` : '';
    return `<Lock [${this._locked ? 'locked' : 'unlocked'}${waiters}]>`;
  }

  /** @internal Takes the lock if it is free, without waiting. */
  _tryAcquire(): boolean {
    if (this._locked) return false;
    this._locked = true;
    return true;
  }

  /** @internal Gets in line for the lock (a Condition re-acquiring it after a wait). */
  _enqueue(waiter: Grantable): void {
    if (this._tryAcquire()) waiter._grant();
    else this._waiters.push(waiter);
  }

  /** @internal A granted waiter was cancelled before it resumed: the lock passes on. */
  _grantCancelled(): void {
    this._handOff();
  }

  /** @internal Gives the (held) lock to the first waiter, or frees it. */
  _handOff(): void {
    const next = this._waiters.shift();
    if (next === undefined) this._locked = false;
    else next._grant();
  }
}

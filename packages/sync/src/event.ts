/**
 * `Event`: a flag tasks can wait for (asyncio's `asyncio.Event`). `set()` wakes every waiter;
 * while the flag is set, `wait()` returns at once; `clear()` makes later waits block again.
 */
import { LoopBound, RESOLVED_TRUE } from './internal/loop-bound';
import { type Waiter, waitInLine } from './internal/waiter';
import { WaiterList } from './internal/waiter-list';

/**
 * A flag, initially false, that tasks can wait on.
 *
 * @example
 * const ready = new Event();
 * createTask(async () => { await ready.wait(); console.log('go'); });
 * ready.set();
 *
 * **Cancellation**: a task cancelled in `wait()` simply stops waiting; the flag is unchanged
 * and the other waiters are unaffected. A cancellation that arrives after `set()` but before
 * the task resumed still ends `wait()` with `CancelledError`.
 */
export class Event extends LoopBound {
  #value = false;
  readonly #waiters = new WaiterList<Waiter>();

  /** Whether the flag is set. */
  isSet(): boolean {
    return this.#value;
  }

  /** Sets the flag and wakes every waiting task (each on its next turn in the loop). */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      waiter._grant();
    }
  }

  /** Clears the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    this.#value = false;
  }

  /**
   * Resolves to `true` once the flag is set: at once (without yielding) if it is set already.
   *
   * **Cancellation**: see the class.
   */
  wait(): Promise<true> {
    if (this.#value) return RESOLVED_TRUE;
    return waitInLine(this, this.#waiters, null);
  }

  override toString(): string {
    const waiters = this.#waiters.length > 0 ? `, waiters:${this.#waiters.length}` : '';
    return `<Event [${this.#value ? 'set' : 'unset'}${waiters}]>`;
  }
}

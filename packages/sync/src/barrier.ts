/**
 * `Barrier`: a meeting point for a fixed number of tasks (asyncio 3.11's `asyncio.Barrier`).
 * Tasks block in `wait()` until `parties` of them are there; then all pass together. It cycles
 * through four states: *filling* (tasks arriving), *draining* (the released tasks leaving: late
 * arrivals wait until the last has left), *resetting* (`reset()` with tasks inside: they get
 * `BrokenBarrierError`) and *broken* (`abort()`: every wait fails until `reset()`).
 *
 * asyncio builds it on a Condition whose lock is never held across a suspension: arriving tasks
 * and `reset()`/`abort()` act at once, and woken tasks re-check the state one after the other.
 * This port keeps exactly that: a state change wakes the waiting tasks, and they resume one per
 * loop iteration, in order (the *turn* passes from one to the next as each waits again or
 * leaves), so each released task sees the barrier as it is when it resumes.
 */
import { RuntimeError } from '@aio/loop';
import { checkCount } from './internal/check';
import { LoopBound } from './internal/loop-bound';
import { type Waiter, type WaiterOwner, waitInLine } from './internal/waiter';
import { WaiterList } from './internal/waiter-list';

type BarrierState = 'filling' | 'draining' | 'resetting' | 'broken';

/**
 * The barrier was aborted, or reset while the task was waiting in it.
 *
 * @example
 * try { await barrier.wait(); } catch (e) { if (e instanceof BrokenBarrierError) retry(); }
 */
export class BrokenBarrierError extends RuntimeError {
  constructor(message?: string) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'BrokenBarrierError', configurable: true, writable: true });
  }
}

/**
 * Makes `parties` tasks wait for each other.
 *
 * @example
 * const barrier = new Barrier(3);
 * // in each of three tasks:
 * const i = await barrier.wait(); // all three resume together; i is 0, 1 or 2
 *
 * **Cancellation**: a task cancelled while waiting leaves the barrier (`nWaiting` drops by one)
 * and the barrier stays usable, not broken. `reset()` and `abort()` never wait.
 */
export class Barrier extends LoopBound implements WaiterOwner {
  readonly #parties: number;
  #state: BarrierState = 'filling';
  /** Tasks inside the barrier: waiting to be released, or released and not yet gone. */
  #count = 0;
  /** Tasks waiting for the state to change. */
  readonly #waiters = new WaiterList<Waiter>();
  /** Tasks woken by a state change, resuming one at a time. */
  readonly #woken = new WaiterList<Waiter>();
  /** A woken task has the turn: it runs until it waits again or leaves. */
  #turnTaken = false;

  /**
   * @param parties how many tasks must wait before all pass.
   * @throws TypeError / RangeError unless `parties` is an integer >= 1.
   */
  constructor(parties: number) {
    super();
    checkCount(parties, 'parties', 1);
    this.#parties = parties;
  }

  /**
   * Waits until `parties` tasks wait, then resolves in all of them, to an index from 0 to
   * `parties - 1` that differs for each task.
   *
   * **Cancellation**: see the class.
   * @throws BrokenBarrierError (as a rejection) when the barrier is, or becomes, broken or reset.
   */
  async wait(): Promise<number> {
    let hasTurn = false;
    try {
      // Released tasks are still leaving, or a reset is under way: wait until that is over.
      while (this.#state === 'draining' || this.#state === 'resetting') {
        if (hasTurn) this.#passTurn();
        hasTurn = false;
        await this.#waitForChange();
        hasTurn = true;
      }
      if (this.#state === 'broken') throw new BrokenBarrierError('Barrier aborted');
      const index = this.#count++;
      try {
        if (index + 1 === this.#parties) {
          this.#state = 'draining';
          this.#notifyAll();
        } else {
          while (this.#state === 'filling') {
            if (hasTurn) this.#passTurn();
            hasTurn = false;
            await this.#waitForChange();
            hasTurn = true;
          }
          if (this.#state === 'broken' || this.#state === 'resetting') {
            throw new BrokenBarrierError('Abort or reset of barrier');
          }
        }
        return index;
      } finally {
        this.#count--;
        this.#leave();
      }
    } finally {
      if (hasTurn) this.#passTurn();
    }
  }

  /**
   * Returns the barrier to its initial, filling state. Tasks waiting in it get
   * `BrokenBarrierError`; it fills again once the last of them has left.
   *
   * **Cancellation**: never waits.
   */
  async reset(): Promise<void> {
    this.#state = this.#count > 0 ? 'resetting' : 'filling';
    this.#notifyAll();
  }

  /**
   * Breaks the barrier: waiting tasks, and every later `wait()`, get `BrokenBarrierError` until
   * `reset()`. Useful when one party fails, so that the others do not wait forever.
   *
   * **Cancellation**: never waits.
   */
  async abort(): Promise<void> {
    this.#state = 'broken';
    this.#notifyAll();
  }

  /** How many tasks must wait for the barrier to release them. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks wait in the barrier while it fills (0 in the other states). */
  get nWaiting(): number {
    return this.#state === 'filling' ? this.#count : 0;
  }

  /** Whether the barrier is broken (`abort()`), until `reset()`. */
  get broken(): boolean {
    return this.#state === 'broken';
  }

  override toString(): string {
    const waiters = this.broken ? '' : `, waiters:${this.nWaiting}/${this.#parties}`;
    return `<Barrier [${this.#state}${waiters}]>`;
  }

  /** @internal A woken task was cancelled before it resumed: the next one gets the turn. */
  _grantCancelled(): void {
    this.#passTurn();
  }

  /** Suspends the calling task until a state change wakes it and its turn comes. */
  #waitForChange(): Promise<true> {
    return waitInLine(this, this.#waiters, this);
  }

  /** The last task to leave ends the draining or resetting, and lets the blocked ones in. */
  #leave(): void {
    if (this.#count > 0) return;
    if (this.#state === 'resetting' || this.#state === 'draining') this.#state = 'filling';
    this.#notifyAll();
  }

  /** Wakes every waiting task: they resume one at a time, in the order they waited. */
  #notifyAll(): void {
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      this.#woken.push(waiter);
    }
    if (!this.#turnTaken) this.#passTurn();
  }

  /** Gives the turn to the next woken task, if any. */
  #passTurn(): void {
    const next = this.#woken.shift();
    this.#turnTaken = next !== undefined;
    next?._grant();
  }
}

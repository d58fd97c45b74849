/**
 * `Waiter`: the Future a task awaits while it is blocked in a Lock, Semaphore or Event. The
 * primitive *grants* it (hands it the lock or a permit, or reports the event) by completing it
 * on its next turn in the loop's ready queue; until that turn a `cancel()` still wins, and the
 * waiter then gives what it was granted back to its owner, which passes it on. A waiter that is
 * cancelled before it is granted simply leaves the line.
 *
 * Blocking calls return the waiter itself, not an async function around it: the task then
 * resumes in the very turn its waiter completes, where an asyncio task would. Each extra native
 * `await` would be one more microtask, and a task woken in the same iteration could overtake it.
 */
import { Future } from '@aio/futures';
import type { AbstractEventLoop } from '@aio/loop';
import type { LoopBound } from './loop-bound';
import type { Linked, WaiterList } from './waiter-list';

/** What a waiter returns a grant to when it is cancelled before it could use it. */
export interface WaiterOwner {
  _grantCancelled(): void;
}

/** An entry of a lock's line: a plain `Waiter`, or a Condition's waiter re-acquiring the lock. */
export interface Grantable extends Linked {
  /** Hands the lock (permit, event) to this waiter; it has been taken out of the line already. */
  _grant(): void;
}

/** A pending acquisition: completes with `true` once granted (see the file comment). */
export class Waiter extends Future<true> implements Grantable {
  /** @internal */ _prev: Linked | null = null;
  /** @internal */ _next: Linked | null = null;
  /** @internal */ _list: WaiterList<Linked> | null = null;
  readonly #owner: WaiterOwner | null;

  constructor(loop: AbstractEventLoop, owner: WaiterOwner | null) {
    super({ loop });
    this.#owner = owner;
  }

  /** @internal */
  _grant(): void {
    this._completeNextIteration(true);
  }

  /**
   * Cancels the acquisition. Still in line: it leaves the line. Granted but not yet resumed: the
   * grant goes back to the owner, which hands it to the next waiter.
   */
  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    if (this._list !== null) this._list.remove(this);
    else this.#owner?._grantCancelled();
    return true;
  }
}

/**
 * Puts a new `Waiter` at the end of `line` and returns it, for the caller to await; a rejection
 * instead when `bound` cannot block on the running loop.
 */
export function waitInLine(
  bound: LoopBound,
  line: WaiterList<Grantable>,
  owner: WaiterOwner | null,
): Promise<true> {
  let waiter: Waiter;
  try {
    waiter = new Waiter(bound._getLoop(), owner);
  } catch (error) {
    return Promise.reject(error);
  }
  line.push(waiter);
  return waiter;
}

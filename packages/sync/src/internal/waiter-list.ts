/**
 * `WaiterList`: the FIFO of tasks blocked on a primitive. The waiters link themselves (each
 * carries `_prev`/`_next`), so a cancelled waiter leaves the line in O(1), at the moment it is
 * cancelled: no cancelled waiter ever lingers in a list.
 */

/** What a `WaiterList` holds: an object with room for the two links and its list. */
export interface Linked {
  _prev: Linked | null;
  _next: Linked | null;
  _list: WaiterList<Linked> | null;
}

/** A doubly linked FIFO of waiters. */
export class WaiterList<W extends Linked> {
  #head: W | null = null;
  #tail: W | null = null;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** The first waiter, or `undefined`. */
  first(): W | undefined {
    return this.#head ?? undefined;
  }

  /** Adds `waiter` at the end of the line. */
  push(waiter: W): void {
    waiter._prev = this.#tail;
    waiter._next = null;
    waiter._list = this as WaiterList<Linked>;
    if (this.#tail === null) this.#head = waiter;
    else this.#tail._next = waiter;
    this.#tail = waiter;
    this.#length++;
  }

  /** Takes the first waiter out of the line. */
  shift(): W | undefined {
    const head = this.#head;
    if (head === null) return undefined;
    this.remove(head);
    return head;
  }

  /** Takes `waiter` out of the line (it must be in this list). */
  remove(waiter: W): void {
    const prev = waiter._prev as W | null;
    const next = waiter._next as W | null;
    if (prev === null) this.#head = next;
    else prev._next = next;
    if (next === null) this.#tail = prev;
    else next._prev = prev;
    waiter._prev = null;
    waiter._next = null;
    waiter._list = null;
    this.#length--;
  }

  *[Symbol.iterator](): Iterator<W> {
    for (let node = this.#head; node !== null; node = node._next as W | null) yield node;
  }
}

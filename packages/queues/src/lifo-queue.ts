/** `LifoQueue`: a `Queue` that hands out the most recently added item first (a stack). */
import { LifoStore } from './internal/stores';
import { Queue } from './queue';

/**
 * A last-in, first-out queue: `get()` returns the item put most recently.
 *
 * @example
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait(); // 2
 *
 * **Cancellation**: as `Queue`.
 */
export class LifoQueue<T> extends Queue<T> {
  /** @param maxsize as `Queue`. */
  constructor(maxsize = 0) {
    super(maxsize);
    this._store = new LifoStore<T>();
  }
}

/** `PriorityQueue`: a `Queue` that hands out the lowest item first (asyncio's, on a binary heap). */

import { BinaryHeap, defaultCompare } from './internal/stores';
import { Queue } from './queue';

/** Options of `PriorityQueue`. */
export interface PriorityQueueOptions<T> {
  /** Orders two items: negative when `a` comes first (default: numbers, bigints, strings, arrays). */
  compare?: (a: T, b: T) => number;
}

/**
 * A queue that hands out the lowest item first. JavaScript has no tuple ordering, so the
 * default order is Python's for what JS can compare: numbers and bigints by value, strings by
 * code unit, arrays element by element (`[priority, data]` entries: `data` only counts on a
 * tie). Anything else needs `compare`. Equal items come out in no set order: add a sequence
 * number (`[priority, seq, data]`) for first-in-first-out among equals.
 *
 * @example
 * const queue = new PriorityQueue<[number, string]>();
 * queue.putNowait([2, 'later']);
 * queue.putNowait([1, 'first']);
 * await queue.get(); // [1, 'first']
 * const byDeadline = new PriorityQueue<Job>(0, { compare: (a, b) => a.deadline - b.deadline });
 *
 * **Cancellation**: as `Queue`. A getter woken by a `put()` takes, at its turn, the lowest
 * item present then.
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param maxsize as `Queue`.
   * @throws TypeError when `compare` is given and not a function.
   */
  constructor(maxsize = 0, opts: PriorityQueueOptions<T> = {}) {
    super(maxsize);
    const compare = opts.compare ?? defaultCompare;
    if (typeof compare !== 'function')
      throw new TypeError(`compare must be a function, got ${typeof compare}`);
    this._store = new BinaryHeap<T>(compare);
  }
}

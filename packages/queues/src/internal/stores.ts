/**
 * The item stores behind the three queues: what `put` adds to and `get` takes from. A store
 * either completes an operation or throws before changing anything (a `PriorityQueue`'s
 * comparison may throw), so a failed put or get never corrupts the queue.
 */
import { Deque } from './deque';

/** Where a queue keeps its items. */
export interface Store<T> extends Iterable<T> {
  readonly size: number;
  push(item: T): void;
  /** Removes and returns the next item; the store is not empty. */
  take(): T;
  clear(): void;
}

/** First in, first out. */
export class FifoStore<T> extends Deque<T> implements Store<T> {
  take(): T {
    return this.shift() as T;
  }
}

/** Last in, first out. */
export class LifoStore<T> extends Deque<T> implements Store<T> {
  take(): T {
    return this.pop() as T;
  }
}

/** Lowest first, by `compare`: a binary min-heap, as Python's `heapq`. */
export class BinaryHeap<T> implements Store<T> {
  #items: T[] = [];
  /** Scratch space for the sift-down path (a heap of 2^40 items is 40 levels deep). */
  readonly #path: number[] = [];
  readonly #compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const heap = this.#items;
    // Find the new item's place first: a comparison that throws leaves the heap untouched.
    let place = heap.length;
    while (place > 0) {
      const parent = (place - 1) >> 1;
      if (this.#compare(item, heap[parent]!) >= 0) break;
      place = parent;
    }
    let hole = heap.length;
    heap.push(item);
    while (hole !== place) {
      const parent = (hole - 1) >> 1;
      heap[hole] = heap[parent]!;
      hole = parent;
    }
    heap[place] = item;
  }

  take(): T {
    const heap = this.#items;
    const top = heap[0]!;
    const size = heap.length - 1;
    const last = heap[size]!;
    // The last item replaces the top and sinks: find its path first, then move (see push).
    const path = this.#path;
    let depth = 0;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.#compare(heap[right]!, heap[left]!) < 0 ? right : left;
      if (this.#compare(heap[child]!, last) >= 0) break;
      path[depth++] = child;
      i = child;
    }
    heap.pop();
    if (size === 0) return top;
    let hole = 0;
    for (let d = 0; d < depth; d++) {
      const child = path[d]!;
      heap[hole] = heap[child]!;
      hole = child;
    }
    heap[hole] = last;
    return top;
  }

  clear(): void {
    this.#items = [];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }
}

/**
 * The default order of a `PriorityQueue`, JavaScript's stand-in for Python's: numbers and
 * bigints by value, strings by code unit, arrays element by element (tuple-like, so
 * `[priority, data]` works, and `data` is only compared when the priorities tie). The same
 * object is equal to itself. Anything else cannot be ordered.
 * @throws TypeError for values of other types, or of two different types.
 */
export function defaultCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string) ? -1 : 1;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const order = defaultCompare(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `PriorityQueue cannot order ${describe(a)} and ${describe(b)}: ` +
      'use numbers, bigints, strings or arrays of them, or give a compare option',
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

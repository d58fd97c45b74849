/**
 * `Queue`: a FIFO queue for tasks (asyncio's `asyncio.Queue`, with 3.13's `shutdown()`).
 * Producers `put()` (waiting while the queue is full), consumers `get()` (waiting while it is
 * empty); `taskDone()`/`join()` let a producer wait until every item has been processed.
 * `PriorityQueue` and `LifoQueue` change only the order in which items come out.
 */
import { _getRunningLoop, type AbstractEventLoop, RuntimeError } from '@aio/loop';
import { QueueEmpty, QueueFull, QueueShutDown } from './errors';
import { Deque } from './internal/deque';
import { FifoStore, type Store } from './internal/stores';
import { Getter, Joiner, Putter, type Wakeable } from './internal/waiters';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * A first-in, first-out queue of items between tasks, optionally bounded.
 *
 * @example
 * const queue = new Queue<Job>(100);
 * createTask(async () => {
 *   for await (const job of queue) { await run(job); queue.taskDone(); }
 * });
 * for (const job of jobs) await queue.put(job); // waits while 100 are queued
 * await queue.join(); // every job processed
 * queue.shutdown(); // ends the consumer's loop
 *
 * **Cancellation**: a cancelled `get()` takes no item: nothing is lost, and if it had already
 * been woken for an item, the next getter is woken instead. A cancelled `put()` adds nothing:
 * its item is not in the queue. A cancelled `join()` just stops waiting. A task cancelled after
 * its `get()`/`put()` completed (it resolved) keeps the result; the cancellation is delivered at
 * its next await.
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #maxsize: number;
  /** @internal */ _store: Store<T> = new FifoStore<T>();
  /** @internal Blocked getters, first come first served. */
  readonly _getters = new Deque<Getter<T>>();
  /** @internal Blocked putters, first come first served. */
  readonly _putters = new Deque<Putter<T>>();
  /** @internal Tasks in `join()`. */
  readonly _joiners = new Deque<Joiner>();
  /** @internal */ _isShutdown = false;
  #unfinished = 0;
  #loop: AbstractEventLoop | null = null;

  /**
   * @param maxsize the most items the queue holds; 0 or less (the default): no limit.
   * @throws TypeError / RangeError unless `maxsize` is an integer.
   */
  constructor(maxsize = 0) {
    if (typeof maxsize !== 'number') throw new TypeError(`maxsize must be a number, got ${typeof maxsize}`);
    if (!Number.isInteger(maxsize)) {
      throw new RangeError(`maxsize must be an integer (0 or less for no limit), got ${maxsize}`);
    }
    this.#maxsize = maxsize;
  }

  /** The most items the queue holds (0 or less: no limit). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** How many items are in the queue. */
  qsize(): number {
    return this._store.size;
  }

  /** Whether the queue holds no item. */
  empty(): boolean {
    return this._store.size === 0;
  }

  /** Whether the queue holds `maxsize` items (never, without a limit). */
  full(): boolean {
    return this.#maxsize > 0 && this._store.size >= this.#maxsize;
  }

  /**
   * Adds `item`, waiting while the queue is full. Resolves once the item is in the queue.
   *
   * **Cancellation**: the item is not added (see the class).
   * @throws QueueShutDown (as a rejection) once the queue is shut down, even while waiting.
   */
  put(item: T): Promise<void> {
    if (this.full() && !this._isShutdown) {
      const loop = this.#boundLoop();
      if (loop instanceof Error) return Promise.reject(loop);
      const putter = new Putter(loop, this, item);
      this._putters.push(putter);
      return putter;
    }
    try {
      this.putNowait(item);
    } catch (error) {
      return Promise.reject(error);
    }
    return RESOLVED;
  }

  /**
   * Adds `item` at once.
   * @throws QueueFull when the queue is full; QueueShutDown once it is shut down; TypeError when
   * a `PriorityQueue` cannot order the item.
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._store.push(item);
    this.#unfinished++;
    this._wakeNext(this._getters);
  }

  /**
   * Takes the next item, waiting while the queue is empty.
   *
   * **Cancellation**: no item is taken (see the class).
   * @throws QueueShutDown (as a rejection) once the queue is shut down and empty.
   */
  get(): Promise<T> {
    if (this.empty() && !this._isShutdown) {
      const loop = this.#boundLoop();
      if (loop instanceof Error) return Promise.reject(loop);
      const getter = new Getter(loop, this);
      this._getters.push(getter);
      return getter;
    }
    try {
      return Promise.resolve(this.getNowait());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Takes the next item at once.
   * @throws QueueEmpty when the queue is empty; QueueShutDown when it is also shut down.
   */
  getNowait(): T {
    if (this.empty()) throw this._isShutdown ? new QueueShutDown() : new QueueEmpty();
    const item = this._store.take();
    this._wakeNext(this._putters);
    return item;
  }

  /**
   * Marks one item taken with `get()` as processed; when all are, `join()` returns.
   * @throws RangeError (Python's ValueError) when called more often than items were put.
   */
  taskDone(): void {
    if (this.#unfinished <= 0) throw new RangeError('taskDone() called too many times');
    if (--this.#unfinished === 0) this.#finished();
  }

  /**
   * Waits until every item ever put has been marked with `taskDone()` (at once if so already).
   *
   * **Cancellation**: stops waiting; nothing else changes.
   */
  join(): Promise<void> {
    if (this.#unfinished === 0) return RESOLVED;
    const loop = this.#boundLoop();
    if (loop instanceof Error) return Promise.reject(loop);
    const joiner = new Joiner(loop, this as Queue<unknown>);
    this._joiners.push(joiner);
    return joiner;
  }

  /**
   * Shuts the queue down (asyncio 3.13): `put()` fails from now on, and so does `get()` once the
   * queue is empty; blocked puts and gets are woken to fail. With `immediate`, the items left
   * are dropped (and counted as done for `join()`), so gets fail at once too.
   * @throws TypeError when `immediate` is not a boolean.
   */
  shutdown(immediate = false): void {
    if (typeof immediate !== 'boolean') {
      throw new TypeError(`immediate must be a boolean, got ${typeof immediate}`);
    }
    this._isShutdown = true;
    if (immediate) {
      this.#unfinished = Math.max(0, this.#unfinished - this._store.size);
      this._store.clear();
      if (this.#unfinished === 0) this.#finished();
    }
    while (this._getters.size > 0) this._wakeNext(this._getters);
    while (this._putters.size > 0) this._wakeNext(this._putters);
  }

  /**
   * `for await (const item of queue)`: takes items with `get()` until the queue is shut down and
   * empty. It does not call `taskDone()`.
   *
   * **Cancellation**: as `get()`: the loop throws `CancelledError`, no item is lost.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueShutDown) return;
        throw error;
      }
      yield item;
    }
  }

  toString(): string {
    let text = `<${this.constructor.name} maxsize=${this.#maxsize}`;
    if (this._store.size > 0) text += ` _queue=[${formatItems(this._store)}]`;
    if (this._getters.size > 0) text += ` _getters[${this._getters.size}]`;
    if (this._putters.size > 0) text += ` _putters[${this._putters.size}]`;
    if (this.#unfinished > 0) text += ` tasks=${this.#unfinished}`;
    if (this._isShutdown) text += ' shutdown';
    return `${text}>`;
  }

  /** @internal Wakes the first waiter of `line`, if any. */
  _wakeNext(line: Deque<Wakeable>): void {
    line.shift()?._wake();
  }

  /** Every item is done: wake the tasks in `join()`. */
  #finished(): void {
    for (let joiner = this._joiners.shift(); joiner !== undefined; joiner = this._joiners.shift()) {
      joiner._completeNextIteration(undefined);
    }
  }

  /**
   * The loop this queue blocks tasks on, bound at the first wait (asyncio's `_LoopBoundMixin`);
   * the error to reject with when no loop runs, or another one does.
   */
  #boundLoop(): AbstractEventLoop | RuntimeError {
    const loop = _getRunningLoop();
    if (loop === null) return new RuntimeError('no running event loop');
    this.#loop ??= loop;
    return loop === this.#loop ? loop : new RuntimeError(`${this} is bound to a different event loop`);
  }
}

function formatItems(items: Iterable<unknown>): string {
  const shown: string[] = [];
  for (const item of items) {
    if (shown.length === 10) {
      shown.push('…');
      break;
    }
    shown.push(typeof item === 'string' ? JSON.stringify(item) : String(item));
  }
  return shown.join(', ');
}

/**
 * The Futures a task awaits while blocked in a queue. As in asyncio, waking a getter (putter)
 * does not hand it an item (a slot): it schedules the getter's turn in the loop's ready queue,
 * and at that turn the getter takes the item that is *then* next (so a `PriorityQueue` serves
 * the best item even if a better one arrived after the wake-up). If the item (slot) is gone by
 * then, the getter waits again, first in line. The turn settles the Future at once, so the task
 * resumes in the same loop iteration, as an asyncio task would.
 *
 * A waiter cancelled before its turn gives its wake-up to the next in line; one cancelled
 * earlier just leaves the line. Once the turn has passed, the item is the task's.
 */
import { Future } from '@aio/futures';
import { _hasRunnableQueue, type AbstractEventLoop } from '@aio/loop';
import type { Queue } from '../queue';
import type { Deque } from './deque';

/** What a queue wakes: something that takes its turn on the loop. */
export interface Wakeable {
  _wake(): void;
}

/** Puts `fut` (whose `_run` is its turn) on the loop's ready queue. */
function scheduleTurn(loop: AbstractEventLoop, fut: Future<unknown>): void {
  if (_hasRunnableQueue(loop)) loop._callSoonRunnable(fut);
  else loop.callSoon(() => fut._run());
}

/**
 * A blocked `get()` or `put()`: waits in a line of its queue until woken, then takes its turn.
 * Subclasses say what blocks them and what their turn does.
 */
abstract class QueueWaiter<R, T> extends Future<R> implements Wakeable {
  protected readonly queue: Queue<T>;
  #turn = false;

  constructor(loop: AbstractEventLoop, queue: Queue<T>) {
    super({ loop });
    this.queue = queue;
  }

  /** The line this waiter waits in. */
  protected abstract line(): Deque<QueueWaiter<R, T>>;
  /** Whether what it was woken for is gone by its turn (it then waits again, first in line). */
  protected abstract blocked(): boolean;
  /** Its turn: completes the Future, with a result or an error. */
  protected abstract complete(): void;
  /** Cancelled after it was woken: wakes the next in line if what it was woken for is still there. */
  protected abstract passOn(): void;

  /** @internal Woken: take the turn on the loop's next iteration. */
  _wake(): void {
    this.#turn = true;
    scheduleTurn(this._loop, this);
  }

  /** @internal The turn (and, afterwards, the usual settling of a Future). */
  override _run(): void {
    if (this.#turn) {
      this.#turn = false;
      if (this.blocked() && !this.queue._isShutdown) {
        this.line().unshift(this);
        return;
      }
      this.complete();
    }
    super._run();
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    if (this.#turn) {
      this.#turn = false;
      this.passOn();
    } else {
      this.line().remove(this);
    }
    return true;
  }
}

/** A blocked `get()`: resolves to the item taken at its turn. */
export class Getter<T> extends QueueWaiter<T, T> {
  protected line(): Deque<QueueWaiter<T, T>> {
    return this.queue._getters;
  }

  protected blocked(): boolean {
    return this.queue.empty();
  }

  protected complete(): void {
    try {
      this.setResult(this.queue.getNowait());
    } catch (error) {
      this.setException(error);
    }
  }

  protected passOn(): void {
    if (!this.queue.empty()) this.queue._wakeNext(this.queue._getters);
  }
}

/** A blocked `put()`: stores its item at its turn, if there is room then. */
export class Putter<T> extends QueueWaiter<void, T> {
  #item: T | undefined;

  constructor(loop: AbstractEventLoop, queue: Queue<T>, item: T) {
    super(loop, queue);
    this.#item = item;
  }

  override cancel(msg?: string): boolean {
    const cancelled = super.cancel(msg);
    if (cancelled) this.#item = undefined;
    return cancelled;
  }

  protected line(): Deque<QueueWaiter<void, T>> {
    return this.queue._putters;
  }

  protected blocked(): boolean {
    return this.queue.full();
  }

  protected complete(): void {
    try {
      this.queue.putNowait(this.#item as T);
      this.setResult(undefined);
    } catch (error) {
      this.setException(error);
      this.passOn();
    }
    this.#item = undefined;
  }

  protected passOn(): void {
    if (!this.queue.full()) this.queue._wakeNext(this.queue._putters);
  }
}

/** A blocked `join()`: resolves once every item put has been marked done. */
export class Joiner extends Future<void> {
  readonly #queue: Queue<unknown>;

  constructor(loop: AbstractEventLoop, queue: Queue<unknown>) {
    super({ loop });
    this.#queue = queue;
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this.#queue._joiners.remove(this);
    return true;
  }
}

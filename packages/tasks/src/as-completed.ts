/** `asCompleted`: the results of several awaitables, in the order they complete. */
import { Future } from '@aio/futures';
import {
  type AbstractEventLoop,
  type AwaitableLike,
  getRunningLoop,
  TimeoutError,
  type TimerHandle,
} from '@aio/loop';
import { ensureFuture } from './ensure-future';

/** Hands out completed futures in completion order (`null` marks the timeout). */
class CompletionQueue<T> {
  readonly #done: (Future<T> | null)[] = [];
  readonly #getters: Future<Future<T> | null>[] = [];

  constructor(readonly loop: AbstractEventLoop) {}

  put(item: Future<T> | null): void {
    let getter = this.#getters.shift();
    while (getter?.done()) getter = this.#getters.shift();
    if (getter === undefined) this.#done.push(item);
    else getter.setResult(item);
  }

  /** The next completed future, as a Future (so that a task awaiting it can be cancelled). */
  next(): Future<Future<T> | null> {
    const fut = new Future<Future<T> | null>({ loop: this.loop });
    if (this.#done.length > 0) fut.setResult(this.#done.shift()!);
    else this.#getters.push(fut);
    return fut;
  }
}

/**
 * Iterates over `aws` (coroutine functions become Tasks) in completion order.
 * - `for (const next of asCompleted(aws)) { const result = await next; }`: each step gives a
 *   fresh Future of the next result to complete.
 * - `for await (const fut of asCompleted(aws)) { fut.result(); }`: each step gives the
 *   original future (or the Task made for a coroutine function) once it is done (3.13).
 * After `timeout` seconds the remaining steps throw `TimeoutError`. (TypeScript types the
 * element of a `for await` loop as awaited, `T`: at run time it is the `Future<T>` — cast it.)
 *
 * @example
 * for await (const task of asCompleted(urls.map((u) => () => fetchPage(u)), { timeout: 30 })) {
 *   console.log(task.result());
 * }
 *
 * **Cancellation**: cancelling the task awaiting a step ends that step only; the awaitables
 * keep running.
 */
export function asCompleted<T>(
  aws: Iterable<AwaitableLike<T>>,
  opts?: { timeout?: number | null },
): Iterable<Future<T>> & AsyncIterable<Future<T>> {
  if (aws === null || typeof (aws as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
    throw new TypeError('asCompleted: aws must be an iterable of awaitables');
  }
  const timeout = opts?.timeout ?? null;
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError('timeout must be a number of seconds or null');
  }
  const loop = getRunningLoop();
  const queue = new CompletionQueue<T>(loop);
  const todo = new Set<Future<T>>();
  for (const aw of new Set(aws)) todo.add(ensureFuture(aw, { loop }));
  let left = todo.size;
  let timer: TimerHandle | null = null;

  const onCompletion = (f: Future<T>) => {
    if (!todo.delete(f)) return; // the timeout came first
    queue.put(f);
    if (todo.size === 0) timer?.cancel();
  };
  for (const f of todo) f.addDoneCallback(onCompletion);
  if (todo.size > 0 && timeout !== null) {
    timer = loop.callLater(timeout, () => {
      for (const f of todo) {
        f.removeDoneCallback(onCompletion);
        queue.put(null);
      }
      todo.clear();
    });
  }

  const nextResult = (): Future<T> => {
    const outer = new Future<T>({ loop });
    const step = queue.next();
    step.addDoneCallback(() => {
      if (outer.done()) return;
      const f = step.result();
      if (f === null) outer.setException(new TimeoutError());
      else if (f.cancelled()) outer.cancel();
      else if (f.exception() !== null) outer.setException(f.exception());
      else outer.setResult(f.result());
    });
    outer.addDoneCallback(() => {
      if (outer.cancelled()) step.cancel();
    });
    return outer;
  };

  return {
    *[Symbol.iterator](): Iterator<Future<T>> {
      while (left > 0) {
        left--;
        yield nextResult();
      }
    },
    [Symbol.asyncIterator](): AsyncIterator<Future<T>> {
      return {
        async next(): Promise<IteratorResult<Future<T>>> {
          if (left === 0) return { done: true, value: undefined };
          left--;
          const step = queue.next();
          await step;
          const f = step.result();
          if (f === null) throw new TimeoutError();
          return { done: false, value: f };
        },
      };
    },
  };
}

/** `wrapFuture` and `chainFuture`: bridges between loop futures, concurrent futures and promises. */
import { _getRunningLoop, type AbstractEventLoop, ConcurrentFuture, getRunningLoop } from '@aio/loop';
import { Future, isFuture } from './future';

type AnyFuture<T> = Future<T> | ConcurrentFuture<T>;

function copyState<T>(source: AnyFuture<T>, destination: AnyFuture<T>): void {
  if (destination.done()) return;
  if (destination instanceof ConcurrentFuture && !destination.setRunningOrNotifyCancel()) return;
  if (source.cancelled()) {
    destination.cancel();
    return;
  }
  const exception = source instanceof ConcurrentFuture ? source._exceptionNow() : source.exception();
  if (exception !== null) destination.setException(exception);
  else destination.setResult(source instanceof ConcurrentFuture ? source._resultNow() : source.result());
}

function whenDone<T>(fut: AnyFuture<T>, callback: () => void): void {
  if (fut instanceof ConcurrentFuture) fut.addDoneCallback(callback);
  else fut.addDoneCallback(callback);
}

/** Runs `fn` on the loop of `fut` (thread-safe), or at once for a concurrent future. */
function onLoopOf<T>(fut: AnyFuture<T>, fn: () => void): void {
  if (fut instanceof ConcurrentFuture) {
    fn();
    return;
  }
  const loop = fut.getLoop();
  if (loop.isClosed()) return;
  if (_getRunningLoop() === loop) fn();
  else loop.callSoonThreadsafe(fn);
}

/**
 * Makes `destination` follow `source`: when `source` completes, its result, error or
 * cancellation is copied over (on the destination's loop); cancelling `destination` cancels
 * `source`. Either may be a loop `Future` or a `ConcurrentFuture`.
 */
export function chainFuture<T>(source: AnyFuture<T>, destination: AnyFuture<T>): void {
  for (const [name, fut] of [
    ['source', source],
    ['destination', destination],
  ] as const) {
    if (!isFuture(fut) && !(fut instanceof ConcurrentFuture)) {
      throw new TypeError(`${name} must be a Future or a ConcurrentFuture`);
    }
  }
  whenDone(destination, () => {
    if (destination.cancelled() && !source.done()) onLoopOf(source, () => source.cancel());
  });
  whenDone(source, () => {
    if (!destination.done()) onLoopOf(destination, () => copyState(source, destination));
  });
}

/**
 * An @aio Future for `future`: a Future is returned as it is; a `ConcurrentFuture` (executor
 * result) or any promise gets a new loop Future that follows it.
 *
 * **Cancellation**: cancelling the returned future cancels a concurrent future (if it has not
 * started); a promise cannot be cancelled, so it only stops being followed.
 */
export function wrapFuture<T>(
  future: AnyFuture<T> | PromiseLike<T>,
  opts?: { loop?: AbstractEventLoop },
): Future<T> {
  if (isFuture(future)) return future as Future<T>;
  const loop = opts?.loop ?? getRunningLoop();
  if (future instanceof ConcurrentFuture) {
    const fut = new Future<T>({ loop });
    chainFuture(future, fut);
    return fut;
  }
  if (future === null || typeof (future as PromiseLike<T>)?.then !== 'function') {
    throw new TypeError(`future must be a Future, a ConcurrentFuture or a promise, got ${typeof future}`);
  }
  const fut = new Future<T>({ loop });
  (future as PromiseLike<T>).then(
    (value) => {
      if (!fut.done()) onLoopOf(fut, () => !fut.done() && fut.setResult(value));
    },
    (error) => {
      if (!fut.done()) onLoopOf(fut, () => !fut.done() && fut.setException(error));
    },
  );
  return fut;
}

/** Records that `waiter` awaits `fut`, for `captureCallGraph` (3.14). */
export function futureAddToAwaitedBy(fut: Future, waiter: Future): void {
  if (!isFuture(fut) || !isFuture(waiter)) return;
  // Most futures have one awaiter: a Set is made only for a second one.
  const current = fut._awaitedBy;
  if (current === null) fut._awaitedBy = waiter as Future<unknown>;
  else if (current instanceof Set) current.add(waiter as Future<unknown>);
  else if (current !== waiter) fut._awaitedBy = new Set([current, waiter as Future<unknown>]);
}

/** Forgets that `waiter` awaits `fut` (3.14). */
export function futureDiscardFromAwaitedBy(fut: Future, waiter: Future): void {
  if (!isFuture(fut) || !isFuture(waiter)) return;
  const current = fut._awaitedBy;
  if (current === waiter) fut._awaitedBy = null;
  else if (current instanceof Set) current.delete(waiter as Future<unknown>);
}

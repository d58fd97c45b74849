/** `shield`: protect an awaitable from the cancellation of whoever awaits it. */
import { type Future, futureAddToAwaitedBy, futureDiscardFromAwaitedBy } from '@aio/futures';
import type { AwaitableLike } from '@aio/loop';
import { ensureFuture } from './ensure-future';
import { currentTask } from './task';

/**
 * A future that follows `aw` but whose cancellation does not reach `aw`: cancelling the task
 * that awaits `shield(aw)` raises `CancelledError` in that task while `aw` runs on.
 *
 * @example
 * const result = await shield(() => saveToDatabase(record));
 *
 * **Cancellation**: the outer future is cancelled; the inner work goes on and its result (or
 * error) is dropped, unless someone else awaits it.
 */
export function shield<T>(aw: AwaitableLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const loop = inner.getLoop();
  const outer = loop.createFuture<T>() as Future<T>;
  const parent = currentTask(loop);
  if (parent !== null) {
    futureAddToAwaitedBy(inner, parent);
    inner.addDoneCallback(() => futureDiscardFromAwaitedBy(inner, parent));
  }
  const onInnerDone = () => {
    if (outer.cancelled()) {
      if (!inner.cancelled()) inner.exception(); // seen: not "never retrieved"
      return;
    }
    if (inner.cancelled()) outer.cancel();
    else {
      const error = inner.exception();
      if (error !== null) outer.setException(error);
      else outer.setResult(inner.result());
    }
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  });
  return outer;
}

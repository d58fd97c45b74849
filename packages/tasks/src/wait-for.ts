/** `waitFor`: await something with a deadline. */
import type { Future } from '@aio/futures';
import { type AwaitableLike, getRunningLoop, TimeoutError } from '@aio/loop';
import { asCancelledError } from './cancellation';
import { ensureFuture } from './ensure-future';
import { timeout as withTimeout } from './timeout';

/**
 * Awaits `aw`, giving up after `timeout` seconds (`null`: no limit): `aw` is then cancelled,
 * waited for, and `TimeoutError` thrown. If `aw` suppresses the cancellation and returns, its
 * result is returned (asyncio 3.12+). Must be called inside a task.
 *
 * @example
 * const page = await waitFor(() => fetchPage(url), 10);
 *
 * **Cancellation**: `aw` is cancelled too, and the `CancelledError` propagates.
 */
export async function waitFor<T>(aw: AwaitableLike<T>, timeout: number | null): Promise<T> {
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError('timeout must be a number of seconds or null');
  }
  if (timeout !== null && timeout <= 0) {
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    await cancelAndWait(fut);
    try {
      return fut.result();
    } catch (error) {
      if (asCancelledError(error) !== null) throw new TimeoutError(undefined, { cause: error });
      throw error;
    }
  }
  return withTimeout(timeout, async () => {
    // A coroutine function runs inside this task, as `await coro` does in asyncio.
    if (typeof aw === 'function') return await aw();
    return await aw;
  });
}

/** Cancels `fut` and waits until it is done, whatever it does with the cancellation. */
export async function cancelAndWait(fut: Future<unknown>): Promise<void> {
  const waiter = getRunningLoop().createFuture<void>();
  const release = () => !waiter.done() && waiter.setResult();
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    await waiter;
  } finally {
    fut.removeDoneCallback(release);
  }
}

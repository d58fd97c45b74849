/** Crossing threads: `toThread` and `runCoroutineThreadsafe`. */
import { chainFuture } from '@aio/futures';
import {
  type AbstractEventLoop,
  ConcurrentFuture,
  type CoroutineFunction,
  type ExecutorFn,
  getRunningLoop,
} from '@aio/loop';
import { ensureFuture } from './ensure-future';

/**
 * Runs `func(...args)` in the loop's default executor (a worker-thread pool) and returns its
 * result. Workers cannot see closures: `func` must be self-contained, or a `WorkerRef`
 * (`{ module, export }`); args and result are structured-cloned; context is not propagated.
 *
 * @example
 * const digest = await toThread((data: Uint8Array) => require('node:crypto').createHash('sha256').update(data).digest('hex'), bytes);
 *
 * **Cancellation**: work not yet started is dropped; work already running in a worker cannot
 * be interrupted and runs to its end (its result is discarded).
 */
export async function toThread<A extends unknown[], R>(
  func: ExecutorFn<A, R>,
  ...args: A
): Promise<Awaited<R>> {
  return await getRunningLoop().runInExecutor(null, func, ...args);
}

/**
 * Submits `coro` to `loop` from outside it (another loop, or a native callback) and returns a
 * `ConcurrentFuture` of its result; cancelling that future cancels the task.
 */
export function runCoroutineThreadsafe<T>(
  coro: CoroutineFunction<T>,
  loop: AbstractEventLoop,
): ConcurrentFuture<T> {
  if (typeof coro !== 'function') throw new TypeError('coro must be a coroutine function');
  if (typeof loop?.callSoonThreadsafe !== 'function') throw new TypeError('loop must be an event loop');
  const result = new ConcurrentFuture<T>();
  loop.callSoonThreadsafe(() => {
    try {
      chainFuture(ensureFuture(coro, { loop }), result);
    } catch (error) {
      if (result.setRunningOrNotifyCancel()) result.setException(error);
      throw error;
    }
  });
  return result;
}

/** `wait`: wait for a set of futures until all, the first, or the first failing one are done. */
import { type Future, futureAddToAwaitedBy, futureDiscardFromAwaitedBy, isFuture } from '@aio/futures';
import { getRunningLoop } from '@aio/loop';
import { currentTask, describeValue } from './task';

/** `wait` returns as soon as any future is done or cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns when any future fails (or all are done). */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns when every future is done. */
export const ALL_COMPLETED = 'ALL_COMPLETED';
/** When `wait` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/**
 * Waits for the futures (or tasks) in `aws` and returns `[done, pending]`. It never throws
 * `TimeoutError`: after `timeout` seconds it returns what is done so far.
 *
 * @example
 * const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED, timeout: 5 });
 *
 * **Cancellation**: only the wait ends; the futures are not cancelled.
 * @throws TypeError for coroutine functions or promises (wrap them with `createTask`);
 *   RangeError for an empty set or an unknown `returnWhen`.
 */
export async function wait<F extends Future<unknown>>(
  aws: Iterable<F>,
  opts: { timeout?: number | null; returnWhen?: ReturnWhen } = {},
): Promise<[done: Set<F>, pending: Set<F>]> {
  if (isFuture(aws) || typeof (aws as Iterable<F>)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`expect an iterable of futures, not ${describeValue(aws)}`);
  }
  const { timeout = null, returnWhen = ALL_COMPLETED } = opts;
  const futures = new Set(aws);
  if (futures.size === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid returnWhen value: ${String(returnWhen)}`);
  }
  for (const f of futures) {
    if (!isFuture(f)) {
      throw new TypeError(
        `wait() takes futures and tasks only, got ${describeValue(f)}: wrap it with createTask()`,
      );
    }
  }
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError('timeout must be a number of seconds or null');
  }
  const loop = getRunningLoop();
  const waiter = loop.createFuture<void>();
  const timer = timeout === null ? null : loop.callLater(timeout, () => !waiter.done() && waiter.setResult());
  let counter = futures.size;
  const parent = currentTask(loop);
  const onCompletion = (f: F) => {
    counter--;
    if (
      counter <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)
    ) {
      timer?.cancel();
      if (!waiter.done()) waiter.setResult();
    }
  };
  for (const f of futures) {
    f.addDoneCallback(onCompletion);
    if (parent !== null) futureAddToAwaitedBy(f, parent);
  }
  try {
    await waiter;
  } finally {
    timer?.cancel();
    for (const f of futures) {
      f.removeDoneCallback(onCompletion);
      if (parent !== null) futureDiscardFromAwaitedBy(f, parent);
    }
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of futures) (f.done() ? done : pending).add(f);
  return [done, pending];
}

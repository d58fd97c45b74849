/** `sleep`: suspend the current task for a while (or for one loop iteration). */
import { Future } from '@aio/futures';
import { _hasRunnableQueue, type AbstractEventLoop, getRunningLoop } from '@aio/loop';

/** Completes a `sleep(0)` future from the ready queue, without a Handle or a closure. */
class ZeroSleepWaker<T> {
  constructor(
    private readonly fut: Future<T>,
    private readonly result: T,
  ) {}

  _run(): void {
    if (!this.fut.done()) this.fut._completeNow(this.result);
  }

  toString(): string {
    return '<sleep(0) wake-up>';
  }
}

function completeUnlessCancelled<T>(fut: Future<T>, result: T): void {
  if (!fut.done()) fut.setResult(result);
}

/**
 * Waits `delay` seconds (on the loop's clock) and returns `result`. `sleep(0)` (or any
 * `delay <= 0`) yields to the loop for exactly one iteration.
 *
 * @example
 * await sleep(0.5);
 * const v = await sleep(1, 'value');
 *
 * **Cancellation**: the sleep ends at once with `CancelledError`; its timer is cancelled.
 * @throws RangeError for NaN; TypeError for a non-number; RuntimeError outside a running loop.
 */
export function sleep(delay: number): Promise<void>;
export function sleep<T>(delay: number, result: T): Promise<T>;
export async function sleep<T>(delay: number, result?: T): Promise<T | undefined> {
  if (typeof delay !== 'number')
    throw new TypeError(`delay must be a number of seconds, got ${typeof delay}`);
  if (Number.isNaN(delay)) throw new RangeError('delay must not be NaN');
  const loop: AbstractEventLoop = getRunningLoop();
  const fut = new Future<T | undefined>({ loop });
  if (delay <= 0) {
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(new ZeroSleepWaker(fut, result));
    else loop.callSoon(() => completeUnlessCancelled(fut, result));
    return await fut;
  }
  const timer = loop.callLater(delay, () => completeUnlessCancelled(fut, result));
  try {
    return await fut;
  } finally {
    timer.cancel();
  }
}

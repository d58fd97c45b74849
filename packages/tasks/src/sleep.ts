/** `sleep`: suspend the current task for a while (or for one loop iteration). */
import { Future } from '@aio/futures';
import {
  _currentTaskFromContext,
  _getRunningLoop,
  _hasRunnableQueue,
  type AbstractEventLoop,
  CancelledError,
  RuntimeError,
  type TimerHandle,
} from '@aio/loop';
import type { Waiter } from './task';

/** The future of a sleep: cancelling it cancels its timer. */
class SleepFuture<T> extends Future<T> {
  /** @internal */ _timer: TimerHandle | null = null;

  override cancel(msg?: string): boolean {
    const cancelled = super.cancel(msg);
    if (cancelled) this._timer?.cancel();
    return cancelled;
  }
}

// One shared executor instead of a closure per promise: the resolvers land in these two slots.
let capturedResolve: ((value: unknown) => void) | null = null;
let capturedReject: ((reason: unknown) => void) | null = null;
function captureResolvers(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * `sleep(0)`: asyncio's bare `yield`, the hottest await of task code. A native promise
 * settled from the ready queue on the next iteration, plus this waiter that the current task
 * records so that `task.cancel()` rejects it: no Future, no Reaction, no thenable job.
 */
class YieldWaiter implements Waiter {
  #resolve = capturedResolve!;
  #reject = capturedReject!;
  #done = false;
  readonly #loop: { _wokeAwaiters?: boolean };

  constructor(
    readonly result: unknown,
    loop: AbstractEventLoop,
  ) {
    this.#loop = loop as { _wokeAwaiters?: boolean };
  }

  /** Its turn in the ready queue: wake the awaiting task (before the loop's next batch). */
  _run(): void {
    if (this.#done) return;
    this.#done = true;
    this.#loop._wokeAwaiters = true;
    this.#resolve(this.result);
  }

  cancel(msg?: string): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#reject(new CancelledError(msg));
    return true;
  }

  toString(): string {
    return '<sleep(0) wake-up>';
  }
}

interface WaiterRecorder {
  _awaitWaiter?(waiter: Waiter): void;
}

function wake<T>(fut: SleepFuture<T>, result: T): void {
  if (!fut.done()) fut.setResult(result);
}

/**
 * Waits `delay` seconds (on the loop's clock) and returns `result`. `sleep(0)` (or any
 * `delay <= 0`) yields to the loop for exactly one iteration.
 *
 * `sleep(delay)` returns a Future (Promise-compatible: `waitFor`/`gather` can cancel it);
 * `sleep(0)` returns a plain Promise, the cheapest way to yield.
 *
 * @example
 * await sleep(0.5);
 * const v = await sleep(1, 'value');
 *
 * **Cancellation**: the sleep ends at once with `CancelledError`; its timer is cancelled.
 * Rejects with RangeError for NaN, TypeError for a non-number, RuntimeError outside a running loop.
 */
export function sleep(delay: number): Promise<void>;
export function sleep<T>(delay: number, result: T): Promise<T>;
export function sleep<T>(delay: number, result?: T): Promise<T | undefined> {
  if (typeof delay !== 'number') {
    return Promise.reject(new TypeError(`delay must be a number of seconds, got ${typeof delay}`));
  }
  if (Number.isNaN(delay)) return Promise.reject(new RangeError('delay must not be NaN'));
  const loop = _getRunningLoop();
  if (loop === null) return Promise.reject(new RuntimeError('no running event loop'));
  if (delay <= 0) {
    const promise = new Promise<T | undefined>(captureResolvers as never);
    const waiter = new YieldWaiter(result, loop);
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(waiter);
    else loop.callSoon(() => waiter._run());
    (_currentTaskFromContext() as WaiterRecorder | null)?._awaitWaiter?.(waiter);
    return promise;
  }
  const fut = new SleepFuture<T | undefined>({ loop });
  fut._timer = loop.callLater(delay, () => wake(fut, result));
  return fut;
}

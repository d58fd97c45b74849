/**
 * The AbortSignal bridge: how @aio cancellation meets the `signal` option of Node's own APIs
 * (`fetch`, `timers/promises`, `fs`, streams...). TS-only; no Python counterpart.
 */

import type { Future } from '@aio/futures';
import { CancelledError } from '@aio/loop';

/**
 * Whether `err` means "cancelled": a `CancelledError`, or an `AbortError` (DOMException or
 * Error) whose `cause` or `reason` is one — what a native API rejects with when the signal of
 * a cancelled task aborts it.
 *
 * @example
 * try { await fetch(url, { signal: currentSignal() }); }
 * catch (e) { if (isCancellation(e)) throw e; ... }
 */
export function isCancellation(err: unknown): boolean {
  return asCancelledError(err) !== null;
}

/** @internal The CancelledError behind `err`, or `null` if it is not a cancellation. */
export function asCancelledError(err: unknown): CancelledError | null {
  if (err instanceof CancelledError) return err;
  if (typeof err === 'object' && err !== null && (err as Error).name === 'AbortError') {
    const { cause, reason } = err as { cause?: unknown; reason?: unknown };
    if (cause instanceof CancelledError) return cause;
    if (reason instanceof CancelledError) return reason;
  }
  return null;
}

/**
 * Links `fut` (a Future or Task) to `signal`: when the signal aborts, `fut.cancel(String(reason))`.
 * Dispose the result to unlink; the link also ends when `fut` is done.
 *
 * @example
 * using _link = cancelOnAbort(task, AbortSignal.timeout(5000));
 */
export function cancelOnAbort(fut: Future<unknown>, signal: AbortSignal): Disposable {
  if (typeof fut?.cancel !== 'function' || typeof fut.addDoneCallback !== 'function') {
    throw new TypeError('fut must be a Future or a Task');
  }
  if (!(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  const unlinked = { [Symbol.dispose]: () => {} };
  if (signal.aborted) {
    fut.cancel(String(signal.reason));
    return unlinked;
  }
  const onAbort = () => fut.cancel(String(signal.reason));
  const unlink = () => signal.removeEventListener('abort', onAbort);
  signal.addEventListener('abort', onAbort, { once: true });
  fut.addDoneCallback(unlink);
  return { [Symbol.dispose]: unlink };
}

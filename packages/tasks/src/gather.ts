/** `gather`: run awaitables concurrently and collect their results in order. */
import { Future, futureAddToAwaitedBy, isFuture } from '@aio/futures';
import { type AbstractEventLoop, type AwaitableLike, CancelledError, getRunningLoop } from '@aio/loop';
import { ensureFuture } from './ensure-future';
import { currentTask } from './task';

/** The future `gather` returns: cancelling it cancels every child. */
class GatheringFuture<T> extends Future<T> {
  /** @internal */ _cancelRequested = false;

  constructor(
    /** @internal */ readonly _children: readonly Future<unknown>[],
    loop: AbstractEventLoop,
  ) {
    super({ loop });
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let cancelledAny = false;
    for (const child of this._children) if (child.cancel(msg)) cancelledAny = true;
    // Propagate the cancellation even with returnExceptions once a child was cancelled.
    if (cancelledAny) this._cancelRequested = true;
    return cancelledAny;
  }
}

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] };
type ResultsOrErrors<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] | Error };

/**
 * Runs `aws` concurrently (coroutine functions become Tasks) and resolves with their results
 * in the same order. Without `returnExceptions`, the first error (or cancellation) of a child
 * rejects the gather at once — the other children keep running. With it, errors and
 * `CancelledError`s take their place in the results.
 *
 * @example
 * const [a, b] = await gather([() => fetchA(), () => fetchB()]);
 *
 * **Cancellation**: cancelling the returned future (or the task awaiting it) cancels every
 * child that is not done, and the gather then ends with `CancelledError`.
 */
export function gather<const T extends readonly unknown[]>(
  aws: { [K in keyof T]: AwaitableLike<T[K]> },
  opts?: { returnExceptions?: false },
): Future<Results<T>>;
export function gather<const T extends readonly unknown[]>(
  aws: { [K in keyof T]: AwaitableLike<T[K]> },
  opts: { returnExceptions: true },
): Future<ResultsOrErrors<T>>;
export function gather(
  aws: Iterable<AwaitableLike<unknown>>,
  opts?: { returnExceptions?: boolean },
): Future<unknown[]> {
  if (aws === null || typeof (aws as Iterable<unknown>)?.[Symbol.iterator] !== 'function' || isFuture(aws)) {
    throw new TypeError('gather: aws must be an array (or iterable) of awaitables');
  }
  const returnExceptions = Boolean(opts?.returnExceptions);
  const items = [...aws];
  if (items.length === 0) {
    const empty = new Future<unknown[]>({ loop: getRunningLoop() });
    empty.setResult([]);
    return empty;
  }

  const seen = new Map<unknown, Future<unknown>>();
  const children: Future<unknown>[] = [];
  const alreadyDone: Future<unknown>[] = [];
  let loop: AbstractEventLoop | undefined;
  let unique = 0;
  let finished = 0;
  let outer: GatheringFuture<unknown[]> | undefined;

  const onChildDone = (child: Future<unknown>): void => {
    finished++;
    if (outer === undefined || outer.done()) {
      if (!child.cancelled()) child.exception(); // seen: not "never retrieved"
      return;
    }
    if (!returnExceptions) {
      if (child.cancelled()) {
        outer.setException(child._makeCancelledError());
        return;
      }
      const error = child.exception();
      if (error !== null) {
        outer.setException(error);
        return;
      }
    }
    if (finished < unique) return;
    const results = children.map((fut) => {
      if (fut.cancelled()) return new CancelledError(fut._cancelMessage ?? '');
      const error = fut.exception();
      return error !== null ? error : fut.result();
    });
    if (outer._cancelRequested) outer.setException(child._makeCancelledError());
    else outer.setResult(results);
  };

  for (const item of items) {
    // The same Future twice is awaited once; a coroutine function is a factory: one task each.
    let fut = typeof item === 'function' ? undefined : seen.get(item);
    if (fut === undefined) {
      fut = ensureFuture(item, loop === undefined ? undefined : { loop });
      loop ??= fut.getLoop();
      unique++;
      if (typeof item !== 'function') seen.set(item, fut);
      if (fut.done()) alreadyDone.push(fut);
      else fut._onDone(onChildDone);
    }
    children.push(fut);
  }

  outer = new GatheringFuture<unknown[]>(children, loop!);
  const parent = currentTask(loop);
  if (parent !== null) for (const child of children) futureAddToAwaitedBy(child, outer);
  for (const fut of alreadyDone) onChildDone(fut);
  return outer;
}

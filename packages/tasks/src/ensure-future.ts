/** `ensureFuture` and `isCoroutine`: turning anything awaitable into a Future. */
import { type Future, isFuture, wrapFuture } from '@aio/futures';
import {
  type AbstractEventLoop,
  type AwaitableLike,
  type CoroutineFunction,
  getRunningLoop,
} from '@aio/loop';
import { describeValue } from './task';

/**
 * A Future for `obj`: a Future (or Task) as it is, a coroutine function as a new Task, a
 * promise through `wrapFuture`.
 *
 * @example
 * const fut = ensureFuture(() => download(url)); // a Task
 * @throws TypeError for anything else; RangeError when a Future of another loop is given with `loop`.
 */
export function ensureFuture<T>(obj: AwaitableLike<T>, opts?: { loop?: AbstractEventLoop }): Future<T> {
  if (isFuture(obj)) {
    const fut = obj as unknown as Future<T>;
    if (opts?.loop !== undefined && opts.loop !== fut.getLoop()) {
      throw new RangeError(
        'The future belongs to a different loop than the one specified as the loop argument',
      );
    }
    return fut;
  }
  if (typeof obj === 'function') {
    return (opts?.loop ?? getRunningLoop()).createTask(obj as CoroutineFunction<T>) as unknown as Future<T>;
  }
  if (isCoroutine(obj)) return wrapFuture(obj as PromiseLike<T>, { loop: opts?.loop ?? getRunningLoop() });
  throw new TypeError(
    `An asyncio.Future, a coroutine function or a promise is required, got ${describeValue(obj)}`,
  );
}

/** Whether `obj` is a running coroutine in the JavaScript sense: a thenable that is not a Future. */
export function isCoroutine(obj: unknown): obj is PromiseLike<unknown> {
  return (
    (typeof obj === 'object' || typeof obj === 'function') &&
    obj !== null &&
    typeof (obj as PromiseLike<unknown>).then === 'function' &&
    !isFuture(obj)
  );
}

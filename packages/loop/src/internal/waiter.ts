/**
 * A one-shot wait for the loop's networking methods. It is an @aio future when @aio/futures is
 * loaded, so a Task awaiting the method can be cancelled at that `await` (the method cleans up
 * and rethrows), as asyncio's coroutines are; without futures it is a native promise.
 */
import type { AbstractEventLoop, AbstractFuture } from '../abstract-event-loop';
import { factorySlots } from './factories';

export class Waiter<T> {
  readonly #future: AbstractFuture<T> | null;
  readonly #promise: Promise<T> | null = null;
  #resolve: ((value: T) => void) | null = null;
  #reject: ((error: unknown) => void) | null = null;
  #settled = false;

  constructor(loop: AbstractEventLoop) {
    if (factorySlots.future !== null) {
      this.#future = loop.createFuture<T>();
    } else {
      this.#future = null;
      this.#promise = new Promise<T>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
    }
  }

  /** What to await. */
  get promise(): PromiseLike<T> {
    return (this.#future ?? this.#promise) as PromiseLike<T>;
  }

  /** Whether it was resolved, rejected or cancelled. */
  get settled(): boolean {
    return this.#settled || (this.#future?.done() ?? false);
  }

  resolve(value: T): void {
    if (this.settled) return;
    this.#settled = true;
    if (this.#future !== null) this.#future.setResult(value);
    else this.#resolve?.(value);
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.#settled = true;
    if (this.#future !== null) this.#future.setException(error);
    else this.#reject?.(error);
  }
}

/**
 * Waits for `start` to call `resolve` or `reject`; if the wait ends otherwise (the awaiting
 * task was cancelled), `cleanup` runs before the error is rethrown.
 */
export async function waitFor<T>(
  loop: AbstractEventLoop,
  start: (resolve: (v: T) => void, reject: (e: unknown) => void) => void,
  cleanup: () => void,
): Promise<T> {
  const waiter = new Waiter<T>(loop);
  let ok = false;
  try {
    start(
      (v) => {
        ok = true;
        waiter.resolve(v);
      },
      (e) => waiter.reject(e),
    );
    return await waiter.promise;
  } catch (error) {
    if (!ok) cleanup();
    throw error;
  }
}

/**
 * `Releaser`: what `enter()` returns, so that a lock or permit is released by `using` /
 * `await using` at the end of a block: the TypeScript form of Python's `async with lock:`.
 */

/**
 * Releases the lock (semaphore permit, condition's lock) it was obtained from, once: disposing
 * it a second time does nothing.
 *
 * @example
 * {
 *   using _ = await lock.enter();
 *   await writeRecord(); // the lock is held here
 * } // released here, even on an error
 *
 * **Cancellation**: disposing never waits, so it cannot be cancelled.
 */
export interface Releaser extends Disposable, AsyncDisposable {}

/** @internal The one implementation of `Releaser`. */
export class OneShotReleaser implements Releaser {
  #target: { release(): void } | null;

  constructor(target: { release(): void }) {
    this.#target = target;
  }

  [Symbol.dispose](): void {
    const target = this.#target;
    if (target === null) return;
    this.#target = null;
    target.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this[Symbol.dispose]();
  }
}

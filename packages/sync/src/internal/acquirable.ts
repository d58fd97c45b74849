/**
 * `Acquirable`: `enter()` and `withLock()` for everything with `acquire()`/`release()` (Lock,
 * Condition, Semaphore): asyncio's `_ContextManagerMixin`, shaped for `using` and callbacks.
 */
import { OneShotReleaser, type Releaser } from '../releaser';
import { LoopBound } from './loop-bound';

/** A primitive with `acquire()`/`release()`, and the block forms built on them. */
export abstract class Acquirable extends LoopBound {
  abstract acquire(): Promise<true>;
  abstract release(): void;

  /**
   * Acquires, then returns a `Releaser` that releases once when disposed:
   * `using _ = await x.enter()` holds it until the end of the block.
   *
   * @example
   * {
   *   using _ = await lock.enter();
   *   await write(record);
   * } // released here
   *
   * **Cancellation**: as `acquire()`: cancelled while waiting, nothing is held and no Releaser
   * is returned.
   */
  async enter(): Promise<Releaser> {
    await this.acquire();
    return new OneShotReleaser(this);
  }

  /**
   * Acquires, runs `body`, and releases when `body` settles (even if it throws); returns what
   * `body` returned.
   *
   * @example
   * const receipt = await lock.withLock(() => transfer(from, to, amount));
   *
   * **Cancellation**: cancelled while waiting to acquire, `body` does not run; cancelled inside
   * `body`, the release still happens.
   * @throws TypeError (as a rejection) when `body` is not a function.
   */
  async withLock<T>(body: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    if (typeof body !== 'function') throw new TypeError(`body must be a function, got ${typeof body}`);
    await this.acquire();
    try {
      return await body();
    } finally {
      this.release();
    }
  }
}

/**
 * `DefaultEventLoopPolicy`: the policy in force unless another is set (asyncio's
 * `DefaultEventLoopPolicy`, 3.14 semantics): one current-loop slot (one per JS thread, as
 * asyncio's is per thread), no implicit loop creation.
 */
import { type AbstractEventLoop, EventLoop, RuntimeError } from '@aio/loop';
import { AbstractEventLoopPolicy } from './abstract-event-loop-policy';
import { checkLoop } from './internal/checks';

/**
 * Keeps one current loop, set by `setEventLoop()`; `newEventLoop()` makes an `EventLoop`.
 * Subclass it to change the loops made: `run()`/`Runner` without a `loopFactory` use them.
 *
 * @deprecated Deprecated in Python 3.14: use `run(main, { loopFactory })` or `Runner` instead.
 * @example
 * const policy = new DefaultEventLoopPolicy();
 * const loop = policy.newEventLoop();
 * policy.setEventLoop(loop);
 * policy.getEventLoop() === loop; // true, until setEventLoop(null)
 */
export class DefaultEventLoopPolicy extends AbstractEventLoopPolicy {
  #loop: AbstractEventLoop | null = null;

  /**
   * The loop last set, even if it has been closed since.
   * @throws RuntimeError when none is set (since Python 3.14 no loop is made implicitly).
   */
  getEventLoop(): AbstractEventLoop {
    if (this.#loop === null) throw new RuntimeError('There is no current event loop');
    return this.#loop;
  }

  /**
   * Sets the current loop (`null`: none).
   * @throws TypeError unless `loop` is an `AbstractEventLoop` (any object of its shape) or `null`.
   */
  setEventLoop(loop: AbstractEventLoop | null): void {
    checkLoop(loop);
    this.#loop = loop;
  }

  /** A new `EventLoop`, not set current. */
  newEventLoop(): AbstractEventLoop {
    return new EventLoop();
  }
}

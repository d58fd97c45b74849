/**
 * The current loop: `getEventLoop()`, `setEventLoop()`, `newEventLoop()` (asyncio's functions
 * of the same names, 3.14 semantics: not deprecated). They go through the policy in force.
 */
import { _getRunningLoop, type AbstractEventLoop } from '@aio/loop';
import { currentPolicy } from './event-loop-policy';

/**
 * The running loop when called from a coroutine or a callback; otherwise the loop set with
 * `setEventLoop()` (the policy's `getEventLoop()`), even if it has been closed since.
 * Inside coroutines prefer `getRunningLoop()`.
 *
 * @example
 * await run(async () => {
 *   getEventLoop() === getRunningLoop(); // true
 * });
 * @throws RuntimeError when no loop is running and none is set (3.14: none is made implicitly).
 */
export function getEventLoop(): AbstractEventLoop {
  return _getRunningLoop() ?? currentPolicy().getEventLoop();
}

/**
 * Sets the current loop of the policy in force (`null`: none). `run()` and `Runner` do it for
 * the loop they make.
 *
 * @example
 * const loop = newEventLoop();
 * setEventLoop(loop);
 * await loop.runUntilComplete(() => main()); // main may call getEventLoop()
 * @throws TypeError (default policy) unless `loop` is an `AbstractEventLoop` or `null`.
 */
export function setEventLoop(loop: AbstractEventLoop | null): void {
  currentPolicy().setEventLoop(loop);
}

/**
 * A new loop from the policy in force (an `EventLoop` by default), not set current.
 *
 * @example
 * using loop = newEventLoop(); // closed at the end of the block
 * await loop.runUntilComplete(() => main());
 */
export function newEventLoop(): AbstractEventLoop {
  return currentPolicy().newEventLoop();
}

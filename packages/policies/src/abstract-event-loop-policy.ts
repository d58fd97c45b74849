/**
 * `AbstractEventLoopPolicy`: the interface of an event-loop policy (asyncio's
 * `AbstractEventLoopPolicy`), the object behind `getEventLoop()`, `setEventLoop()` and
 * `newEventLoop()`. Policies were deprecated in Python 3.14 (removal in 3.16); they are here
 * for code ported from earlier versions.
 */
import type { AbstractEventLoop } from '@aio/loop';

/**
 * What a policy does: keeps the current loop and makes new ones. Subclass it (or, usually,
 * `DefaultEventLoopPolicy`) and install it with `setEventLoopPolicy()`.
 *
 * @deprecated Deprecated in Python 3.14: use `run(main, { loopFactory })` or `Runner` instead.
 * @example
 * class VirtualTimePolicy extends DefaultEventLoopPolicy {
 *   override newEventLoop() { return new VirtualTimeEventLoop(); }
 * }
 * setEventLoopPolicy(new VirtualTimePolicy()); // run() now runs on virtual time
 */
export abstract class AbstractEventLoopPolicy {
  /** The current loop. The default policy throws `RuntimeError` when none is set. */
  abstract getEventLoop(): AbstractEventLoop;
  /** Sets the current loop (`null`: none). */
  abstract setEventLoop(loop: AbstractEventLoop | null): void;
  /** Makes a new loop, without setting it current. */
  abstract newEventLoop(): AbstractEventLoop;
}

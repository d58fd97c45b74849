/**
 * `LoopBound`: asyncio's `_LoopBoundMixin`. A primitive can be created anywhere (no loop is
 * needed to construct it); the first time it has to block a task it binds to the running loop,
 * and using it from another loop afterwards is a `RuntimeError`.
 */
import { type AbstractEventLoop, getRunningLoop, RuntimeError } from '@aio/loop';

/** Base of the primitives that block tasks: lazily bound to one event loop. */
export abstract class LoopBound {
  #loop: AbstractEventLoop | null = null;

  /**
   * @internal The running loop, binding this primitive to it on first use.
   * @throws RuntimeError when no loop runs, or when this primitive belongs to another loop.
   */
  _getLoop(): AbstractEventLoop {
    const loop = getRunningLoop();
    if (this.#loop === null) this.#loop = loop;
    else if (this.#loop !== loop) throw new RuntimeError(`${this} is bound to a different event loop`);
    return loop;
  }
}

/** A settled promise shared by every call that does not need to wait (no allocation). */
export const RESOLVED_TRUE: Promise<true> = Promise.resolve(true);

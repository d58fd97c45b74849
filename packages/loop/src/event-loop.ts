/**
 * `EventLoop`: the default loop, on Node's own event loop. Batches run between Node's
 * macrotasks; an idle loop holds one Node timer for its earliest deadline and nothing else.
 */
import { performance } from 'node:perf_hooks';
import { BaseEventLoop } from './base-event-loop';

/** Node's setTimeout limit (2^31 - 1 ms); longer waits re-arm. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

/**
 * The default event loop (asyncio's `EventLoop`, 3.13 name). Its clock is `performance.now()`
 * in seconds.
 *
 * @example
 * const loop = new EventLoop();
 * loop.callLater(0.1, () => loop.stop());
 * await loop.runForever();
 * loop.close();
 */
export class EventLoop extends BaseEventLoop {
  #timer: NodeJS.Timeout | null = null;
  #timerDeadline = Number.POSITIVE_INFINITY;
  readonly #onTimer = () => {
    this.#timer = null;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
    this._wake();
  };

  time(): number {
    return performance.now() / 1000;
  }

  protected _idle(deadline: number | null): void {
    if (deadline === null) {
      this._cancelIdle();
      return;
    }
    if (this.#timer !== null && this.#timerDeadline === deadline) return;
    this._cancelIdle();
    const ms = Math.min(MAX_NODE_DELAY_MS, Math.max(0, Math.ceil((deadline - this.time()) * 1000)));
    this.#timerDeadline = deadline;
    this.#timer = setTimeout(this.#onTimer, ms);
  }

  protected _cancelIdle(): void {
    if (this.#timer === null) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
  }
}

/** Alias of `EventLoop`, for code ported from asyncio. */
export const SelectorEventLoop = EventLoop;

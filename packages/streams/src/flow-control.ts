/**
 * `FlowControl`: the write side of a protocol that a `StreamWriter` drains (asyncio's
 * `FlowControlMixin`, as a part rather than a base class): the transport's `pauseWriting`/
 * `resumeWriting` and the end of the connection decide when `drain()` returns.
 */
import type { AbstractEventLoop, AbstractFuture } from '@aio/loop';

/** Python's `ConnectionResetError`, as a Node-style system error. */
export function connectionLostError(): Error {
  return Object.assign(new Error('Connection lost'), { code: 'ECONNRESET', name: 'ConnectionResetError' });
}

const NOTHING_TO_WAIT_FOR: Promise<void> = Promise.resolve();

/**
 * Tracks whether writing is paused and lets writers wait until it resumes. A protocol forwards
 * `pauseWriting`/`resumeWriting`/`connectionLost` to it and answers `_drainHelper()` with `drain()`.
 *
 * @example
 * class MyProtocol extends Protocol {
 *   readonly flow = new FlowControl(loop);
 *   override pauseWriting() { this.flow.pause(); }
 *   override resumeWriting() { this.flow.resume(); }
 *   override connectionLost(exc: Error | null) { this.flow.lost(exc); }
 *   _drainHelper() { return this.flow.drain(); }
 * }
 *
 * **Cancellation**: a cancelled `drain()` stops waiting; nothing written is lost.
 */
export class FlowControl {
  #paused = false;
  #lost = false;
  readonly #waiters = new Set<AbstractFuture<void>>();

  constructor(readonly loop: AbstractEventLoop) {}

  /** Whether the transport asked writers to wait. */
  get paused(): boolean {
    return this.#paused;
  }

  /** The transport's buffer is over its high-water mark. */
  pause(): void {
    this.#paused = true;
  }

  /** The transport's buffer went down: the writers waiting in `drain()` go on. */
  resume(): void {
    this.#paused = false;
    for (const waiter of this.#waiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  /** The connection is gone: waiting writers get `exc` (or go on), later `drain()`s fail. */
  lost(exc: Error | null): void {
    this.#lost = true;
    if (!this.#paused) return;
    for (const waiter of this.#waiters) {
      if (waiter.done()) continue;
      if (exc === null) waiter.setResult(undefined);
      else waiter.setException(exc);
    }
  }

  /**
   * Resolves when writing may go on; rejects with `ConnectionResetError` once the connection
   * is lost.
   */
  drain(): Promise<void> {
    if (this.#lost) return Promise.reject(connectionLostError());
    // The common case: nothing to wait for, and no async function to run for it.
    if (!this.#paused) return NOTHING_TO_WAIT_FOR;
    return this.#waitForResume();
  }

  async #waitForResume(): Promise<void> {
    const waiter = this.loop.createFuture<void>();
    this.#waiters.add(waiter);
    try {
      await waiter;
    } finally {
      this.#waiters.delete(waiter);
    }
  }
}

/**
 * `VirtualTimeEventLoop`: a deterministic loop for tests. Its clock only moves when nothing is
 * ready: after one Node macrotask turn (so finished native I/O can queue callbacks) it jumps
 * to the earliest timer (`autoAdvance`), or waits for `advance()`. `await sleep(3600)` returns
 * at once with `loop.time()` 3600 later, and equal deadlines fire in scheduling order.
 */
import { BaseEventLoop } from './base-event-loop';

/** Options of `VirtualTimeEventLoop`. */
export interface VirtualTimeOptions {
  /** The initial `time()` (default 0). */
  start?: number;
  /** Jump to the next timer whenever the loop is idle (default true). */
  autoAdvance?: boolean;
}

/**
 * An event loop on a virtual clock, for fast deterministic tests of time-dependent code.
 *
 * @example
 * const loop = new VirtualTimeEventLoop();
 * loop.callLater(3600, () => loop.stop());
 * await loop.runForever(); // returns at once
 * loop.time(); // 3600
 */
export class VirtualTimeEventLoop extends BaseEventLoop {
  #now: number;
  readonly #autoAdvance: boolean;
  #idleCheck: NodeJS.Immediate | null = null;
  #idleWaiters: (() => void)[] = [];
  #stopWhenIdle = false;
  readonly #checkIdle = () => {
    this.#idleCheck = null;
    if (!this._running || this._batchScheduled) return;
    if (this._ready.length > 0 || this._stopping) {
      this._wake();
      return;
    }
    for (const wake of this.#idleWaiters.splice(0)) wake();
    if (this.#stopWhenIdle) {
      this.#stopWhenIdle = false;
      this.stop();
      return;
    }
    const next = this._nextTimer();
    // A timer at Infinity is never due: the loop waits (for native I/O) as a real one would.
    if (next !== undefined && this.#autoAdvance && Number.isFinite(next._when)) {
      this.#now = Math.max(this.#now, next._when);
      this._wake();
    }
  };

  constructor(opts: VirtualTimeOptions = {}) {
    super();
    const { start = 0, autoAdvance = true } = opts;
    this._checkSeconds(start, 'start');
    if (!Number.isFinite(start)) throw new RangeError('start must be finite');
    this.#now = start;
    this.#autoAdvance = Boolean(autoAdvance);
  }

  time(): number {
    return this.#now;
  }

  /**
   * Moves the clock `seconds` forward and runs everything that falls due, until the loop is
   * idle. The clock stops at each timer on the way, as a real one would pass it: a timer due at
   * 1 that schedules one 2 seconds later sees it run at 3, within `advance(5)`. Works whether
   * the loop is running or not.
   */
  async advance(seconds: number): Promise<void> {
    this._checkSeconds(seconds, 'seconds');
    if (seconds < 0) throw new RangeError('seconds must not be negative');
    if (!Number.isFinite(seconds)) throw new RangeError('seconds must be finite');
    const target = this.#now + seconds;
    for (;;) {
      await this.runUntilIdle();
      const next = this._nextTimer();
      if (next === undefined || next._when > target) break;
      this.#now = Math.max(this.#now, next._when);
    }
    this.#now = target;
    await this.runUntilIdle();
  }

  override runForever(): Promise<void> {
    // A run that ends (stop()) before the loop went idle releases the runUntilIdle() callers.
    return super.runForever().finally(() => {
      for (const wake of this.#idleWaiters.splice(0)) wake();
    });
  }

  /**
   * Runs ready callbacks (and timers already due) until nothing is ready; the clock does not move.
   * On a loop running in the background it waits until that loop is idle (or stops).
   */
  runUntilIdle(): Promise<void> {
    if (this._running) {
      const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      this._wake();
      return idle;
    }
    this.#stopWhenIdle = true;
    return this.runForever().finally(() => {
      this.#stopWhenIdle = false;
    });
  }

  protected _idle(_deadline: number | null): void {
    this.#idleCheck ??= setImmediate(this.#checkIdle);
  }

  protected _cancelIdle(): void {
    if (this.#idleCheck === null) return;
    clearImmediate(this.#idleCheck);
    this.#idleCheck = null;
  }
}

/** A new `VirtualTimeEventLoop` (see its options). */
export function newVirtualTimeEventLoop(opts?: VirtualTimeOptions): VirtualTimeEventLoop {
  return new VirtualTimeEventLoop(opts);
}

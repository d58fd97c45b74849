/**
 * `Handle` and `TimerHandle`: a scheduled callback, as returned by `callSoon`, `callLater` and
 * `callAt`. Cancelling one before it runs drops it; disposing one (`using h = ...`) cancels it.
 */
import type { AbstractEventLoop } from './abstract-event-loop';
import { type Context, contextOf, currentContext, runInContext, snapshotOf } from './context';

/** The loop-side hooks a handle calls (kept minimal so custom loops can provide them). */
interface HandleLoop extends AbstractEventLoop {
  _timerHandleCancelled?(handle: TimerHandle): void;
}

/** A callback scheduled on a loop. */
export class Handle implements Disposable {
  /** @internal */ _callback: (() => void) | null;
  /** @internal */ _context: Context;
  /**
   * @internal When the context is the scheduler's own (no copy made): its values as they were
   * when the callback was scheduled (see `runInContext`). Replaced by a Context of its own as
   * soon as one is needed (`getContext()`, or a write in the callback).
   */
  _snapshot: ReadonlyMap<unknown, unknown> | null;
  /** @internal */ readonly _loop: HandleLoop;
  /** @internal */ _cancelled = false;
  /** @internal Where it was created (debug mode). */
  _sourceTraceback: string | undefined;

  /**
   * Without `context`, the callback runs in (a copy-on-write view of) the current context, as
   * asyncio's copy per callback; a task's own context is always copied, so the callback does not
   * run "inside" the task.
   */
  constructor(callback: () => void, loop: AbstractEventLoop, context?: Context) {
    this._callback = callback;
    this._loop = loop;
    if (context !== undefined) {
      this._context = context;
      this._snapshot = null;
    } else {
      const current = currentContext();
      if (current._task === null) {
        this._context = current;
        this._snapshot = snapshotOf(current);
      } else {
        this._context = current.copy();
        this._snapshot = null;
      }
    }
  }

  /** Prevents the callback from running; no effect if it already ran. */
  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    this._callback = null;
  }

  /** Whether `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** The context the callback runs in: its own copy, unless one was given to `callSoon`. */
  getContext(): Context {
    if (this._snapshot !== null) {
      // The callback borrows the scheduler's context: give it a copy of its own now, so that
      // the caller sees the values as scheduled and cannot write into the scheduler's context.
      this._context = contextOf(this._snapshot);
      this._snapshot = null;
    }
    return this._context;
  }

  /** Cancels the handle. */
  [Symbol.dispose](): void {
    this.cancel();
  }

  /** @internal Runs the callback in its context; an error goes to the loop's exception handler. */
  _run(): void {
    const callback = this._callback;
    if (callback === null) return;
    try {
      const used = runInContext(this._context, this._snapshot, callback, undefined);
      if (this._snapshot !== null && used !== this._context) {
        this._context = used;
        this._snapshot = null;
      }
    } catch (exception) {
      const context: Record<string, unknown> = {
        message: `Exception in callback ${describeCallback(callback)}`,
        exception,
        handle: this,
      };
      if (this._sourceTraceback !== undefined) context.sourceTraceback = this._sourceTraceback;
      this._loop.callExceptionHandler(context as { message: string });
    }
  }

  toString(): string {
    const state = this._cancelled ? 'cancelled' : describeCallback(this._callback);
    return `<${this.constructor.name} ${state}>`;
  }
}

/** A callback scheduled for a time on the loop's clock. */
export class TimerHandle extends Handle {
  /** @internal */ readonly _when: number;
  /** @internal FIFO order among equal deadlines. */ readonly _seq: number;
  /** @internal In the loop's timer heap. */ _scheduled = false;

  constructor(when: number, callback: () => void, loop: AbstractEventLoop, context?: Context, seq = 0) {
    super(callback, loop, context);
    this._when = when;
    this._seq = seq;
  }

  /** When it is due, on the loop's clock (seconds). */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (this._cancelled) return;
    if (this._scheduled) this._loop._timerHandleCancelled?.(this);
    super.cancel();
  }

  override toString(): string {
    return `<TimerHandle when=${this._when} ${this._cancelled ? 'cancelled' : describeCallback(this._callback)}>`;
  }
}

function describeCallback(callback: (() => void) | null): string {
  if (callback === null) return 'done';
  return callback.name ? `${callback.name}()` : '<anonymous>()';
}

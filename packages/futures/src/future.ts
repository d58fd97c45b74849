/**
 * `Future`: a result that will exist later, bound to one event loop. Callbacks run through the
 * loop's ready queue (never synchronously), each in the context it was added from; `await fut`
 * works because a Future is a thenable, and a Task awaiting one records it so that
 * `task.cancel()` can cancel it (see @aio/tasks).
 *
 * Layout: futures are the most allocated object of a program, so a Future keeps five hot
 * fields; what few futures need (debug traceback, a kept CancelledError, call-graph edges, the
 * never-retrieved record) lives in `_extra`, made on first use.
 */
import {
  _currentContext,
  _currentTaskFromContext,
  _futureBrand,
  _hasFutureBrand,
  _hasRunnableQueue,
  _runInContext,
  _snapshotOf,
  type AbstractEventLoop,
  type AbstractFuture,
  CancelledError,
  type Context,
  getRunningLoop,
  InvalidStateError,
  RuntimeError,
} from '@aio/loop';
import { type AwaitingTask, Reaction } from './reaction';

const PENDING = 0;
/** Pending, and completes (with `_result`) when its turn in the ready queue comes. */
const WAKING = 1;
const CANCELLED = 2;
const FINISHED = 3;
const FAILED = 4;
type State = typeof PENDING | typeof WAKING | typeof CANCELLED | typeof FINISHED | typeof FAILED;
const STATE_NAMES = ['PENDING', 'PENDING', 'CANCELLED', 'FINISHED', 'FINISHED'] as const;

type DoneCallback<F> = (fut: F) => void;
type CallbackSlot = DoneCallback<never> | Context | ReadonlyMap<unknown, unknown> | null;

/** An error set on a future, reported to the loop if nobody looks at it before the future is collected. */
interface UnretrievedError {
  loop: AbstractEventLoop;
  exception: unknown;
  message: string;
  sourceTraceback: string | undefined;
  retrieved: boolean;
}

/** The state few futures need. */
interface FutureExtra {
  sourceTraceback: string | undefined;
  cancelledExc: CancelledError | null;
  unretrieved: UnretrievedError | null;
  /** Futures awaiting this one: the one, or a Set when there are several. */
  awaitedBy: Future<unknown> | Set<Future<unknown>> | null;
}

const unretrieved = new FinalizationRegistry<UnretrievedError>((record) => {
  if (record.retrieved) return;
  const context: Record<string, unknown> = { message: record.message, exception: record.exception };
  if (record.sourceTraceback !== undefined) context.sourceTraceback = record.sourceTraceback;
  record.loop.callExceptionHandler(context as { message: string });
});

/**
 * A pending result, bound to an event loop: the callback ↔ async/await bridge of asyncio.
 * It is Promise-compatible (`then`, `catch`, `finally`), so it can be passed where a Promise is
 * expected. Unlike a Promise, a Future cannot hold another thenable as its result: JavaScript
 * adopts thenables when they are awaited.
 *
 * @example
 * const fut = loop.createFuture<number>();
 * loop.callLater(1, () => fut.setResult(42));
 * console.log(await fut); // 42
 *
 * **Cancellation**: a Task awaiting a future that is cancelled gets a `CancelledError` with
 * the cancel message; cancelling the awaiting Task cancels the future it awaits.
 */
export class Future<T = unknown> implements AbstractFuture<T> {
  /** @internal */ _state: State = PENDING;
  /** @internal The result; the error when FAILED; the cancel message when CANCELLED. */
  _result: unknown = undefined;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /**
   * @internal Done callbacks, flattened in threes: fn, context, snapshot (see @aio/loop's
   * `_runInContext`; a null context: @aio's own callbacks, run as they are). A lone callback of
   * @aio's own (`_onDone`: gather, wait...) is kept as the function itself, without an array.
   */
  _callbacks: CallbackSlot[] | DoneCallback<never> | null = null;
  /** @internal What `then()` returned while pending: one Reaction, several, or none. */
  _reactions: Reaction<unknown> | Reaction<unknown>[] | null = null;
  /** @internal */ _extra: FutureExtra | null = null;

  constructor(opts?: { loop?: AbstractEventLoop }) {
    this._loop = opts?.loop ?? getRunningLoop();
    if (this._loop.getDebug()) this._more().sourceTraceback = new Error().stack;
  }

  /**
   * The result.
   * @throws the future's error; `CancelledError` if cancelled; `InvalidStateError` if pending.
   */
  result(): T {
    const state = this._state;
    if (state === FINISHED) return this._result as T;
    if (state === CANCELLED) throw this._makeCancelledError();
    if (state !== FAILED) throw new InvalidStateError('Result is not ready.');
    this._markRetrieved();
    throw this._result;
  }

  /**
   * The error the future failed with, or `null` when it succeeded.
   * @throws `CancelledError` if cancelled; `InvalidStateError` if pending.
   */
  exception(): unknown {
    const state = this._state;
    if (state === CANCELLED) throw this._makeCancelledError();
    if (state <= WAKING) throw new InvalidStateError('Exception is not set.');
    if (state === FINISHED) return null;
    this._markRetrieved();
    return this._result;
  }

  /**
   * Calls `callback(fut)` from the loop once the future is done (soon, if it is done already),
   * in `context` (default: a copy of the current context).
   */
  addDoneCallback(callback: DoneCallback<this>, opts?: { context?: Context }): void {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    const given = opts?.context;
    if (this._state > WAKING) {
      this._loop.callSoon(() => callback(this), given === undefined ? undefined : { context: given });
      return;
    }
    // As a Handle does: the given context, else the current one (copied if it is a task's).
    let context = given ?? _currentContext();
    let snapshot: ReadonlyMap<unknown, unknown> | null = null;
    if (given === undefined) {
      if (context._task === null) snapshot = _snapshotOf(context);
      else context = context.copy();
    }
    this._callbackList().push(callback, context, snapshot);
  }

  /** @internal The done callbacks as an array (made on first use) to add to. */
  _callbackList(): CallbackSlot[] {
    const callbacks = this._callbacks;
    if (Array.isArray(callbacks)) return callbacks;
    const list: CallbackSlot[] = callbacks === null ? [] : [callbacks, null, null];
    this._callbacks = list;
    return list;
  }

  /**
   * @internal `addDoneCallback` for @aio's own bookkeeping (gather, wait...): no context is
   * copied and the callback runs in whatever context the loop is in.
   */
  _onDone(callback: DoneCallback<this>): void {
    if (this._state > WAKING) this._loop.callSoon(() => callback(this));
    else if (this._callbacks === null) this._callbacks = callback as DoneCallback<never>;
    else this._callbackList().push(callback, null, null);
  }

  /** Removes every registration of `callback`; returns how many there were. */
  removeDoneCallback(callback: DoneCallback<this>): number {
    const callbacks = this._callbacks;
    if (callbacks === null) return 0;
    if (!Array.isArray(callbacks)) {
      if (callbacks !== callback) return 0;
      this._callbacks = null;
      return 1;
    }
    const kept: CallbackSlot[] = [];
    let removed = 0;
    for (let i = 0; i < callbacks.length; i += 3) {
      if (callbacks[i] === callback) removed++;
      else kept.push(callbacks[i]!, callbacks[i + 1]!, callbacks[i + 2]!);
    }
    if (removed > 0) this._callbacks = kept.length > 0 ? kept : null;
    return removed;
  }

  /**
   * Cancels the future and schedules its callbacks; `false` if it was already done.
   * `msg` reaches those awaiting it as the `CancelledError`'s message.
   */
  cancel(msg?: string): boolean {
    if (this._state > WAKING) return false;
    this._state = CANCELLED;
    this._result = msg;
    this._scheduleCallbacks();
    return true;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  done(): boolean {
    return this._state > WAKING;
  }

  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** Completes the future with `result`. @throws InvalidStateError if it is done. */
  setResult(result: T): void {
    if (this._state > WAKING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._result = result;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /** Completes the future with an error. @throws InvalidStateError if it is done. */
  setException(exception: unknown): void {
    if (this._state > WAKING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._result = exception;
    this._state = FAILED;
    // Format the stack now: until then V8 keeps the frames' receivers (often this very future
    // or its task) alive through the error, and the error could never be reported as lost.
    if (exception instanceof Error) void exception.stack;
    const extra = this._more();
    const record: UnretrievedError = {
      loop: this._loop,
      exception,
      message: `${this._errorOwner()} exception was never retrieved`,
      sourceTraceback: extra.sourceTraceback,
      retrieved: false,
    };
    extra.unretrieved = record;
    unretrieved.register(this, record, record);
    this._scheduleCallbacks();
  }

  /**
   * Makes `await fut` work. Chains like a Promise; a Task calling it (by awaiting) records this
   * future as the one it waits on.
   */
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const task = _currentTaskFromContext() as AwaitingTask | null;
    if (task !== null) {
      // asyncio refuses this too: it could only wait forever.
      if ((task as unknown) === this) {
        const error = new RuntimeError(`Task cannot await on itself: ${this}`);
        return Promise.reject(error).then(onFulfilled, onRejected);
      }
      task._onAwait?.(this as Future<unknown>);
    }
    if (this._state > WAKING) {
      // Awaiting a future that is done already does not yield to the loop, as in asyncio.
      return this._settledPromise().then(onFulfilled, onRejected);
    }
    const reaction = new Reaction<A | B>(onFulfilled, onRejected, task);
    const reactions = this._reactions;
    if (reactions === null) this._reactions = reaction as Reaction<unknown>;
    else if (Array.isArray(reactions)) reactions.push(reaction as Reaction<unknown>);
    else this._reactions = [reactions, reaction as Reaction<unknown>];
    return reaction;
  }

  /** Promise-style error handler: `fut.catch(onRejected)` is `fut.then(undefined, onRejected)`. */
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onRejected);
  }

  /** Promise-style `finally`: runs `onFinally` when the future is done, keeping its outcome. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return Promise.resolve(this as PromiseLike<T>).finally(onFinally);
  }

  /** Futures are Promise-compatible: a `Future<T>` can be used where a `Promise<T>` is expected. */
  get [Symbol.toStringTag](): string {
    return 'Future';
  }

  toString(): string {
    return `<${this.constructor.name} ${this._describeState()}>`;
  }

  /** @internal The message given to `cancel()`, once cancelled. */
  get _cancelMessage(): string | undefined {
    return this._state === CANCELLED ? (this._result as string | undefined) : undefined;
  }

  /** @internal A CancelledError to hand to awaiters instead of a new one (a Task keeps the original). */
  get _cancelledExc(): CancelledError | null {
    return this._extra?.cancelledExc ?? null;
  }
  set _cancelledExc(error: CancelledError | null) {
    if (error !== null || this._extra !== null) this._more().cancelledExc = error;
  }

  /** @internal Where it was created (debug mode). */
  get _sourceTraceback(): string | undefined {
    return this._extra?.sourceTraceback;
  }

  /** @internal Futures awaiting this one (call graph, 3.14): one, or a Set when several. */
  get _awaitedBy(): Future<unknown> | Set<Future<unknown>> | null {
    return this._extra?.awaitedBy ?? null;
  }
  set _awaitedBy(awaiters: Future<unknown> | Set<Future<unknown>> | null) {
    if (awaiters !== null || this._extra !== null) this._more().awaitedBy = awaiters;
  }

  /** @internal */
  _more(): FutureExtra {
    return (this._extra ??= {
      sourceTraceback: undefined,
      cancelledExc: null,
      unretrieved: null,
      awaitedBy: null,
    });
  }

  /** @internal */
  _describeState(): string {
    const state = this._state;
    if (state <= WAKING) return 'pending';
    if (state === CANCELLED) return 'cancelled';
    return state === FAILED
      ? `finished exception=${String(this._result)}`
      : `finished result=${String(this._result)}`;
  }

  /** @internal The name used in "... exception was never retrieved". */
  _errorOwner(): string {
    return 'Future';
  }

  /** @internal The error awaiters of a cancelled future see. */
  _makeCancelledError(): CancelledError {
    const kept = this._cancelledExc;
    if (kept !== null) {
      this._cancelledExc = null;
      return kept;
    }
    return new CancelledError(this._cancelMessage);
  }

  /**
   * @internal Completes the future with `result` on its turn in the ready queue, one loop
   * iteration from now, and wakes its awaiters in that same turn (asyncio's bare `yield`:
   * `sleep(0)`). If it is cancelled first, the cancellation wins.
   */
  _completeNextIteration(result: T): void {
    this._result = result;
    this._state = WAKING;
    const loop = this._loop;
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(this);
    else loop.callSoon(() => this._run());
  }

  /** @internal Runs the done callbacks: this object is put on the loop's ready queue as is. */
  _run(): void {
    if (this._state === WAKING) this._state = FINISHED;
    this._settlePromise();
    const callbacks = this._callbacks;
    if (callbacks === null) return;
    this._callbacks = null;
    if (!Array.isArray(callbacks)) {
      this._callDone(callbacks as DoneCallback<this>, null, null);
      return;
    }
    for (let i = 0; i < callbacks.length; i += 3) {
      this._callDone(
        callbacks[i] as DoneCallback<this>,
        callbacks[i + 1] as Context | null,
        callbacks[i + 2] as ReadonlyMap<unknown, unknown> | null,
      );
    }
  }

  /** @internal Calls one done callback (in `context`, if any); its error goes to the loop. */
  _callDone(
    callback: DoneCallback<this>,
    context: Context | null,
    snapshot: ReadonlyMap<unknown, unknown> | null,
  ): void {
    try {
      if (context === null) callback(this);
      else _runInContext(context, snapshot, callback, this);
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: `Exception in callback ${callback.name || '<anonymous>'}(${this})`,
        exception,
        future: this,
      });
    }
  }

  /** @internal */
  _markRetrieved(): void {
    const record = this._extra?.unretrieved;
    if (record === null || record === undefined) return;
    record.retrieved = true;
    unretrieved.unregister(record);
    this._extra!.unretrieved = null;
  }

  /** @internal */
  _scheduleCallbacks(): void {
    if (this._callbacks === null && this._reactions === null) return;
    const loop = this._loop;
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(this);
    else loop.callSoon(() => this._run());
  }

  /** @internal A native promise settled like this (done) future. */
  _settledPromise(): Promise<T> {
    const state = this._state;
    if (state === CANCELLED) return Promise.reject(this._makeCancelledError());
    if (state === FAILED) {
      this._markRetrieved();
      return Promise.reject(this._result);
    }
    return Promise.resolve(this._result as T);
  }

  /** @internal Settles what `then()` returned while the future was pending. */
  _settlePromise(): void {
    const reactions = this._reactions;
    if (reactions === null) return;
    this._reactions = null;
    // Tells a BaseEventLoop to let the woken awaiters run before its next batch.
    (this._loop as { _wokeAwaiters?: boolean })._wokeAwaiters = true;
    let ok = true;
    let value: unknown = this._result;
    if (this._state === CANCELLED) {
      ok = false;
      value = this._makeCancelledError();
    } else if (this._state === FAILED) {
      ok = false;
      this._markRetrieved();
    }
    if (Array.isArray(reactions)) for (const reaction of reactions) reaction._settle(ok, value);
    else reactions._settle(ok, value);
  }
}

Object.defineProperty(Future.prototype, _futureBrand, { value: true });

/**
 * Whether `obj` is an @aio future (or task), by brand: works across copies of the package and
 * for custom future classes that set `Symbol.for('aio.future')` on their prototype to `true`.
 */
export function isFuture(obj: unknown): obj is Future {
  return _hasFutureBrand(obj);
}

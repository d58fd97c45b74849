/**
 * `Future`: a result that will exist later, bound to one event loop. Callbacks run through the
 * loop's ready queue (never synchronously), each in the context it was added from; `await fut`
 * works because a Future is a thenable, and a Task awaiting one records it so that
 * `task.cancel()` can cancel it (see @aio/tasks).
 */
import {
  _currentTaskFromContext,
  _futureBrand,
  _hasFutureBrand,
  _hasRunnableQueue,
  type AbstractEventLoop,
  type AbstractFuture,
  CancelledError,
  type Context,
  copyContext,
  getRunningLoop,
  InvalidStateError,
} from '@aio/loop';

const PENDING = 0;
const CANCELLED = 1;
const FINISHED = 2;
type State = typeof PENDING | typeof CANCELLED | typeof FINISHED;
const STATE_NAMES = ['PENDING', 'CANCELLED', 'FINISHED'] as const;

type DoneCallback<F> = (fut: F) => void;

/** What a Task implements so that the futures it awaits can tell it (see @aio/tasks). */
interface AwaitingTask {
  _onAwait?(fut: Future<unknown>): void;
}

/** An error set on a future, reported to the loop if nobody looks at it before the future is collected. */
interface UnretrievedError {
  loop: AbstractEventLoop;
  exception: unknown;
  message: string;
  sourceTraceback: string | undefined;
  retrieved: boolean;
}

// One shared executor instead of a closure per promise: the resolvers land in these two slots.
let capturedResolve: ((value: never) => void) | null = null;
let capturedReject: ((reason: unknown) => void) | null = null;
function captureResolvers(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

const unretrieved = new FinalizationRegistry<UnretrievedError>((record) => {
  if (record.retrieved) return;
  const context: Record<string, unknown> = { message: record.message, exception: record.exception };
  if (record.sourceTraceback !== undefined) context.sourceTraceback = record.sourceTraceback;
  record.loop.callExceptionHandler(context as { message: string });
});

/**
 * A pending result, bound to an event loop: the callback ↔ async/await bridge of asyncio.
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
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _exception: unknown = undefined;
  /** @internal */ _failed = false;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal Done callbacks and their contexts, flattened: fn, ctx, fn, ctx, ... */
  _callbacks: (DoneCallback<never> | Context)[] = [];
  /** @internal The promise `then()` chains on, created by the first `then()`. */
  _promise: Promise<T> | null = null;
  /** @internal (typed loosely to keep Future covariant in T) */ _resolve: ((value: never) => void) | null =
    null;
  /** @internal */ _reject: ((reason: unknown) => void) | null = null;
  /** @internal */ _cancelMessage: string | undefined = undefined;
  /** @internal A CancelledError to reuse (a Task sets it to keep the original one). */
  _cancelledExc: CancelledError | null = null;
  /** @internal */ _unretrieved: UnretrievedError | null = null;
  /** @internal Where it was created (debug mode). */
  _sourceTraceback: string | undefined;
  /** @internal Set by `_completeNextIteration`. */
  _completeOnRun = false;
  /** @internal Futures awaiting this one (call graph, 3.14). */
  _awaitedBy: Set<Future<unknown>> | null = null;

  constructor(opts?: { loop?: AbstractEventLoop }) {
    this._loop = opts?.loop ?? getRunningLoop();
    if (this._loop.getDebug()) this._sourceTraceback = new Error().stack;
  }

  /**
   * The result.
   * @throws the future's error; `CancelledError` if cancelled; `InvalidStateError` if pending.
   */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Result is not ready.');
    this._markRetrieved();
    if (this._failed) throw this._exception;
    return this._result as T;
  }

  /**
   * The error the future failed with, or `null` when it succeeded.
   * @throws `CancelledError` if cancelled; `InvalidStateError` if pending.
   */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Exception is not set.');
    this._markRetrieved();
    return this._failed ? this._exception : null;
  }

  /**
   * Calls `callback(fut)` from the loop once the future is done (soon, if it is done already),
   * in `context` (default: a copy of the current context).
   */
  addDoneCallback(callback: DoneCallback<this>, opts?: { context?: Context }): void {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    const context = opts?.context ?? copyContext();
    if (this._state !== PENDING) {
      this._loop.callSoon(() => callback(this), { context });
    } else {
      this._callbacks.push(callback, context);
    }
  }

  /** Removes every registration of `callback`; returns how many there were. */
  removeDoneCallback(callback: DoneCallback<this>): number {
    const kept: (DoneCallback<never> | Context)[] = [];
    let removed = 0;
    for (let i = 0; i < this._callbacks.length; i += 2) {
      if (this._callbacks[i] === callback) removed++;
      else kept.push(this._callbacks[i]!, this._callbacks[i + 1]!);
    }
    if (removed > 0) this._callbacks = kept;
    return removed;
  }

  /**
   * Cancels the future and schedules its callbacks; `false` if it was already done.
   * `msg` reaches those awaiting it as the `CancelledError`'s message.
   */
  cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** Completes the future with `result`. @throws InvalidStateError if it is done. */
  setResult(result: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._result = result;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /** Completes the future with an error. @throws InvalidStateError if it is done. */
  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._exception = exception;
    this._failed = true;
    this._state = FINISHED;
    // Format the stack now: until then V8 keeps the frames' receivers (often this very future
    // or its task) alive through the error, and the error could never be reported as lost.
    if (exception instanceof Error) void exception.stack;
    const record: UnretrievedError = {
      loop: this._loop,
      exception,
      message: `${this._errorOwner()} exception was never retrieved`,
      sourceTraceback: this._sourceTraceback,
      retrieved: false,
    };
    this._unretrieved = record;
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
    if (task !== null && (task as unknown) !== this) task._onAwait?.(this as Future<unknown>);
    return this._getPromise().then(onFulfilled, onRejected);
  }

  /** Promise-style error handler: `fut.catch(onRejected)` is `fut.then(undefined, onRejected)`. */
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onRejected);
  }

  /** Promise-style `finally`: runs `onFinally` when the future is done, keeping its outcome. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this._getPromise().finally(onFinally);
  }

  /** Futures are Promise-compatible: a `Future<T>` can be used where a `Promise<T>` is expected. */
  get [Symbol.toStringTag](): string {
    return 'Future';
  }

  toString(): string {
    return `<${this.constructor.name} ${this._describeState()}>`;
  }

  /** @internal */
  _describeState(): string {
    if (this._state === PENDING) return 'pending';
    if (this._state === CANCELLED) return 'cancelled';
    return this._failed
      ? `finished exception=${String(this._exception)}`
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
    this._completeOnRun = true;
    const loop = this._loop;
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(this);
    else loop.callSoon(() => this._run());
  }

  /** @internal Runs the done callbacks: this object is put on the loop's ready queue as is. */
  _run(): void {
    if (this._completeOnRun) {
      this._completeOnRun = false;
      if (this._state === PENDING) this._state = FINISHED;
    }
    this._settlePromise();
    const callbacks = this._callbacks as (DoneCallback<this> | Context)[];
    if (callbacks.length === 0) return;
    this._callbacks = [];
    for (let i = 0; i < callbacks.length; i += 2) {
      const callback = callbacks[i] as DoneCallback<this>;
      try {
        (callbacks[i + 1] as Context).run(callback, this);
      } catch (exception) {
        this._loop.callExceptionHandler({
          message: `Exception in callback ${callback.name || '<anonymous>'}(${this})`,
          exception,
          future: this,
        });
      }
    }
  }

  /** @internal */
  _markRetrieved(): void {
    const record = this._unretrieved;
    if (record === null) return;
    record.retrieved = true;
    unretrieved.unregister(record);
    this._unretrieved = null;
  }

  /** @internal */
  _scheduleCallbacks(): void {
    if (this._callbacks.length === 0 && this._promise === null) return;
    const loop = this._loop;
    if (_hasRunnableQueue(loop)) loop._callSoonRunnable(this);
    else loop.callSoon(() => this._run());
  }

  /** @internal */
  _getPromise(): Promise<T> {
    let promise = this._promise;
    if (promise === null) {
      promise = new Promise<T>(captureResolvers);
      this._resolve = capturedResolve;
      this._reject = capturedReject;
      this._promise = promise;
      // Awaiting a future that is done already does not yield to the loop, as in asyncio.
      if (this._state !== PENDING) this._settlePromise();
    }
    return promise;
  }

  /** @internal */
  _settlePromise(): void {
    const resolve = this._resolve as ((value: T) => void) | null;
    if (resolve === null) return;
    const reject = this._reject!;
    this._resolve = null;
    this._reject = null;
    if (this._state === CANCELLED) reject(this._makeCancelledError());
    else if (this._failed) {
      this._markRetrieved();
      reject(this._exception);
    } else resolve(this._result as T);
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

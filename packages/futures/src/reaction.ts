/**
 * `Reaction`: what `Future.then()` returns. It is Promise-compatible (then/catch/finally) but
 * becomes a native Promise only when someone chains on it. `await fut` calls `then()` with the
 * engine's own resolving functions and never looks at the result, so on that hot path no
 * promise is allocated at all: when the future completes, the loop calls the handlers
 * directly, and the awaiting function resumes one microtask later.
 */

type Handler = ((value: never) => unknown) | null | undefined;

// One shared executor instead of a closure per promise: the resolvers land in these two slots.
let capturedResolve: ((value: unknown) => void) | null = null;
let capturedReject: ((reason: unknown) => void) | null = null;
function captureResolvers(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** The part of a Task a Reaction talks to (see @aio/tasks). */
export interface AwaitingTask {
  _onAwait?(fut: unknown): void;
  /** Set when an awaited value has been handed to the task's coroutine. */
  _delivered?: boolean;
}

/** A promise being materialised while the future is still pending, with its resolvers. */
interface Deferred {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Marks a reaction whose handlers ran and whose outcome (a fulfilment) is in `#value`. */
const SETTLED: Handler = () => {};

/**
 * The result of `Future.then()`: settled by the future, materialised as a Promise on demand.
 * Five fields: one of these is allocated for every `await` of a pending future.
 */
export class Reaction<R> implements Promise<R> {
  #onFulfilled: Handler;
  /** The rejection handler until settled, then `SETTLED` (fulfilled, value kept) or null. */
  #onRejected: Handler;
  #value: unknown;
  #promise: Promise<R> | Deferred | null = null;

  /** The task whose `await` this is, told when the awaited value is handed over. */
  #task: AwaitingTask | null;

  constructor(onFulfilled: Handler, onRejected: Handler, task: AwaitingTask | null) {
    this.#onFulfilled = onFulfilled;
    this.#onRejected = onRejected;
    this.#task = task;
  }

  /** @internal Called by the future when it completes: runs the matching handler. */
  _settle(ok: boolean, value: unknown): void {
    if (this.#task !== null) {
      this.#task._delivered = true;
      this.#task = null;
    }
    const handler = ok ? this.#onFulfilled : this.#onRejected;
    this.#onFulfilled = null;
    this.#onRejected = null;
    let resultOk = ok;
    let result = value;
    if (typeof handler === 'function') {
      try {
        result = (handler as (v: unknown) => unknown)(value);
        resultOk = true;
      } catch (error) {
        result = error;
        resultOk = false;
      }
    }
    const materialized = this.#promise;
    if (materialized === null) {
      if (resultOk && !isThenable(result)) {
        this.#onRejected = SETTLED;
        this.#value = result;
      } else {
        // A rejection or a thenable needs a real promise: to adopt it, or to report it unhandled.
        this.#promise = (resultOk ? Promise.resolve(result) : Promise.reject(result)) as Promise<R>;
      }
    } else if (!(materialized instanceof Promise)) {
      if (resultOk) materialized.resolve(result);
      else materialized.reject(result);
      this.#promise = materialized.promise as Promise<R>;
    }
  }

  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#materialize().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.#materialize().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.#materialize().finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return 'Promise';
  }

  #materialize(): Promise<R> {
    const current = this.#promise;
    if (current instanceof Promise) return current;
    if (current !== null) return current.promise as Promise<R>;
    if (this.#onRejected === SETTLED) {
      const settled = Promise.resolve(this.#value as R);
      this.#promise = settled;
      this.#value = undefined;
      return settled;
    }
    const promise = new Promise<R>(captureResolvers as never);
    this.#promise = { promise, resolve: capturedResolve!, reject: capturedReject! };
    return promise;
  }
}

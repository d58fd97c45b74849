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

/** The result of `Future.then()`: settled by the future, materialised as a Promise on demand. */
export class Reaction<R> implements Promise<R> {
  #onFulfilled: Handler;
  #onRejected: Handler;
  /** The outcome once the handlers ran: `true` fulfilled, `false` rejected, `null` pending. */
  #ok: boolean | null = null;
  #value: unknown;
  #promise: Promise<R> | null = null;
  #resolve: ((value: unknown) => void) | null = null;
  #reject: ((reason: unknown) => void) | null = null;

  constructor(onFulfilled: Handler, onRejected: Handler) {
    this.#onFulfilled = onFulfilled;
    this.#onRejected = onRejected;
  }

  /** @internal Called by the future when it completes: runs the matching handler. */
  _settle(ok: boolean, value: unknown): void {
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
    if (resultOk && !isThenable(result) && this.#promise === null) {
      this.#ok = true;
      this.#value = result;
      return;
    }
    // A rejection or a thenable needs a real promise: to adopt it, or to report it unhandled.
    if (this.#promise === null) {
      this.#promise = (resultOk ? Promise.resolve(result) : Promise.reject(result)) as Promise<R>;
    } else if (resultOk) {
      this.#resolve!(result);
    } else {
      this.#reject!(result);
    }
    this.#resolve = null;
    this.#reject = null;
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
    if (this.#promise === null) {
      if (this.#ok === true) {
        this.#promise = Promise.resolve(this.#value as R);
      } else {
        this.#promise = new Promise<R>(captureResolvers as never);
        this.#resolve = capturedResolve;
        this.#reject = capturedReject;
      }
    }
    return this.#promise;
  }
}

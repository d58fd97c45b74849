/**
 * `ThreadPoolExecutor`: Python's `concurrent.futures.ThreadPoolExecutor` on `worker_threads`.
 * JavaScript cannot share closures between threads, so a call is shipped as the function's
 * source text (it must be self-contained) or as a `WorkerRef` to a module export; arguments
 * and results are structured-cloned. The worker's code is an inline script
 * (`new Worker(code, { eval: true })`), so the same file works from the ESM and CommonJS
 * builds and from the TypeScript sources.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConcurrentFuture } from './concurrent-future';
import { RuntimeError } from './errors';
import type { Executor, ExecutorFn, WorkerRef } from './executor';

/**
 * The worker's side: compile (or import) the function once, run one call at a time, post back
 * `{ id, ok: true, result }`, `{ id, ok: false, error }` (an Error, described field by field)
 * or `{ id, ok: false, thrown }` (any other thrown value, cloned as it is).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
globalThis.require = require;
const MAX_COMPILED = 256;
const compiled = new Map();
const modules = new Map();

function compile(source) {
  try {
    return (0, eval)('(' + source + '\\n)');
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Method shorthand ("name(a) { ... }", "async name() {}"): its source is no expression.
    let holder;
    try { holder = (0, eval)('({' + source + '\\n})'); } catch { throw error; }
    const key = Reflect.ownKeys(holder)[0];
    const fn = Object.getOwnPropertyDescriptor(holder, key).value;
    if (typeof fn !== 'function') throw error;
    return fn;
  }
}

function fromSource(source) {
  let fn = compiled.get(source);
  if (fn === undefined) {
    fn = compile(source);
    if (typeof fn !== 'function') throw new TypeError('fn did not compile to a function in the worker');
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value);
    compiled.set(source, fn);
  }
  return fn;
}

async function fromModule(specifier, name) {
  let mod = modules.get(specifier);
  if (mod === undefined) {
    mod = await import(specifier);
    modules.set(specifier, mod);
  }
  let fn = mod[name];
  // CommonJS exports the lexer could not see are only on the default export.
  if (typeof fn !== 'function' && mod.default != null) fn = mod.default[name];
  if (typeof fn !== 'function') throw new TypeError(specifier + ' has no exported function ' + name);
  return fn;
}

function isError(value) {
  return value instanceof Error || (typeof value === 'object' && value !== null &&
    typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string');
}

function isPrimitive(value) {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol');
}

function describe(error, depth) {
  const props = {};
  for (const key of Object.keys(error)) if (isPrimitive(error[key])) props[key] = error[key];
  if (isPrimitive(error.code) && error.code !== undefined) props.code = error.code;
  const described = {
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    props,
  };
  if (depth < 8 && isError(error.cause)) described.cause = describe(error.cause, depth + 1);
  return described;
}

function fail(id, error) {
  if (isError(error)) {
    parentPort.postMessage({ id, ok: false, error: describe(error, 0) });
    return;
  }
  try {
    parentPort.postMessage({ id, ok: false, thrown: error });
  } catch {
    parentPort.postMessage({ id, ok: false, error: describe(new Error(String(error)), 0) });
  }
}

parentPort.on('message', async (call) => {
  try {
    const fn = call.source !== undefined ? fromSource(call.source) : await fromModule(call.module, call.export);
    const result = await fn(...call.args);
    parentPort.postMessage({ id: call.id, ok: true, result });
  } catch (error) {
    fail(call.id, error);
  }
});
`;

/** One call: what is sent to the worker, plus the future it settles. */
interface Call {
  id: number;
  source?: string;
  module?: string;
  export?: string;
  args: unknown[];
  future: ConcurrentFuture<unknown>;
}

/** An Error as the worker describes it (Error objects lose their class in structured clone). */
interface ErrorDescription {
  name: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
  cause?: ErrorDescription;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: ErrorDescription;
  thrown?: unknown;
}

interface PoolWorker {
  worker: Worker;
  /** The call it runs; `null` while idle. */
  call: Call | null;
  exited: Promise<unknown>;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** The worker's error as an Error here: a builtin class when its name is one, else `Error`. */
function rebuildError(described: ErrorDescription): Error {
  const Class = Object.hasOwn(BUILTIN_ERRORS, described.name) ? BUILTIN_ERRORS[described.name]! : Error;
  const error =
    described.cause === undefined
      ? new Class(described.message)
      : new Class(described.message, { cause: rebuildError(described.cause) });
  if (error.name !== described.name) {
    Object.defineProperty(error, 'name', { value: described.name, configurable: true, writable: true });
  }
  for (const [key, value] of Object.entries(described.props)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack')
      (error as unknown as Record<string, unknown>)[key] = value;
  }
  if (described.stack !== undefined) error.stack = described.stack;
  return error;
}

/** The module specifier the worker imports: paths become file: URLs (relative ones from the cwd). */
function specifierOf(module: unknown): string {
  if (typeof module === 'object' && module !== null && typeof (module as URL).href === 'string') {
    return (module as URL).href;
  }
  if (typeof module !== 'string' || module === '') {
    throw new TypeError('fn.module must be a module specifier, a file path or a URL');
  }
  if (path.isAbsolute(module) || /^\.\.?[\\/]/.test(module)) return pathToFileURL(path.resolve(module)).href;
  return module;
}

function sourceOf(fn: (...args: never[]) => unknown): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(
      'fn is a native or bound function: its source cannot be sent to a worker (use a self-contained function or a WorkerRef)',
    );
  }
  if (/^class\b/.test(source)) throw new TypeError('fn must be a function, not a class');
  return source;
}

function isWorkerRef(fn: unknown): fn is WorkerRef {
  return typeof fn === 'object' && fn !== null && 'module' in fn && 'export' in fn;
}

/**
 * A pool of worker threads running submitted calls: the loop's default executor
 * (`loop.runInExecutor(null, fn, ...args)`, `toThread(fn, ...args)`).
 *
 * `fn` is either a self-contained function — sent as its source text and compiled once per
 * worker, so it sees no closure, only globals, `require` and `import()` — or a `WorkerRef`
 * `{ module, export }` naming a function exported by an ES or CommonJS module, imported in the
 * worker (`module` is a file path, relative to the current directory or absolute, a `file:`
 * URL, or a package name). Arguments and results are structured-cloned; a returned promise is
 * awaited in the worker. Workers are started on demand, up to `maxWorkers`, and reused; an
 * idle worker does not keep the process alive, a busy one does.
 *
 * @example
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const sum = await pool.submit((n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }, 1e7);
 * const hash = await pool.submit({ module: new URL('./hash.mjs', import.meta.url), export: 'sha256' }, data);
 * await pool.shutdown();
 *
 * **Cancellation**: `future.cancel()` only stops a call that is still queued; a running call
 * cannot be interrupted (`cancel()` returns false) and runs to its end. An awaiting task that
 * is cancelled (`runInExecutor`, `toThread`) stops waiting, but the call goes on.
 */
export class ThreadPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: Call[] = [];
  /** Every worker thread not yet exited, in the pool or not: `shutdown()` waits for them. */
  readonly #alive = new Set<PoolWorker>();
  #nextId = 1;
  #shutdown = false;
  #closed: Promise<void> | null = null;
  #drained: (() => void) | null = null;

  /**
   * @param opts.maxWorkers how many worker threads may run at once (a positive integer;
   *   default `min(32, os.availableParallelism() + 4)`, as Python).
   * @throws TypeError if `maxWorkers` is not a number; RangeError if it is not a positive integer.
   */
  constructor(opts: { maxWorkers?: number } = {}) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('opts must be an object');
    const maxWorkers = opts.maxWorkers ?? Math.min(32, os.availableParallelism() + 4);
    if (typeof maxWorkers !== 'number') throw new TypeError('maxWorkers must be a number');
    if (!Number.isInteger(maxWorkers) || maxWorkers <= 0) {
      throw new RangeError(`maxWorkers must be a positive integer, got ${maxWorkers}`);
    }
    this.#maxWorkers = maxWorkers;
  }

  /**
   * Schedules `fn(...args)` on a worker thread and returns its future at once.
   *
   * Arguments are cloned when a worker picks the call up (class instances arrive as plain
   * objects): arguments that cannot be cloned (functions, symbols) fail the future with the
   * `DataCloneError` rather than making `submit` throw, and so does a result that cannot be
   * cloned. An error thrown by `fn` comes
   * back as an Error of the same `name`, `message`, `stack`, `code` (and other primitive own
   * fields, and `cause`); a builtin name (`TypeError`, ...) gives that class. If the worker
   * dies (`process.exit()`, an uncaught error), the future fails with a `RuntimeError` whose
   * `cause` says why, and a new worker takes its place.
   *
   * @example
   * const future = pool.submit(async (url: string) => (await fetch(url)).status, 'https://example.com');
   * future.addDoneCallback((f) => console.log(f.done()));
   * console.log(await future);
   *
   * **Cancellation**: `future.cancel()` succeeds only while the call is queued; it is then
   * never run. A running call cannot be interrupted.
   * @throws TypeError when `fn` is neither a function nor a `WorkerRef`; RuntimeError after shutdown.
   */
  submit<A extends unknown[], R>(fn: ExecutorFn<A, R>, ...args: A): ConcurrentFuture<Awaited<R>> {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    let target: Pick<Call, 'source' | 'module' | 'export'>;
    if (typeof fn === 'function') {
      target = { source: sourceOf(fn) };
    } else if (isWorkerRef(fn)) {
      if (typeof fn.export !== 'string' || fn.export === '') {
        throw new TypeError('fn.export must be the name of an exported function');
      }
      target = { module: specifierOf(fn.module), export: fn.export };
    } else {
      throw new TypeError('fn must be a function or a WorkerRef ({ module, export })');
    }
    const future = new ConcurrentFuture<Awaited<R>>();
    const call: Call = { id: this.#nextId++, ...target, args, future: future as ConcurrentFuture<unknown> };
    this.#queue.push(call);
    this.#dispatch();
    return future;
  }

  /**
   * Stops accepting calls (`submit` then throws `RuntimeError`). Calls already queued still run
   * unless `cancelFutures` is true, which cancels them. With `wait` (the default) the promise
   * resolves once running and queued calls are done and every worker thread has exited;
   * without it, it resolves at once and each worker ends when its work is done. Calling it
   * again is harmless (and can still cancel the queued calls, or wait).
   *
   * @example
   * await pool.shutdown({ cancelFutures: true });
   *
   * **Cancellation**: running calls are never interrupted; `cancelFutures` only cancels calls
   * that have not started.
   */
  async shutdown(opts: { wait?: boolean; cancelFutures?: boolean } = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = opts ?? {};
    this.#shutdown = true;
    if (cancelFutures) for (const call of this.#queue.splice(0)) call.future.cancel();
    this.#closed ??= new Promise<void>((resolve) => {
      this.#drained = resolve;
    }).then(async () => {
      await Promise.all([...this.#alive].map((slot) => slot.exited));
    });
    this.#dispatch();
    if (wait) await this.#closed;
  }

  #busy(): boolean {
    return this.#queue.length > 0 || this.#workers.some((w) => w.call !== null);
  }

  /** Hands queued calls to idle workers, starting new ones up to the limit. */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      const call = this.#queue[0]!;
      let slot = call.future.cancelled() ? null : this.#workers.find((w) => w.call === null);
      if (slot === undefined) {
        if (this.#workers.length >= this.#maxWorkers) break;
        try {
          slot = this.#spawn();
        } catch (error) {
          if (this.#workers.length > 0) break; // try again when a worker is free
          slot = null;
          call.future.setRunningOrNotifyCancel();
          call.future.setException(new RuntimeError('could not start a worker thread', { cause: error }));
        }
      }
      this.#queue.shift();
      if (slot !== null && call.future.setRunningOrNotifyCancel()) this.#start(slot, call);
    }
    if (this.#shutdown) {
      if (this.#queue.length === 0) {
        for (const slot of this.#workers.filter((w) => w.call === null)) this.#retire(slot);
      }
      if (!this.#busy() && this.#drained !== null) {
        this.#drained();
        this.#drained = null;
      }
    }
  }

  #start(slot: PoolWorker, call: Call): void {
    const { future, ...message } = call;
    try {
      slot.worker.postMessage(message);
    } catch (error) {
      // Arguments that cannot be cloned: the worker never saw the call.
      future.setException(error);
      return;
    }
    slot.call = call;
    slot.worker.ref();
  }

  #spawn(): PoolWorker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: PoolWorker = {
      worker,
      call: null,
      exited: new Promise((resolve) => worker.once('exit', resolve)),
    };
    worker.unref();
    worker.on('message', (reply: Reply) => this.#settle(slot, reply));
    worker.on('messageerror', (error) =>
      this.#settle(slot, { id: slot.call?.id ?? 0, ok: false, thrown: error }),
    );
    worker.on('error', (error) => this.#lose(slot, `it threw ${error}`, error));
    worker.on('exit', (code) => {
      this.#alive.delete(slot);
      this.#lose(slot, `it exited with code ${code}`, undefined);
    });
    this.#workers.push(slot);
    this.#alive.add(slot);
    return slot;
  }

  #settle(slot: PoolWorker, reply: Reply): void {
    const call = slot.call;
    if (call === null || typeof reply !== 'object' || reply === null || reply.id !== call.id) return;
    slot.call = null;
    slot.worker.unref();
    if (reply.ok) call.future.setResult(reply.result);
    else call.future.setException(reply.error !== undefined ? rebuildError(reply.error) : reply.thrown);
    this.#dispatch();
  }

  /** A worker died (crashed, or exited on its own): fail its call; a new one replaces it on demand. */
  #lose(slot: PoolWorker, why: string, cause: unknown): void {
    const index = this.#workers.indexOf(slot);
    if (index === -1) return;
    this.#workers.splice(index, 1);
    const call = slot.call;
    slot.call = null;
    if (call !== null && !call.future.done()) {
      const error = new RuntimeError(
        `the worker thread running this call died (broken thread pool): ${why}`,
        {
          cause,
        },
      );
      call.future.setException(error);
    }
    this.#dispatch();
  }

  /** Ends an idle worker after shutdown; `#alive` tracks it until it has exited. */
  #retire(slot: PoolWorker): void {
    this.#workers.splice(this.#workers.indexOf(slot), 1);
    void slot.worker.terminate().catch(() => undefined);
  }
}

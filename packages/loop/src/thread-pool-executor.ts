/**
 * `ThreadPoolExecutor`: Python's `concurrent.futures.ThreadPoolExecutor` on `worker_threads`.
 * JavaScript cannot share closures between threads, so a call is shipped as the function's
 * source text (it must be self-contained) or as a `WorkerRef` to a module export; arguments
 * and results are structured-cloned.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConcurrentFuture } from './concurrent-future';
import { RuntimeError } from './errors';
import type { Executor, ExecutorFn, WorkerRef } from './executor';

/** The worker's side: compile (or import) the function once, run calls, report results. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
globalThis.require = require;
const compiled = new Map();
const modules = new Map();
function compile(source) {
  try { return (0, eval)('(' + source + ')'); }
  catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const holder = (0, eval)('({' + source + '})');
    return holder[Object.keys(holder)[0]];
  }
}
async function resolve(call) {
  if (call.source !== undefined) {
    let fn = compiled.get(call.source);
    if (fn === undefined) { fn = compile(call.source); compiled.set(call.source, fn); }
    return fn;
  }
  let mod = modules.get(call.module);
  if (mod === undefined) { mod = await import(call.module); modules.set(call.module, mod); }
  const fn = mod[call.export] ?? (mod.default && mod.default[call.export]);
  if (typeof fn !== 'function') throw new TypeError(call.module + ' has no exported function ' + call.export);
  return fn;
}
parentPort.on('message', async (call) => {
  try {
    const fn = await resolve(call);
    const result = await fn(...call.args);
    parentPort.postMessage({ id: call.id, ok: true, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ id: call.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack, code: e.code } });
  }
});
`;

interface Call {
  id: number;
  source?: string;
  module?: string;
  export?: string;
  args: unknown[];
  future: ConcurrentFuture<unknown>;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string; code?: unknown };
}

interface PoolWorker {
  worker: Worker;
  call: Call | null;
}

function isWorkerRef(fn: unknown): fn is WorkerRef {
  return typeof fn === 'object' && fn !== null && 'module' in fn && 'export' in fn;
}

function rebuildError(error: NonNullable<Reply['error']>): Error {
  const rebuilt = new Error(error.message);
  Object.defineProperty(rebuilt, 'name', { value: error.name, configurable: true, writable: true });
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  if (error.code !== undefined) (rebuilt as Error & { code?: unknown }).code = error.code;
  return rebuilt;
}

/**
 * A pool of worker threads running submitted calls: the loop's default executor
 * (`loop.runInExecutor(null, fn, ...args)`, `toThread(fn, ...args)`).
 *
 * @example
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const sum = await pool.submit((n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }, 1e7);
 * await pool.shutdown();
 *
 * **Cancellation**: `future.cancel()` drops a call that has not started; a running call cannot
 * be interrupted and runs to its end.
 */
export class ThreadPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: Call[] = [];
  #nextId = 1;
  #shutdown = false;
  #drained: (() => void)[] = [];

  constructor(opts: { maxWorkers?: number } = {}) {
    const { maxWorkers = Math.min(32, os.availableParallelism() + 4) } = opts;
    if (typeof maxWorkers !== 'number') throw new TypeError('maxWorkers must be a number');
    if (!Number.isInteger(maxWorkers) || maxWorkers <= 0)
      throw new RangeError('maxWorkers must be a positive integer');
    this.#maxWorkers = maxWorkers;
  }

  /**
   * Runs `fn(...args)` in a worker thread.
   * @throws TypeError when `fn` is neither a function nor a `WorkerRef`; RuntimeError after shutdown.
   */
  submit<A extends unknown[], R>(fn: ExecutorFn<A, R>, ...args: A): ConcurrentFuture<Awaited<R>> {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    const future = new ConcurrentFuture<Awaited<R>>();
    const call: Call = { id: this.#nextId++, args, future: future as ConcurrentFuture<unknown> };
    if (typeof fn === 'function') call.source = fn.toString();
    else if (isWorkerRef(fn)) {
      call.module = fn.module instanceof URL ? fn.module.href : String(fn.module);
      call.export = String(fn.export);
    } else throw new TypeError('fn must be a function or a { module, export } reference');
    this.#queue.push(call);
    this.#dispatch();
    return future;
  }

  /**
   * Stops taking calls. `cancelFutures` cancels those not started; `wait` (default true) waits
   * for the running ones, then ends every worker.
   */
  async shutdown(opts: { wait?: boolean; cancelFutures?: boolean } = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = opts;
    this.#shutdown = true;
    if (cancelFutures) for (const call of this.#queue.splice(0)) call.future.cancel();
    const finished = this.#busy()
      ? new Promise<void>((resolve) => this.#drained.push(resolve))
      : Promise.resolve();
    const end = finished.then(() => this.#terminateIdle());
    if (wait) await end;
  }

  #busy(): boolean {
    return this.#queue.length > 0 || this.#workers.some((w) => w.call !== null);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#workers.find((w) => w.call === null);
      if (slot === undefined) {
        if (this.#workers.length >= this.#maxWorkers) return;
        slot = this.#spawn();
      }
      const call = this.#queue.shift()!;
      if (!call.future.setRunningOrNotifyCancel()) continue;
      const { future, ...message } = call;
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        future.setException(error);
        continue;
      }
      slot.call = call;
      slot.worker.ref();
    }
    if (this.#shutdown && !this.#busy()) this.#finishShutdown();
  }

  #spawn(): PoolWorker {
    const slot: PoolWorker = { worker: new Worker(WORKER_SOURCE, { eval: true }), call: null };
    slot.worker.unref();
    slot.worker.on('message', (reply: Reply) => this.#settle(slot, reply));
    slot.worker.on('error', (error) => this.#lose(slot, error));
    slot.worker.on('exit', (code) =>
      this.#lose(slot, new RuntimeError(`a worker thread exited with code ${code}`)),
    );
    this.#workers.push(slot);
    return slot;
  }

  #settle(slot: PoolWorker, reply: Reply): void {
    const call = slot.call;
    if (call === null || call.id !== reply.id) return;
    slot.call = null;
    slot.worker.unref();
    if (reply.ok) call.future.setResult(reply.result);
    else call.future.setException(rebuildError(reply.error!));
    this.#dispatch();
  }

  /** A worker died (crashed, or exited on its own): fail its call and replace it on demand. */
  #lose(slot: PoolWorker, error: unknown): void {
    const index = this.#workers.indexOf(slot);
    if (index === -1) return;
    this.#workers.splice(index, 1);
    const call = slot.call;
    slot.call = null;
    if (call !== null && !call.future.done()) {
      call.future.setException(
        new RuntimeError('a worker thread died while running a call (broken thread pool)', { cause: error }),
      );
    }
    this.#dispatch();
  }

  #finishShutdown(): void {
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  #terminateIdle(): void {
    for (const slot of this.#workers.splice(0)) {
      slot.worker.removeAllListeners('exit');
      void slot.worker.terminate();
    }
  }
}

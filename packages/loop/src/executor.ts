/** The executor interface (`concurrent.futures.Executor`) and what can be run in one. */
import type { ConcurrentFuture } from './concurrent-future';

/**
 * A function exported by a module, loaded inside the worker: use it for functions that need
 * imports or closures, which a worker cannot receive as source text.
 */
export interface WorkerRef {
  module: string | URL;
  export: string;
}

/**
 * What an executor runs: a self-contained function (shipped to the worker as source text), or
 * a `WorkerRef`. Arguments and results are structured-cloned.
 */
export type ExecutorFn<A extends unknown[], R> = ((...args: A) => R) | WorkerRef;

/** Runs calls elsewhere (worker threads) and reports each through a `ConcurrentFuture`. */
export interface Executor {
  submit<A extends unknown[], R>(fn: ExecutorFn<A, R>, ...args: A): ConcurrentFuture<Awaited<R>>;
  shutdown(opts?: { wait?: boolean; cancelFutures?: boolean }): Promise<void>;
}

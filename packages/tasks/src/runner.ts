/** `run` and `Runner`: the entry points that own an event loop (asyncio 3.11's runners). */
import { isFuture } from '@aio/futures';
import {
  _getCurrentLoopHook,
  _getRunningLoop,
  type AbstractEventLoop,
  type AwaitableLike,
  CancelledError,
  type Context,
  type CoroutineFunction,
  type CurrentLoopHook,
  copyContext,
  EventLoop,
  KeyboardInterrupt,
  RuntimeError,
} from '@aio/loop';
import { cancelOnAbort } from './cancellation';
import { gather } from './gather';
import { allTasks, type Task } from './task';

/** How long `close()` waits for the default executor's threads, as asyncio (seconds). */
const THREAD_JOIN_TIMEOUT = 300;

/** Options of `Runner` and `run`. */
export interface RunnerOptions {
  /** Debug mode for the loop (`null`: leave it as the loop has it). */
  debug?: boolean | null;
  /**
   * Makes the loop. Default: the policy's `newEventLoop()`, set as the current loop until
   * `close()`, when @aio/policies is loaded; `new EventLoop()` otherwise.
   */
  loopFactory?: (() => AbstractEventLoop) | null;
}

/**
 * Owns one event loop for several `run()` calls sharing one context; `close()` (or
 * `await using`) cancels leftover tasks, shuts the default executor down and closes the loop.
 *
 * @example
 * await using runner = new Runner();
 * await runner.run(() => setUp());
 * await runner.run(() => serve());
 *
 * **Cancellation**: the first Ctrl-C (SIGINT) cancels the running task and `run()` rejects with
 * `KeyboardInterrupt`; a second one exits the process as Node does by default.
 */
export class Runner implements AsyncDisposable {
  #state: 'created' | 'initialized' | 'closed' = 'created';
  readonly #debug: boolean | null;
  readonly #loopFactory: (() => AbstractEventLoop) | null;
  #loop: AbstractEventLoop | null = null;
  /** The hook that made the loop current, to unset it on close (asyncio's `_set_event_loop`). */
  #currentLoopHook: CurrentLoopHook | null = null;
  #context: Context | null = null;
  #interrupts = 0;

  constructor(opts: RunnerOptions = {}) {
    const { debug = null, loopFactory = null } = opts;
    if (loopFactory !== null && typeof loopFactory !== 'function') {
      throw new TypeError('loopFactory must be a function or null');
    }
    this.#debug = debug;
    this.#loopFactory = loopFactory;
  }

  /**
   * Runs `coro` on the runner's loop until it completes and returns its result.
   * @throws RuntimeError when called while a loop is running, or after close();
   *   KeyboardInterrupt after Ctrl-C.
   */
  async run<T>(coro: AwaitableLike<T>, opts: { context?: Context; signal?: AbortSignal } = {}): Promise<T> {
    if (_getRunningLoop() !== null)
      throw new RuntimeError('Runner.run() cannot be called from a running event loop');
    const loop = this.#lazyInit();
    const task = this.#mainTask(loop, coro, opts.context ?? this.#context!);
    using _link = opts.signal === undefined ? undefined : cancelOnAbort(task, opts.signal);
    const onSigint = process.listenerCount('SIGINT') === 0 ? this.#sigintHandler(loop, task) : null;
    if (onSigint !== null) process.on('SIGINT', onSigint);
    this.#interrupts = 0;
    try {
      return await loop.runUntilComplete(task);
    } catch (error) {
      if (error instanceof CancelledError && this.#interrupts > 0 && task.uncancel() === 0) {
        throw new KeyboardInterrupt();
      }
      throw error;
    } finally {
      if (onSigint !== null) process.removeListener('SIGINT', onSigint);
    }
  }

  /** Cancels what is left, shuts down the default executor and closes the loop. Idempotent. */
  async close(): Promise<void> {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop!;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      await loop.runUntilComplete(loop.shutdownDefaultExecutor(THREAD_JOIN_TIMEOUT));
    } finally {
      this.#currentLoopHook?.setEventLoop(null);
      this.#currentLoopHook = null;
      loop.close();
      this.#loop = null;
      this.#state = 'closed';
    }
  }

  /** The runner's loop (created on first use). @throws RuntimeError once closed. */
  getLoop(): AbstractEventLoop {
    return this.#lazyInit();
  }

  /** Closes the runner. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #lazyInit(): AbstractEventLoop {
    if (this.#state === 'closed') throw new RuntimeError('Runner is closed');
    if (this.#state === 'initialized') return this.#loop!;
    const loop = this.#loopFactory === null ? this.#defaultLoop() : this.#loopFactory();
    if (this.#debug !== null) loop.setDebug(this.#debug);
    this.#loop = loop;
    this.#context = copyContext();
    this.#state = 'initialized';
    return loop;
  }

  /** asyncio's `new_event_loop()` + `set_event_loop()` through the policy, when one is loaded. */
  #defaultLoop(): AbstractEventLoop {
    const hook = _getCurrentLoopHook();
    if (hook === null) return new EventLoop();
    const loop = hook.newEventLoop();
    hook.setEventLoop(loop);
    this.#currentLoopHook = hook;
    return loop;
  }

  #mainTask<T>(loop: AbstractEventLoop, coro: AwaitableLike<T>, context: Context): Task<T> {
    if (typeof coro === 'function')
      return loop.createTask(coro as CoroutineFunction<T>, { context }) as Task<T>;
    if (isFuture(coro) || (coro !== null && typeof (coro as PromiseLike<T>)?.then === 'function')) {
      return loop.createTask(async () => await (coro as PromiseLike<T>), { context }) as Task<T>;
    }
    throw new TypeError(`a coroutine function or an awaitable was expected, got ${typeof coro}`);
  }

  #sigintHandler(loop: AbstractEventLoop, task: Task<unknown>): () => void {
    const handler = () => {
      this.#interrupts++;
      if (this.#interrupts === 1 && !task.done()) {
        task.cancel();
        loop.callSoonThreadsafe(() => {});
        return;
      }
      // Second Ctrl-C: back to Node's default, which ends the process.
      process.removeListener('SIGINT', handler);
      process.kill(process.pid, 'SIGINT');
    };
    return handler;
  }
}

/** Cancels every pending task of `loop` and waits for them; errors go to the exception handler. */
async function cancelAllTasks(loop: AbstractEventLoop): Promise<void> {
  const toCancel = allTasks(loop);
  if (toCancel.size === 0) return;
  for (const task of toCancel) task.cancel();
  await loop.runUntilComplete(gather([...toCancel], { returnExceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({
        message: 'unhandled exception during asyncio.run() shutdown',
        exception,
        task,
      });
    }
  }
}

/**
 * Runs `main` as a task on a new event loop until it completes, then cancels what is left,
 * shuts down the default executor and closes the loop: the program's entry point.
 *
 * @example
 * await run(async () => {
 *   console.log('Hello ...');
 *   await sleep(1);
 *   console.log('... World!');
 * });
 * @throws RuntimeError when a loop is running already; KeyboardInterrupt after Ctrl-C.
 */
export async function run<T>(
  main: CoroutineFunction<T>,
  opts: RunnerOptions & { signal?: AbortSignal } = {},
): Promise<T> {
  if (_getRunningLoop() !== null) throw new RuntimeError('run() cannot be called from a running event loop');
  if (typeof main !== 'function')
    throw new TypeError(`run: main must be a coroutine function, got ${typeof main}`);
  const runner = new Runner(opts);
  try {
    return await runner.run(main, opts.signal === undefined ? {} : { signal: opts.signal });
  } finally {
    await runner.close();
  }
}

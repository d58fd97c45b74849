/**
 * `Task`: runs a coroutine function (a native async function) on an event loop, and makes it
 * cancellable as in asyncio. The task runs its function inside its own context, so every
 * @aio future it awaits calls back `_onAwait()` from `then()`: that future is the task's waiter,
 * and `cancel()` cancels it, making the `await` reject with `CancelledError` at once.
 */
import { Future, isFuture } from '@aio/futures';
import {
  _currentTaskFromContext,
  _hasRunnableQueue,
  _setDefaultTaskFactory,
  type AbstractEventLoop,
  type AbstractTask,
  CancelledError,
  Context,
  type CoroutineFunction,
  getRunningLoop,
  RuntimeError,
  type TaskFactory,
  type TaskOptions,
} from '@aio/loop';
import { asCancelledError } from './cancellation';

let nameCounter = 0;

/** Runs inside the task's context: calls the coroutine function and follows its promise. */
function startCoroutine(task: Task<unknown>): void {
  let promise: unknown;
  try {
    promise = task._coro!();
  } catch (error) {
    task._finishFailed(error);
    return;
  }
  // A coroutine function that returns a Future (like `() => sleep(1)`) awaits it.
  if (isFuture(promise)) task._onAwait(promise as Future<unknown>);
  if (promise instanceof Promise) {
    promise.then(coroutineReturned, coroutineFailed);
  } else if (promise !== null && typeof (promise as PromiseLike<unknown>)?.then === 'function') {
    // Another thenable (a Future...) may call back outside the task's context: use closures.
    (promise as PromiseLike<unknown>).then(
      (value) => task._finishReturned(value),
      (error) => task._finishFailed(error),
    );
  } else {
    task._finishReturned(promise);
  }
}

/** The task whose coroutine just ended: the reaction runs in that task's context. */
function endingTask(): Task<unknown> {
  return _currentTaskFromContext() as Task<unknown>;
}

function coroutineReturned(value: unknown): void {
  endingTask()._finishReturned(value);
}

function coroutineFailed(error: unknown): void {
  endingTask()._finishFailed(error);
}

/**
 * Pending tasks, held strongly per loop so that a running task can never be collected. An
 * array with each task's index in `_slot` (removal moves the last task into the hole): cheaper
 * than a Set for the 100,000s of tasks a server may hold.
 */
const tasksByLoop = new WeakMap<AbstractEventLoop, Task<unknown>[]>();
function tasksOf(loop: AbstractEventLoop): Task<unknown>[] {
  let tasks = tasksByLoop.get(loop);
  if (tasks === undefined) {
    tasks = [];
    tasksByLoop.set(loop, tasks);
  }
  return tasks;
}
/** Tasks entered by hand (`_enterTask`), for custom task classes that do not use the context. */
const enteredTasks = new WeakMap<AbstractEventLoop, Task<unknown>>();

/** What a task can be suspended on: a Future, or a lighter waiter with the same cancel(). */
export interface Waiter {
  cancel(msg?: string): boolean;
}

/** Options of the `Task` constructor. */
export type TaskConstructorOptions = TaskOptions & { loop?: AbstractEventLoop };

/**
 * A coroutine function running on the loop. Create one with `createTask(() => work())`;
 * it starts on the next loop iteration (or at once with `eagerStart`).
 *
 * @example
 * const task = createTask(async () => { await sleep(1); return 'done'; }, { name: 'worker' });
 * console.log(await task);
 *
 * **Cancellation**: `task.cancel(msg)` makes the `await` the task is suspended on reject with
 * `CancelledError(msg)`; the function may clean up in `finally`, or even catch it and go on.
 * If the task is awaiting a native promise, the cancellation waits for its next @aio await
 * (and `task.signal` aborts at once, so native APIs given it stop).
 */
export class Task<T = unknown> extends Future<T> implements AbstractTask<T> {
  /** @internal */ _coro: CoroutineFunction<T> | null;
  /** @internal The name, or the task's number until a name is asked for (`Task-<n>`). */
  _name: string | number;
  /** @internal The context the coroutine runs in; it carries this task. */
  readonly _runContext: Context;
  /** @internal The context given by the caller, returned by getContext(). */
  _context: Context | null;
  /** @internal The @aio future (or waiter) the coroutine awaits now. */
  _futWaiter: Waiter | null = null;
  /** @internal A cancellation to deliver at the next @aio await. */
  _mustCancel = false;
  /** @internal */ _cancelsRequested = 0;
  /** @internal */ _abort: AbortController | null = null;
  /** @internal */ _signalUnlink: (() => void) | null = null;
  /** @internal An awaited value was handed to the coroutine, which has not awaited again since. */
  _delivered = false;
  /** @internal The pending cancellation was requested by the task's own code. */
  _cancelFromInside = false;
  /** @internal Whether the first step ran (or was scheduled eagerly). */
  _started = false;
  /** @internal The message of the cancellation waiting to be delivered. */
  _cancelRequestMessage: string | undefined = undefined;
  /** @internal The task's index in its loop's pending tasks, or -1. */
  _slot = -1;

  constructor(coro: CoroutineFunction<T>, opts: TaskConstructorOptions = {}) {
    if (typeof coro !== 'function') {
      throw new TypeError(`a coroutine function was expected, got ${describeValue(coro)}`);
    }
    if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
      throw new TypeError('signal must be an AbortSignal');
    }
    super(opts);
    this._coro = coro;
    nameCounter++;
    this._name = opts.name === undefined || opts.name === null ? nameCounter : String(opts.name);
    const given = opts.context ?? null;
    this._context = given;
    this._runContext = Context._forTask(given, this, given !== null);
    _registerTask(this);
    const signal = opts.signal;
    if (signal !== undefined) this._linkSignal(signal);
    if (opts.eagerStart && this._loop.isRunning()) {
      this._started = true;
      this._start();
    } else if (_hasRunnableQueue(this._loop)) {
      this._loop._callSoonRunnable(this);
    } else {
      this._loop.callSoon(() => this._run(), { context: this._runContext });
    }
  }

  /** The coroutine function, or `null` when it completed during an eager start. */
  getCoro(): CoroutineFunction<T> | null {
    return this._coro;
  }

  /** The context the task runs in. */
  getContext(): Context {
    return (this._context ??= Context._view(this._runContext));
  }

  getName(): string {
    if (typeof this._name === 'number') this._name = `Task-${this._name}`;
    return this._name;
  }

  setName(value: unknown): void {
    this._name = String(value);
  }

  /**
   * Stack lines of the task, best effort: JavaScript cannot walk a suspended async function, so
   * this is where the task was created (in debug mode) — empty otherwise and once done.
   */
  getStack(opts?: { limit?: number | null }): string[] {
    if (this.done() || this._sourceTraceback === undefined) return [];
    const lines = this._sourceTraceback
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    const limit = opts?.limit ?? null;
    if (limit === null) return lines;
    return limit >= 0 ? lines.slice(0, limit) : lines.slice(limit);
  }

  /** Writes `getStack()` (or why there is none) to `file` (default `process.stdout`). */
  printStack(opts?: { limit?: number | null; file?: { write(s: string): unknown } }): void {
    const file = opts?.file ?? process.stdout;
    const lines = this.getStack({ limit: opts?.limit ?? null });
    if (lines.length === 0) file.write(`No stack for ${this}\n`);
    else file.write(`Stack for ${this} (most recent call first):\n${lines.map((l) => `  ${l}\n`).join('')}`);
  }

  /**
   * Requests cancellation; `false` if the task is done. The awaited @aio future is cancelled
   * (so the `await` rejects with `CancelledError(msg)`), else the request is delivered at the
   * task's next @aio await. `task.signal` aborts at once. Each call counts (`cancelling()`).
   */
  override cancel(msg?: string): boolean {
    this._markRetrieved();
    if (this.done()) return false;
    this._cancelsRequested++;
    if (this._abort !== null && !this._abort.signal.aborted) this._abort.abort(this._newCancelledError(msg));
    const waiter = this._futWaiter;
    if (waiter?.cancel(msg)) return true;
    this._mustCancel = true;
    this._cancelRequestMessage = msg;
    this._cancelFromInside = _currentTaskFromContext() === this;
    return true;
  }

  /** How many cancellation requests are pending (not yet taken back with `uncancel()`). */
  cancelling(): number {
    return this._cancelsRequested;
  }

  /**
   * Takes back one cancellation request; at 0 an undelivered request is dropped and
   * `task.signal` is renewed. Returns the remaining count.
   */
  uncancel(): number {
    if (this._cancelsRequested > 0) {
      this._cancelsRequested--;
      if (this._cancelsRequested === 0) {
        this._mustCancel = false;
        if (this._abort?.signal.aborted) this._abort = null;
      }
    }
    return this._cancelsRequested;
  }

  /**
   * Aborts when cancellation is requested, with the `CancelledError` as reason: hand it to
   * native APIs (`fetch(url, { signal: task.signal })`) so that they stop too.
   */
  get signal(): AbortSignal {
    let controller = this._abort;
    if (controller === null) {
      controller = new AbortController();
      this._abort = controller;
      if (this._cancelsRequested > 0 && !this.done())
        controller.abort(this._newCancelledError(this._cancelRequestMessage));
    }
    return controller.signal;
  }

  /** Tasks complete only by running: always a `RuntimeError`. */
  override setResult(_result: T): never {
    throw new RuntimeError('Task does not support setResult operation');
  }

  /** Tasks complete only by running: always a `RuntimeError`. */
  override setException(_exception: unknown): never {
    throw new RuntimeError('Task does not support setException operation');
  }

  override toString(): string {
    const coro = this._coro === null ? '' : ` coro=<${this._coro.name || 'anonymous'}>`;
    return `<Task ${this._describeState()} name='${this.getName()}'${coro}>`;
  }

  /** @internal */
  override _errorOwner(): string {
    return 'Task';
  }

  /** @internal Called by `Future.then()` when this task's coroutine awaits `fut`. */
  _onAwait(fut: Future<unknown>): void {
    if (this.done()) return;
    this._delivered = false;
    if (fut.getLoop() !== this._loop) {
      throw new RuntimeError(`Task ${this} got Future ${fut} attached to a different loop`);
    }
    this._futWaiter = fut;
    if (this._mustCancel && fut.cancel(this._cancelRequestMessage)) this._mustCancel = false;
  }

  /**
   * @internal The task's turn in the ready queue: its first step the first time, its done
   * callbacks afterwards (the task itself is the runnable: no Handle is allocated).
   */
  override _run(): void {
    if (this._started) {
      super._run();
      return;
    }
    this._started = true;
    this._start();
  }

  /**
   * @internal A waiter that is not a Future (see `sleep(0)`): recorded as the awaited thing
   * so that `cancel()` reaches it.
   */
  _awaitWaiter(waiter: Waiter): void {
    if (this.done()) return;
    this._delivered = false;
    this._futWaiter = waiter;
    if (this._mustCancel && waiter.cancel(this._cancelRequestMessage)) this._mustCancel = false;
  }

  /** @internal The first step: start the coroutine (unless cancelled before it ran). */
  _start(): void {
    if (this.done()) return;
    if (this._mustCancel) {
      // Cancelled before its first step: the coroutine never runs.
      this._mustCancel = false;
      this._finishCancelled(this._newCancelledError(this._cancelRequestMessage));
      return;
    }
    // The coroutine starts inside the task's context; so does the reaction to its end, which is
    // how the shared handlers below find the task again (no closure per task).
    this._runContext.run(startCoroutine, this);
  }

  /** @internal */
  _finishReturned(value: T): void {
    if (this.done()) return;
    if (this._mustCancel) {
      this._mustCancel = false;
      if (this._cancelFromInside || !this._delivered) {
        // Cancelled during the coroutine's last step: asyncio reports it as cancelled.
        this._finishCancelled(this._newCancelledError(this._cancelRequestMessage));
        return;
      }
      // The request came after an awaited value was handed over, and the coroutine returned
      // without awaiting again. asyncio would have thrown it at that await, before the value
      // was taken (an item from a queue...); here it is taken already, so the task keeps its
      // result rather than lose it, as a coroutine that suppressed the cancellation would.
    }
    this._cleanUp();
    super.setResult(value);
  }

  /** @internal */
  _finishFailed(error: unknown): void {
    if (this.done()) return;
    const cancelled = asCancelledError(error);
    if (cancelled !== null) {
      this._finishCancelled(cancelled);
      return;
    }
    this._cleanUp();
    super.setException(error);
  }

  /** @internal Ends the task as cancelled; awaiters get `error` itself. */
  _finishCancelled(error: CancelledError): void {
    this._cleanUp();
    this._cancelledExc = error;
    Future.prototype.cancel.call(this, error.message || undefined);
  }

  /** @internal */
  _cleanUp(): void {
    this._futWaiter = null;
    this._signalUnlink?.();
    this._signalUnlink = null;
    _unregisterTask(this);
  }

  /** @internal */
  _newCancelledError(msg: string | undefined): CancelledError {
    return new CancelledError(msg);
  }

  /** @internal */
  _linkSignal(signal: AbortSignal): void {
    if (signal.aborted) {
      this.cancel(String(signal.reason));
      return;
    }
    const onAbort = () => this.cancel(String(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    this._signalUnlink = () => signal.removeEventListener('abort', onAbort);
  }
}

/** @internal Adds `task` to its loop's pending tasks (for custom task classes). */
export function _registerTask(task: Task<unknown>): void {
  if (task._slot >= 0) return;
  const tasks = tasksOf(task.getLoop());
  task._slot = tasks.length;
  tasks.push(task);
}

/** @internal Removes `task` from its loop's pending tasks. */
export function _unregisterTask(task: Task<unknown>): void {
  const slot = task._slot;
  if (slot < 0) return;
  const tasks = tasksOf(task.getLoop());
  const last = tasks.pop()!;
  if (last !== task) {
    tasks[slot] = last;
    last._slot = slot;
  }
  task._slot = -1;
}

/** @internal Marks `task` as the one running on `loop` (custom task classes that do not run in a task context). */
export function _enterTask(loop: AbstractEventLoop, task: Task<unknown>): void {
  const current = enteredTasks.get(loop);
  if (current !== undefined) {
    throw new RuntimeError(`Cannot enter into task ${task} while another task ${current} is being executed.`);
  }
  enteredTasks.set(loop, task);
}

/** @internal Undoes `_enterTask`. */
export function _leaveTask(loop: AbstractEventLoop, task: Task<unknown>): void {
  const current = enteredTasks.get(loop);
  if (current !== task) {
    throw new RuntimeError(`Leaving task ${task} does not match the current task ${current}.`);
  }
  enteredTasks.delete(loop);
}

/**
 * The task whose code is running (default: on the running loop), or `null` outside any task.
 * It follows the task across native awaits.
 * @throws RuntimeError when no loop is given and none is running.
 */
export function currentTask(loop?: AbstractEventLoop): Task | null {
  const target = loop ?? getRunningLoop();
  const task = _currentTaskFromContext() as Task<unknown> | null;
  if (task !== null && task.getLoop() === target && !task.done()) return task;
  return enteredTasks.get(target) ?? null;
}

/** The tasks of `loop` (default: the running loop) that are not done yet. */
export function allTasks(loop?: AbstractEventLoop): Set<Task> {
  const target = loop ?? getRunningLoop();
  const result = new Set<Task>();
  for (const task of tasksByLoop.get(target) ?? []) if (!task.done()) result.add(task);
  return result;
}

/**
 * Wraps `coro` in a Task on the running loop (through the loop's task factory, if set) and
 * schedules it.
 *
 * @example
 * const task = createTask(() => fetchPage(url), { name: 'fetch' });
 * @throws RuntimeError when no loop is running; TypeError when `coro` is not a function.
 */
export function createTask<T>(coro: CoroutineFunction<T>, opts?: TaskOptions): Task<T> {
  if (typeof coro !== 'function') {
    throw new TypeError(
      `createTask: coro must be a coroutine function (() => Promise), got ${describeValue(coro)}`,
    );
  }
  return getRunningLoop().createTask(coro, opts) as Task<T>;
}

/** A task factory that starts every task eagerly, with `customTaskConstructor` (3.12). */
export function createEagerTaskFactory(
  customTaskConstructor: new <R>(coro: CoroutineFunction<R>, opts: TaskConstructorOptions) => Task<R>,
): TaskFactory {
  if (typeof customTaskConstructor !== 'function')
    throw new TypeError('customTaskConstructor must be a class');
  return (loop, coro, opts) => new customTaskConstructor(coro, { eagerStart: true, ...opts, loop });
}

/** The task factory that starts tasks eagerly: `loop.setTaskFactory(eagerTaskFactory)` (3.12). */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task);

_setDefaultTaskFactory((loop, coro, opts) => new Task(coro, { ...opts, loop }));

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/** `TaskGroup`: structured concurrency, as asyncio 3.11+ (with 3.13's fixes). */
import { type Future, futureAddToAwaitedBy, futureDiscardFromAwaitedBy } from '@aio/futures';
import {
  type AbstractEventLoop,
  type CoroutineFunction,
  ExceptionGroup,
  getRunningLoop,
  KeyboardInterrupt,
  RuntimeError,
  type TaskOptions,
} from '@aio/loop';
import { asCancelledError } from './cancellation';
import { currentTask, type Task } from './task';

/**
 * A group of tasks that all end before the group does. The first task to fail cancels the
 * others and the body; every failure is then thrown together as an `ExceptionGroup`.
 *
 * @example
 * await taskGroup(async (tg) => {
 *   tg.createTask(() => fetchA());
 *   tg.createTask(() => fetchB());
 * }); // both are done here
 *
 * **Cancellation**: cancelling the task running the group cancels every task in it; the group
 * waits for them, then the `CancelledError` propagates.
 */
export class TaskGroup {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: AbstractEventLoop | null = null;
  #parent: Task | null = null;
  #parentCancelRequested = false;
  #tasks = new Set<Task<unknown>>();
  #errors: unknown[] = [];
  #baseError: unknown = null;
  #onCompleted: Future<boolean> | null = null;

  /**
   * Starts `coro` as a task of the group.
   * @throws RuntimeError if the group is not active (not entered, finished, or shutting down);
   *   then `coro` is never called.
   */
  createTask<T>(coro: CoroutineFunction<T>, opts?: TaskOptions): Task<T> {
    if (!this.#entered) throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    if (this.#exiting && this.#tasks.size === 0) throw new RuntimeError(`TaskGroup ${this} is finished`);
    if (this.#aborting) throw new RuntimeError(`TaskGroup ${this} is shutting down`);
    const task = this.#loop!.createTask(coro, opts) as Task<T>;
    futureAddToAwaitedBy(task, this.#parent!);
    this.#tasks.add(task);
    task.addDoneCallback(this.#onTaskDone);
    return task;
  }

  /**
   * Runs `body` with the group active, then waits for all its tasks: the TypeScript form of
   * `async with TaskGroup() as tg`.
   * @throws ExceptionGroup of the tasks' (and the body's) errors; RuntimeError if entered twice
   *   or outside a task.
   */
  async run<T>(body: (tg: TaskGroup) => PromiseLike<T>): Promise<T> {
    if (typeof body !== 'function') throw new TypeError('body must be a function');
    this.#enter();
    let result: T | undefined;
    let failed = false;
    let error: unknown;
    try {
      result = await body(this);
    } catch (e) {
      failed = true;
      error = e;
    }
    try {
      await this.#exit(failed, error);
    } finally {
      this.#parent = null;
      this.#errors = [];
      this.#baseError = null;
    }
    if (failed) throw error;
    return result as T;
  }

  toString(): string {
    const state = [this.#entered && 'entered', this.#exiting && 'exiting', this.#aborting && 'aborting']
      .filter(Boolean)
      .join(' ');
    return `<TaskGroup tasks=${this.#tasks.size}${state ? ` ${state}` : ''}>`;
  }

  #enter(): void {
    if (this.#entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    this.#loop ??= getRunningLoop();
    this.#parent = currentTask(this.#loop);
    if (this.#parent === null) throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    this.#entered = true;
  }

  async #exit(failed: boolean, error: unknown): Promise<void> {
    this.#exiting = true;
    if (failed && error instanceof KeyboardInterrupt && this.#baseError === null) this.#baseError = error;
    let propagateCancellation: unknown = failed && asCancelledError(error) !== null ? error : null;
    if (failed && !this.#aborting) this.#abort();

    // The completion future may be cancelled more than once (the parent cancelled repeatedly).
    while (this.#tasks.size > 0) {
      this.#onCompleted ??= this.#loop!.createFuture<boolean>() as Future<boolean>;
      try {
        await this.#onCompleted;
      } catch (e) {
        if (asCancelledError(e) === null) throw e;
        if (!this.#aborting) {
          propagateCancellation = e;
          this.#abort();
        }
      }
      this.#onCompleted = null;
    }

    if (this.#baseError !== null) throw this.#baseError;

    if (this.#parentCancelRequested && this.#parent!.uncancel() === 0) {
      // No other cancellation is pending: ours was only to stop the body.
      propagateCancellation = null;
    }
    if (propagateCancellation !== null && this.#errors.length === 0) throw propagateCancellation;
    if (failed && asCancelledError(error) === null) this.#errors.push(error);
    if (this.#errors.length > 0) {
      // Keep the parent's cancel count stable when it is being cancelled from outside.
      if (this.#parent!.cancelling() > 0) {
        this.#parent!.uncancel();
        this.#parent!.cancel();
      }
      throw new ExceptionGroup('unhandled errors in a TaskGroup', this.#errors);
    }
  }

  #abort(): void {
    this.#aborting = true;
    for (const task of this.#tasks) if (!task.done()) task.cancel();
  }

  readonly #onTaskDone = (task: Task<unknown>): void => {
    this.#tasks.delete(task);
    if (this.#parent !== null) futureDiscardFromAwaitedBy(task, this.#parent);
    if (this.#onCompleted !== null && this.#tasks.size === 0 && !this.#onCompleted.done()) {
      this.#onCompleted.setResult(true);
    }
    if (task.cancelled()) return;
    const error = task.exception();
    if (error === null) return;
    this.#errors.push(error);
    if (error instanceof KeyboardInterrupt && this.#baseError === null) this.#baseError = error;
    const parent = this.#parent!;
    if (parent.done()) {
      this.#loop!.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this.#aborting && !this.#parentCancelRequested) {
      // Stop the body too; __aexit__ takes this cancellation back.
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  };
}

/** Runs `body` with a new `TaskGroup`: `new TaskGroup().run(body)`. */
export function taskGroup<T>(body: (tg: TaskGroup) => PromiseLike<T>): Promise<T> {
  return new TaskGroup().run(body);
}

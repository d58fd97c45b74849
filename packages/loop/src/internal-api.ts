/**
 * Hooks for the packages built on @aio/loop (@aio/futures, @aio/tasks) and for alternative
 * implementations of them. Application code does not need these.
 */
import type { AbstractEventLoop, TaskFactory } from './abstract-event-loop';
import { type FutureFactory, factorySlots } from './internal/factories';

export {
  currentContext as _currentContext,
  currentTaskFromContext as _currentTaskFromContext,
  runInContext as _runInContext,
  snapshotOf as _snapshotOf,
} from './context';
export { futureBrand as _futureBrand, hasFutureBrand as _hasFutureBrand } from './internal/factories';
export type { FutureFactory };

/** Installs the class behind `loop.createFuture()` (@aio/futures does this on import). */
export function _setFutureFactory(factory: FutureFactory | null): void {
  if (factory !== null && typeof factory !== 'function')
    throw new TypeError('factory must be a function or null');
  factorySlots.future = factory;
}

/** Installs the default behind `loop.createTask()` when a loop has no task factory (@aio/tasks does this). */
export function _setDefaultTaskFactory(factory: TaskFactory | null): void {
  if (factory !== null && typeof factory !== 'function')
    throw new TypeError('factory must be a function or null');
  factorySlots.task = factory;
}

/** Whether `loop` is a `BaseEventLoop` offering the allocation-free ready-queue path. */
export function _hasRunnableQueue(
  loop: AbstractEventLoop,
): loop is AbstractEventLoop & { _callSoonRunnable(r: { _run(): void }): void; _wokeAwaiters: boolean } {
  return typeof (loop as { _callSoonRunnable?: unknown })._callSoonRunnable === 'function';
}

/**
 * @aio/tasks: cancellable tasks on native async functions, and asyncio's tools around them.
 * Importing it installs the default task factory behind `loop.createTask()`.
 */
export { asCompleted } from './as-completed';
export {
  type CallGraphOptions,
  captureCallGraph,
  type FrameCallGraphEntry,
  type FutureCallGraph,
  formatCallGraph,
  printCallGraph,
} from './call-graph';
export { cancelOnAbort, isCancellation } from './cancellation';
export { ensureFuture, isCoroutine } from './ensure-future';
export { gather } from './gather';
export { Runner, type RunnerOptions, run } from './runner';
export { shield } from './shield';
export { sleep } from './sleep';
export {
  _enterTask,
  _leaveTask,
  _registerTask,
  _unregisterTask,
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  Task,
  type TaskConstructorOptions,
} from './task';
export { TaskGroup, taskGroup } from './task-group';
export { runCoroutineThreadsafe, toThread } from './threads';
export { Timeout, timeout, timeoutAt } from './timeout';
export { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, type ReturnWhen, wait } from './wait';
export { waitFor } from './wait-for';

import { currentTask } from './task';

/** The AbortSignal of the current task (`currentTask()?.signal`): `fetch(url, { signal: currentSignal() })`. */
export function currentSignal(): AbortSignal | undefined {
  return currentTask()?.signal;
}

/**
 * The current-loop hook: how `Runner` (@aio/tasks) makes and registers its loop when no
 * `loopFactory` is given, without importing @aio/policies (which sits beside it, not below).
 * @aio/policies installs the hook on import; without it `Runner` uses `new EventLoop()`.
 * It lives on `globalThis` so that two copies of @aio/loop agree on it.
 */
import type { AbstractEventLoop } from './abstract-event-loop';

/** What `Runner` asks of the installed policy: asyncio's `new_event_loop()` and `set_event_loop()`. */
export interface CurrentLoopHook {
  /** Makes a loop for a `Runner` (the policy's `newEventLoop()`). */
  newEventLoop(): AbstractEventLoop;
  /** Sets the current loop (`null`: none), as `setEventLoop()` of @aio/policies. */
  setEventLoop(loop: AbstractEventLoop | null): void;
}

const hookKey = Symbol.for('aio.currentLoopHook');
const holder = globalThis as { [hookKey]?: CurrentLoopHook | null };

/**
 * Installs the current-loop hook (`null` removes it). @aio/policies does this on import.
 * @throws TypeError when `hook` lacks `newEventLoop` or `setEventLoop`.
 */
export function _setCurrentLoopHook(hook: CurrentLoopHook | null): void {
  if (
    hook !== null &&
    (typeof hook?.newEventLoop !== 'function' || typeof hook.setEventLoop !== 'function')
  ) {
    throw new TypeError('hook must have newEventLoop and setEventLoop methods, or be null');
  }
  holder[hookKey] = hook;
}

/** The installed current-loop hook, or `null` (@aio/policies not loaded). */
export function _getCurrentLoopHook(): CurrentLoopHook | null {
  return holder[hookKey] ?? null;
}

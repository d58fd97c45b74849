/**
 * The running-loop registry: which loop runs on this thread right now. It lives on
 * `globalThis` so that two copies of @aio/loop (ESM and CommonJS builds, or two versions)
 * agree on it.
 */
import type { AbstractEventLoop } from './abstract-event-loop';
import { RuntimeError } from './errors';
import { processWide } from './internal/process-wide';

interface RunningLoopSlot {
  loop: AbstractEventLoop | null;
}

const slot = processWide<RunningLoopSlot>('aio.runningLoop', () => ({ loop: null }));

/**
 * The loop running on this thread.
 * @throws RuntimeError when no loop is running.
 */
export function getRunningLoop(): AbstractEventLoop {
  const loop = slot.loop;
  if (loop === null) throw new RuntimeError('no running event loop');
  return loop;
}

/** The running loop or `null`; for loop implementations and library code that may run outside a loop. */
export function _getRunningLoop(): AbstractEventLoop | null {
  return slot.loop;
}

/** Marks `loop` as this thread's running loop (`null`: none). For custom loop implementations. */
export function _setRunningLoop(loop: AbstractEventLoop | null): void {
  slot.loop = loop;
}

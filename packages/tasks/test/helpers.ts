// Shared by the @aio/tasks tests: loops to run each case on, and small helpers.
import { type BaseEventLoop, EventLoop, VirtualTimeEventLoop } from '@aio/loop';
import { run } from '@aio/tasks';

/** A loop without the ready-queue fast path: everything must work through plain callSoon. */
export class PlainCallSoonLoop extends VirtualTimeEventLoop {
  override _callSoonRunnable = undefined as never;
}

/** The loops every behaviour must hold on. */
export const loopKinds: [string, () => BaseEventLoop][] = [
  ['EventLoop', () => new EventLoop()],
  ['VirtualTimeEventLoop', () => new VirtualTimeEventLoop()],
  ['a custom loop without the fast path', () => new PlainCallSoonLoop()],
];

/** Runs `main` on a virtual-time loop: time-dependent cases are instant and deterministic. */
export function runVirtual<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeEventLoop() });
}

/** Resolves after one real macrotask: a native await the loop knows nothing about. */
export const nativeTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

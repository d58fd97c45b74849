/**
 * The future factory and default task factory slots. @aio/futures and @aio/tasks fill them on
 * import, so that `loop.createFuture()` and `loop.createTask()` work without this package
 * importing upwards. Kept on `globalThis` so every copy of @aio/loop sees the same slots.
 */
import type { AbstractEventLoop, AbstractFuture, TaskFactory } from '../abstract-event-loop';
import { processWide } from './process-wide';

/** Makes a pending future bound to `loop`. */
export type FutureFactory = <T>(loop: AbstractEventLoop) => AbstractFuture<T>;

interface FactorySlots {
  future: FutureFactory | null;
  task: TaskFactory | null;
}

export const factorySlots = processWide<FactorySlots>('aio.factories', () => ({ future: null, task: null }));

/** Whether `obj` carries the Future brand (`Symbol.for('aio.future')`), as @aio/futures' `isFuture`. */
export function hasFutureBrand(obj: unknown): obj is AbstractFuture<unknown> {
  return (
    (typeof obj === 'object' || typeof obj === 'function') &&
    obj !== null &&
    (obj as Record<symbol, unknown>)[futureBrand] === true
  );
}

/** The brand every @aio future carries (on its prototype). */
export const futureBrand: unique symbol = Symbol.for('aio.future') as never;

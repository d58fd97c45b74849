/**
 * @aio/sync: asyncio's synchronization primitives for tasks — `Lock`, `Event`, `Condition`,
 * `Semaphore`, `BoundedSemaphore` and `Barrier`. They are not thread-safe (no @aio object
 * crosses threads) and take no timeouts: wrap a wait in `waitFor`/`timeout` from @aio/tasks.
 */
export { Barrier, BrokenBarrierError } from './barrier';
export { Condition } from './condition';
export { Event } from './event';
export { Lock } from './lock';
export type { Releaser } from './releaser';
export { BoundedSemaphore, Semaphore } from './semaphore';

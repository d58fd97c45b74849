/**
 * @aio/queues: asyncio's queues for tasks — `Queue` (FIFO), `PriorityQueue` and `LifoQueue`,
 * with `shutdown()` (asyncio 3.13) and `for await` iteration. Not thread-safe, no timeouts:
 * wrap a `get()`/`put()` in `waitFor`/`timeout` from @aio/tasks.
 */
export { QueueEmpty, QueueFull, QueueShutDown } from './errors';
export { LifoQueue } from './lifo-queue';
export { PriorityQueue, type PriorityQueueOptions } from './priority-queue';
export { Queue } from './queue';

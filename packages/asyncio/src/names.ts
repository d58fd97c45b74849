/** Every public name of the eight @aio packages, flat (they are unique across packages). */
export * from '@aio/futures';
export * from '@aio/loop';
export * from '@aio/policies';
export * from '@aio/queues';
export * from '@aio/streams';
export * from '@aio/subprocess';
export * from '@aio/sync';
export * from '@aio/tasks';
/** `asyncio.subprocess`: the names of Python's `asyncio.subprocess` module. */
export * as subprocess from './subprocess';

/** @aio/queues: nothing is exported yet. */
export {};

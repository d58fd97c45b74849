/** @aio/tasks: nothing is exported yet. */
export {};

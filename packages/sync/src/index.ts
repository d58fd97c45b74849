/** @aio/sync: nothing is exported yet. */
export {};

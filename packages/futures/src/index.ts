/** @aio/futures: nothing is exported yet. */
export {};

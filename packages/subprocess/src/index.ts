/** @aio/subprocess: nothing is exported yet. */
export {};

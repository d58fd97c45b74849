/** @aio/policies: nothing is exported yet. */
export {};

/** @aio/loop: nothing is exported yet. */
export {};

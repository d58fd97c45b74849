/** @aio/streams: nothing is exported yet. */
export {};

/** @aio/asyncio: nothing is exported yet. */
export {};

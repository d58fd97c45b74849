/**
 * @aio/asyncio: the whole of @aio in one namespace, as `import asyncio` in Python. Importing it
 * installs the future and task factories on every loop (`loop.createFuture()`/`createTask()`)
 * and the current-loop hook of @aio/policies (`run()` sets its loop current).
 *
 * @example
 * import asyncio from '@aio/asyncio'; // or: import * as asyncio from '@aio/asyncio';
 * await asyncio.run(async () => { await asyncio.sleep(1); });
 */
import * as names from './names';

export * from './names';

/** The same names as one frozen object, for `import asyncio from '@aio/asyncio'`. */
const asyncio: typeof names = Object.freeze({ ...names });
export default asyncio;

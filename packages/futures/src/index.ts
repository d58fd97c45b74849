/**
 * @aio/futures: asyncio's Future for Node.js. Importing it installs the Future class behind
 * `loop.createFuture()`.
 */
import { _setFutureFactory } from '@aio/loop';
import { Future } from './future';

_setFutureFactory((loop) => new Future({ loop }));

export { ConcurrentFuture } from '@aio/loop';
export { chainFuture, futureAddToAwaitedBy, futureDiscardFromAwaitedBy, wrapFuture } from './chain-future';
export { Future, isFuture } from './future';

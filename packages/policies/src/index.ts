/**
 * @aio/policies: `getEventLoop`, `setEventLoop`, `newEventLoop` and the event-loop policies
 * behind them (asyncio's, 3.14 semantics; the policies themselves are deprecated there).
 * Importing it installs the current-loop hook of @aio/loop, so that `run()`/`Runner` without a
 * `loopFactory` make their loop with the policy's `newEventLoop()` and set it current.
 */
import { _setCurrentLoopHook } from '@aio/loop';
import { newEventLoop, setEventLoop } from './current-loop';

export { AbstractEventLoopPolicy } from './abstract-event-loop-policy';
export { getEventLoop, newEventLoop, setEventLoop } from './current-loop';
export { DefaultEventLoopPolicy } from './default-event-loop-policy';
export { getEventLoopPolicy, setEventLoopPolicy } from './event-loop-policy';

_setCurrentLoopHook({ newEventLoop, setEventLoop });

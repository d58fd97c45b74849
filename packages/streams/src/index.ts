/**
 * @aio/streams: asyncio's high-level streams for Node.js — `openConnection`/`startServer` (TCP,
 * TLS, Unix sockets) giving `StreamReader`/`StreamWriter` pairs.
 */
export { IncompleteReadError, LimitOverrunError } from './errors';
export { FlowControl } from './flow-control';
export { openConnection, openUnixConnection } from './open-connection';
export { startServer, startUnixServer } from './start-server';
export { DEFAULT_LIMIT, StreamReader } from './stream-reader';
export { type ClientConnectedCb, StreamReaderProtocol } from './stream-reader-protocol';
export { StreamWriter } from './stream-writer';

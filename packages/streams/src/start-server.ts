/** `startServer` and `startUnixServer`: a server that gives each client a (reader, writer) pair. */
import { getRunningLoop, type Server, type TcpServeOptions, type UnixServeOptions } from '@aio/loop';
import { describe } from './internal/describe';
import { limitOption, StreamReader } from './stream-reader';
import { type ClientConnectedCb, StreamReaderProtocol } from './stream-reader-protocol';

function protocolFactory(clientConnectedCb: unknown, opts: { limit?: unknown } | undefined) {
  if (typeof clientConnectedCb !== 'function')
    throw new TypeError(`clientConnectedCb must be a function, got ${describe(clientConnectedCb)}`);
  const loop = getRunningLoop();
  const limit = limitOption(opts);
  const cb = clientConnectedCb as ClientConnectedCb;
  return () => new StreamReaderProtocol(new StreamReader({ limit, loop }), cb, loop);
}

/**
 * Listens on `host:port` and calls `clientConnectedCb(reader, writer)` for each client; an
 * async callback runs as a Task (its failure is reported and the connection closed). Options
 * are `loop.createServer()`'s, plus `limit` for the readers.
 *
 * @example
 * await using server = await startServer(async (reader, writer) => {
 *   for await (const line of reader) writer.write(line);
 *   writer.close();
 * }, '127.0.0.1', 8888);
 * await server.serveForever();
 *
 * **Cancellation**: the server is not started (its sockets are closed).
 */
export async function startServer(
  clientConnectedCb: ClientConnectedCb,
  host?: string | readonly string[] | null,
  port?: number | null,
  opts?: TcpServeOptions & { limit?: number },
): Promise<Server> {
  const factory = protocolFactory(clientConnectedCb, opts);
  const { limit: _limit, ...serveOpts } = opts ?? {};
  return getRunningLoop().createServer(factory, host, port, serveOpts);
}

/**
 * `startServer` on a Unix socket (a stale socket file is removed first; the file is removed on close).
 *
 * @example
 * const server = await startUnixServer(handle, '/tmp/app.sock');
 *
 * **Cancellation**: the server is not started.
 */
export async function startUnixServer(
  clientConnectedCb: ClientConnectedCb,
  path?: string | null,
  opts?: UnixServeOptions & { limit?: number },
): Promise<Server> {
  const factory = protocolFactory(clientConnectedCb, opts);
  const { limit: _limit, ...serveOpts } = opts ?? {};
  return getRunningLoop().createUnixServer(factory, path, serveOpts);
}

/** `openConnection` and `openUnixConnection`: a connection as a (reader, writer) pair. */
import { type ConnectOptions, getRunningLoop, type UnixConnectOptions } from '@aio/loop';
import { StreamReader } from './stream-reader';
import { StreamReaderProtocol } from './stream-reader-protocol';
import { StreamWriter } from './stream-writer';

/**
 * Connects to `host:port` (TCP, or TLS with `ssl`) and returns a reader and a writer.
 * Options are `loop.createConnection()`'s, plus `limit` for the reader.
 *
 * @example
 * const [reader, writer] = await openConnection('127.0.0.1', 8888);
 * writer.write(new TextEncoder().encode('ping\n'));
 * console.log((await reader.readLine()).toString());
 * writer.close();
 * await writer.waitClosed();
 *
 * **Cancellation**: the connection attempt is abandoned and its socket closed.
 */
export async function openConnection(
  host?: string | null,
  port?: number | string | null,
  opts?: ConnectOptions & { limit?: number },
): Promise<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const { limit, ...connectOpts } = opts ?? {};
  const reader = new StreamReader({ limit: limit as number, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.createConnection(() => protocol, host, port, connectOpts);
  return [reader, new StreamWriter(transport, protocol, reader, loop)];
}

/**
 * `openConnection` for a Unix socket (a named pipe on Windows).
 *
 * @example
 * const [reader, writer] = await openUnixConnection('/tmp/app.sock');
 *
 * **Cancellation**: the connection attempt is abandoned and its socket closed.
 */
export async function openUnixConnection(
  path?: string | null,
  opts?: UnixConnectOptions & { limit?: number },
): Promise<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const { limit, ...connectOpts } = opts ?? {};
  const reader = new StreamReader({ limit: limit as number, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.createUnixConnection(() => protocol, path, connectOpts);
  return [reader, new StreamWriter(transport, protocol, reader, loop)];
}

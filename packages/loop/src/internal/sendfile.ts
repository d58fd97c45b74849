/**
 * `loop.sendfile()`: sends part of a file through a transport. Node has no zero-copy sendfile
 * for JavaScript sockets, so this is always asyncio's fallback: read a chunk, write it, and
 * wait while the transport's write buffer is over its limit. For that wait, the transport's
 * protocol is swapped for a stand-in that forwards everything but the flow-control calls, as
 * asyncio's `_SendfileFallbackProtocol` does, and put back afterwards.
 */

import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { describe } from '../base-event-loop';
import { RuntimeError, SendfileNotAvailableError } from '../errors';
import type { BaseProtocol, BufferedProtocol, Protocol } from '../protocols';
import { WriteTransport } from '../transports';

const CHUNK_SIZE = 256 * 1024;

/** The protocol's methods a stand-in forwards (when the protocol has them). */
const FORWARDED = ['connectionMade', 'dataReceived', 'eofReceived', 'getBuffer', 'bufferUpdated'] as const;

/** Options of `sendfile`. */
export interface SendfileOptions {
  /** Copy through the transport when a native sendfile is not available (default true; it never is). */
  fallback?: boolean;
}

/** Reads up to `length` bytes of `file` at `position` into `buffer`, without blocking the thread. */
export function readChunk(
  file: FileHandle | number,
  buffer: Uint8Array,
  length: number,
  position: number,
): Promise<number> {
  if (typeof file === 'number') {
    return new Promise((resolve, reject) =>
      fs.read(file, buffer, 0, length, position, (error, bytesRead) =>
        error ? reject(error) : resolve(bytesRead),
      ),
    );
  }
  return file.read(buffer, 0, length, position).then((r) => r.bytesRead);
}

/** The checks `sendfile` and `sockSendfile` share; `fallback: false` cannot be honoured in Node. */
export function checkSendfileArgs(
  file: FileHandle | number,
  offset: number,
  count: number | null,
  opts: SendfileOptions,
): void {
  if (typeof file !== 'number' && typeof (file as FileHandle)?.read !== 'function') {
    throw new TypeError(`file must be a FileHandle or a file descriptor, got ${describe(file)}`);
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  if (count !== null && (!Number.isInteger(count) || count <= 0)) {
    throw new RangeError(`count must be a positive integer (or null), got ${count}`);
  }
  if (opts.fallback === false) {
    throw new SendfileNotAvailableError('there is no native sendfile in Node; pass fallback: true to copy');
  }
}

/** Sends `count` bytes (or to the end) of `file` from `offset` through `transport`; returns the bytes sent. */
export async function sendfile(
  transport: WriteTransport,
  file: FileHandle | number,
  offset = 0,
  count: number | null = null,
  opts: SendfileOptions = {},
): Promise<number> {
  if (!(transport instanceof WriteTransport))
    throw new TypeError(`transport must be a WriteTransport, got ${describe(transport)}`);
  checkSendfileArgs(file, offset, count, opts);
  if (transport.isClosing()) throw new RuntimeError('Transport is closing');

  const original = transport.getProtocol();
  let paused = false;
  let lost: Error | null | undefined;
  let wake: (() => void) | null = null;
  const standIn: Record<string, unknown> = {
    pauseWriting: () => {
      paused = true;
    },
    resumeWriting: () => {
      paused = false;
      wake?.();
    },
    connectionLost: (exc: Error | null) => {
      lost = exc;
      wake?.();
      original.connectionLost(exc);
    },
  };
  for (const name of FORWARDED) {
    const method = (original as unknown as Record<string, unknown>)[name];
    if (typeof method === 'function') standIn[name] = (...args: unknown[]) => method.apply(original, args);
  }
  transport.setProtocol(standIn as unknown as BaseProtocol);
  let sent = 0;
  try {
    const buffer = new Uint8Array(Math.min(CHUNK_SIZE, count ?? CHUNK_SIZE));
    for (;;) {
      const wanted = count === null ? buffer.length : Math.min(buffer.length, count - sent);
      if (wanted <= 0) break;
      const read = await readChunk(file, buffer, wanted, offset + sent);
      if (read === 0) break;
      if (lost !== undefined) throw lost ?? new RuntimeError('Connection closed by peer');
      transport.write(buffer.slice(0, read));
      sent += read;
      while (paused && lost === undefined) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (lost !== undefined) throw lost ?? new RuntimeError('Connection closed by peer');
    }
    return sent;
  } finally {
    if (lost === undefined) {
      transport.setProtocol(original);
      // The real protocol hears of a pause that is still on.
      if (paused) (original as Protocol | BufferedProtocol).pauseWriting();
    }
  }
}

/**
 * Protocols: the callbacks a transport calls (asyncio's `protocols` module). A protocol is the
 * application's side of a connection; every method defaults to a no-op, so subclass and
 * override what you need, or pass an object literal of the same shape.
 *
 * Call order, as in asyncio: `connectionMade` once, then `dataReceived`/`bufferUpdated` any
 * number of times, then at most one `eofReceived`, then `connectionLost` once, last.
 */
import type { BaseTransport } from './transports';
import type { SockAddr } from './types';

/**
 * The callbacks every protocol has: connection events and write flow control.
 *
 * @example
 * class Quiet extends BaseProtocol {
 *   override connectionLost(exc: Error | null) { if (exc) console.error(exc); }
 * }
 *
 * **Cancellation**: not applicable (plain callbacks, called by the transport on the loop).
 */
export class BaseProtocol {
  /** The connection is up; `transport` is its transport. Called once, first. */
  connectionMade(_transport: BaseTransport): void {}
  /** The connection is gone: `exc` is the error, or `null` on a regular close or EOF. Called once, last. */
  connectionLost(_exc: Error | null): void {}
  /** The transport's write buffer went over its high-water mark: stop writing until `resumeWriting`. */
  pauseWriting(): void {}
  /** The transport's write buffer drained to its low-water mark: writing may go on. */
  resumeWriting(): void {}
}

/**
 * A stream protocol that receives data as chunks (TCP, TLS, Unix sockets, pipes).
 *
 * @example
 * class Echo extends Protocol {
 *   transport!: Transport;
 *   override connectionMade(t: BaseTransport) { this.transport = t as Transport; }
 *   override dataReceived(data: Uint8Array) { this.transport.write(data); }
 * }
 *
 * **Cancellation**: not applicable (plain callbacks).
 */
export class Protocol extends BaseProtocol {
  /** Some bytes arrived. The chunk is the protocol's to keep. */
  dataReceived(_data: Uint8Array): void {}
  /** The peer sent EOF. Return a truthy value to keep the transport half-open (you close it later). */
  // biome-ignore lint/suspicious/noConfusingVoidType: an override may return nothing (asyncio's None)
  eofReceived(): boolean | undefined | void {}
}

/**
 * A stream protocol that lends its own buffer to the transport: the transport reads straight
 * into the memory `getBuffer` returns, then calls `bufferUpdated` (no allocation per read).
 *
 * @example
 * class Counter extends BufferedProtocol {
 *   buf = new Uint8Array(65536); total = 0;
 *   override getBuffer() { return this.buf; }
 *   override bufferUpdated(n: number) { this.total += n; }
 * }
 *
 * **Cancellation**: not applicable (plain callbacks).
 */
export class BufferedProtocol extends BaseProtocol {
  /** A non-empty buffer to read the next bytes into (`sizehint` is a hint, `-1` for any size). */
  getBuffer(_sizehint: number): Uint8Array {
    throw new TypeError('BufferedProtocol subclasses must implement getBuffer()');
  }
  /** `nbytes` bytes were written at the start of the buffer the last `getBuffer` returned. */
  bufferUpdated(_nbytes: number): void {}
  /** The peer sent EOF. Return a truthy value to keep the transport half-open. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an override may return nothing (asyncio's None)
  eofReceived(): boolean | undefined | void {}
}

/**
 * A datagram (UDP) protocol.
 *
 * @example
 * class Pong extends DatagramProtocol {
 *   t!: DatagramTransport;
 *   override connectionMade(t: BaseTransport) { this.t = t as DatagramTransport; }
 *   override datagramReceived(data: Uint8Array, addr: SockAddr) { this.t.sendto(data, addr); }
 * }
 *
 * **Cancellation**: not applicable (plain callbacks).
 */
export class DatagramProtocol extends BaseProtocol {
  /** A datagram arrived from `addr`. */
  datagramReceived(_data: Uint8Array, _addr: SockAddr): void {}
  /** A previous send or receive failed (e.g. ICMP port unreachable); the endpoint stays open. */
  errorReceived(_exc: Error): void {}
}

/**
 * The protocol of a child process transport: its pipes and its exit.
 *
 * @example
 * class Collect extends SubprocessProtocol {
 *   out: Uint8Array[] = [];
 *   override pipeDataReceived(fd: number, data: Uint8Array) { if (fd === 1) this.out.push(data); }
 * }
 *
 * **Cancellation**: not applicable (plain callbacks).
 */
export class SubprocessProtocol extends BaseProtocol {
  /** The child wrote `data` to its stdout (`fd` 1) or stderr (`fd` 2). */
  pipeDataReceived(_fd: number, _data: Uint8Array): void {}
  /** One of the child's pipes closed. */
  pipeConnectionLost(_fd: number, _exc: Error | null): void {}
  /** The child exited. */
  processExited(): void {}
}

/**
 * Transports: the loop's side of a connection (asyncio's `transports` module). A transport
 * moves bytes for one protocol; the loop makes them (`createConnection`, `createServer`,
 * `connectReadPipe`, ...). These abstract classes define the surface; the methods a kind of
 * transport cannot offer throw `NotImplementedError`, as asyncio's do.
 */
import { NotImplementedError } from './errors';
import type { BaseProtocol } from './protocols';
import type { SockAddr } from './types';

function notImplemented(method: string): never {
  throw new NotImplementedError(`${method}() is not implemented by this transport`);
}

/**
 * What every transport has: extra information, closing, and its protocol. Disposing one
 * (`using t = transport`) closes it.
 *
 * @example
 * const peer = transport.getExtraInfo('peername'); // ['127.0.0.1', 54321]
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class BaseTransport implements Disposable {
  /** @internal */ _extra: Record<string, unknown>;

  constructor(extra?: Record<string, unknown>) {
    this._extra = extra ?? {};
  }

  /**
   * Transport details under asyncio's keys: `'peername'`, `'sockname'`, `'socket'`,
   * `'compression'`, `'cipher'`, `'peercert'`, `'sslcontext'`, `'ssl_object'`, `'pipe'`,
   * `'subprocess'`. Unknown keys give `defaultValue` (default `null`).
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${typeof name}`);
    return Object.hasOwn(this._extra, name) ? this._extra[name] : defaultValue;
  }

  /** Whether the transport is closing or closed. */
  isClosing(): boolean {
    return notImplemented('isClosing');
  }

  /** Closes the transport: buffered data is flushed, then `connectionLost(null)` is called. */
  close(): void {
    notImplemented('close');
  }

  /** Gives the transport a new protocol (the old one is not told). */
  setProtocol(_protocol: BaseProtocol): void {
    notImplemented('setProtocol');
  }

  /** The transport's protocol. */
  getProtocol(): BaseProtocol {
    return notImplemented('getProtocol');
  }

  /** Closes the transport. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** `obj` has every one of `methods` as a function. */
function hasMethods(obj: unknown, methods: readonly string[]): boolean {
  if (obj === null || typeof obj !== 'object') return false;
  return methods.every((m) => typeof (obj as Record<string, unknown>)[m] === 'function');
}

const READ_METHODS = ['isReading', 'pauseReading', 'resumeReading', 'close'] as const;
const WRITE_METHODS = ['write', 'writeEof', 'abort', 'getWriteBufferSize', 'close'] as const;

/**
 * The read side of a transport. `x instanceof ReadTransport` checks the method shape, so a
 * `Transport` (which extends `WriteTransport`) is a `ReadTransport` too.
 *
 * @example
 * transport.pauseReading(); // no dataReceived until resumeReading()
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class ReadTransport extends BaseTransport {
  static override [Symbol.hasInstance](obj: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: subclasses keep the ordinary instanceof
    if (this !== ReadTransport) return Function.prototype[Symbol.hasInstance].call(this, obj);
    return hasMethods(obj, READ_METHODS);
  }

  /** Whether data is being received (not paused). */
  isReading(): boolean {
    return notImplemented('isReading');
  }

  /** Stops calling the protocol with data until `resumeReading()`. Idempotent. */
  pauseReading(): void {
    notImplemented('pauseReading');
  }

  /** Starts delivering data again. Idempotent. */
  resumeReading(): void {
    notImplemented('resumeReading');
  }
}

/**
 * The write side of a transport: buffered writes with flow control (the protocol's
 * `pauseWriting`/`resumeWriting` follow the buffer's high and low marks).
 *
 * @example
 * transport.write(new TextEncoder().encode('hello\n'));
 * transport.writeEof(); // half-close: the peer sees EOF, we can still read
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class WriteTransport extends BaseTransport {
  static override [Symbol.hasInstance](obj: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: subclasses keep the ordinary instanceof
    if (this !== WriteTransport) return Function.prototype[Symbol.hasInstance].call(this, obj);
    return hasMethods(obj, WRITE_METHODS);
  }

  /** Queues `data` to be sent; never blocks. */
  write(_data: Uint8Array): void {
    notImplemented('write');
  }

  /** Writes every chunk of `listOfData`. */
  writeLines(listOfData: Iterable<Uint8Array>): void {
    for (const data of listOfData) this.write(data);
  }

  /** Closes the write side after the buffered data is sent (the peer sees EOF). */
  writeEof(): void {
    notImplemented('writeEof');
  }

  /** Whether `writeEof()` is supported (not over TLS). */
  canWriteEof(): boolean {
    return notImplemented('canWriteEof');
  }

  /** Closes at once: buffered data is dropped, then `connectionLost(null)` is called. */
  abort(): void {
    notImplemented('abort');
  }

  /** Bytes queued and not yet handed to the OS. */
  getWriteBufferSize(): number {
    return notImplemented('getWriteBufferSize');
  }

  /** The `[low, high]` marks of write flow control. */
  getWriteBufferLimits(): [low: number, high: number] {
    return notImplemented('getWriteBufferLimits');
  }

  /**
   * Sets the flow-control marks: `pauseWriting` when the buffer goes over `high`,
   * `resumeWriting` when it drains to `low`. Defaults: 64 KiB, and `high / 4`.
   */
  setWriteBufferLimits(_high?: number | null, _low?: number | null): void {
    notImplemented('setWriteBufferLimits');
  }
}

/**
 * A bidirectional stream transport (TCP, TLS, Unix socket).
 *
 * @example
 * const [transport, protocol] = await loop.createConnection(() => new MyProtocol(), '127.0.0.1', 8080);
 * transport.write(data);
 * transport.close();
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class Transport extends WriteTransport {
  /** Whether data is being received (not paused). */
  isReading(): boolean {
    return notImplemented('isReading');
  }

  /** Stops calling the protocol with data until `resumeReading()`. Idempotent. */
  pauseReading(): void {
    notImplemented('pauseReading');
  }

  /** Starts delivering data again. Idempotent. */
  resumeReading(): void {
    notImplemented('resumeReading');
  }
}

/**
 * A datagram (UDP) transport.
 *
 * @example
 * transport.sendto(new Uint8Array([1, 2, 3]), ['127.0.0.1', 9999]);
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class DatagramTransport extends BaseTransport {
  /** Sends one datagram, to `addr` or (when `null`) to the connected peer. */
  sendto(_data: Uint8Array, _addr?: SockAddr | null): void {
    notImplemented('sendto');
  }

  /** Closes at once, dropping queued datagrams. */
  abort(): void {
    notImplemented('abort');
  }

  /** Bytes queued and not yet sent. */
  getWriteBufferSize(): number {
    return notImplemented('getWriteBufferSize');
  }
}

/**
 * A child process with its pipes (see @aio/subprocess for the stream-based API).
 *
 * @example
 * transport.getPipeTransport(0)?.close(); // close the child's stdin
 *
 * **Cancellation**: not applicable (no method waits).
 */
export abstract class SubprocessTransport extends BaseTransport {
  /** The child's process id. */
  getPid(): number {
    return notImplemented('getPid');
  }
  /** The exit code, `-N` for signal N, or `null` while running. */
  getReturncode(): number | null {
    return notImplemented('getReturncode');
  }
  /** The transport of pipe `fd` (0: stdin writer; 1, 2: stdout/stderr readers), or `null`. */
  getPipeTransport(_fd: number): WriteTransport | ReadTransport | null {
    return notImplemented('getPipeTransport');
  }
  /** Sends `signal` to the child. */
  sendSignal(_signal: NodeJS.Signals | number): void {
    notImplemented('sendSignal');
  }
  /** Asks the child to stop (SIGTERM). */
  terminate(): void {
    notImplemented('terminate');
  }
  /** Kills the child (SIGKILL). */
  kill(): void {
    notImplemented('kill');
  }
}

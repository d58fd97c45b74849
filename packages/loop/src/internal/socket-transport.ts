/**
 * The stream transport over a Node `net.Socket` (TCP, Unix socket) or `tls.TLSSocket`: asyncio's
 * `_SelectorSocketTransport` and `_SSLProtocolTransport` in one, on Node's own sockets.
 *
 * Ordering, as asyncio: `connectionMade` runs from the loop first, reading starts only after
 * it, `connectionLost` runs from the loop last and once. Data is handed to the protocol from
 * Node's read callback directly, in the transport's context (a copy of its creator's).
 *
 * The read path is the hot path of every network program. Where Node allows it (plain sockets),
 * the socket reads into a buffer of ours (read-buffer.ts): no stream machinery; small reads
 * are copied out of it, large ones handed over with it.
 *
 * A protocol gets a chunk it owns — unless it declares, with the `Symbol.for('aio.borrowsData')`
 * property, that it copies what it keeps (StreamReaderProtocol does). Such a protocol is called
 * as `dataReceived(data, owned)`: `owned` false means a view of the read buffer, valid during the
 * call only; true means the chunk is its to keep (no copy needed).
 */
import type net from 'node:net';
import type tls from 'node:tls';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext, runInContext } from '../context';
import { NotImplementedError, RuntimeError } from '../errors';
import { logger } from '../logger';
import type { BaseProtocol, BufferedProtocol, Protocol } from '../protocols';
import { Transport } from '../transports';
import { toSockAddr } from './addresses';
import { hasUserBuffer, ReadSink } from './read-buffer';

const DEFAULT_HIGH_WATER = 64 * 1024;
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** A protocol that declares BORROWS_DATA: told whether each chunk is its to keep. */
interface BorrowingProtocol {
  dataReceived(data: Uint8Array, owned: boolean): void;
}

/** A protocol property saying "`dataReceived` copies what it keeps": it may get a borrowed view. */
export const BORROWS_DATA: unique symbol = Symbol.for('aio.borrowsData') as never;

const PLAIN = 0;
const BORROWING = 1;
const BUFFERED = 2;
type ProtocolKind = typeof PLAIN | typeof BORROWING | typeof BUFFERED;

function protocolKind(protocol: BaseProtocol): ProtocolKind {
  if (typeof (protocol as BufferedProtocol).getBuffer === 'function') return BUFFERED;
  if ((protocol as unknown as Record<symbol, unknown>)[BORROWS_DATA] === true) return BORROWING;
  return PLAIN;
}

/** What a transport tells the server that accepted it. */
export interface ServerHooks {
  _attach(transport: SocketTransport): void;
  _detach(transport: SocketTransport): void;
}

/** A Node system error (Python's `OSError` family): reported at debug level only. */
export function isSystemError(exc: unknown): boolean {
  return typeof exc === 'object' && exc !== null && typeof (exc as NodeJS.ErrnoException).code === 'string';
}

/** `exc` as an Error for `connectionLost` (duck-typed: Node's errors come from another realm under jest). */
export function asError(exc: unknown): Error {
  return typeof exc === 'object' && exc !== null && 'message' in exc
    ? (exc as Error)
    : new Error(String(exc));
}

export class SocketTransport extends Transport {
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal */ _sock: net.Socket;
  /** @internal */ _protocol: BaseProtocol;
  /** @internal */ _kind: ProtocolKind;
  /** @internal */ _server: ServerHooks | null;
  /** @internal */ readonly _ctx: Context;
  /** @internal */ readonly _tls: boolean;
  /** @internal */ readonly _sink: ReadSink;
  /** @internal Reads go through a reused buffer (else `'data'` events). */ _userBuffer: boolean;
  /** @internal */ _closing = false;
  /** @internal Incremented once connectionLost is scheduled, then per write after it (asyncio). */
  _connLost = 0;
  /** @internal Reading paused by the protocol. */ _paused = false;
  /** @internal Reading was started (after connectionMade). */ _reading = false;
  /** @internal */ _eof = false;
  /** @internal */ _protocolPaused = false;
  /** @internal */ _high = DEFAULT_HIGH_WATER;
  /** @internal */ _low = DEFAULT_HIGH_WATER / 4;
  /** @internal */ _dataListener: ((data: Buffer) => void) | null = null;

  /** `dataReceived` of a chunk that is the protocol's to keep, and of a borrowed view (see BORROWS_DATA). */
  readonly #receiveOwned = (data: Uint8Array) =>
    (this._protocol as unknown as BorrowingProtocol).dataReceived(data, true);
  readonly #receiveBorrowed = (data: Uint8Array) =>
    (this._protocol as unknown as BorrowingProtocol).dataReceived(data, false);
  readonly #afterWrite = () => {
    if (this._protocolPaused && this._sock.writableLength <= this._low) this._resumeProtocol();
  };

  /**
   * Wraps a connected socket. `connectionMade` is scheduled now; `onReady` runs after it (and
   * after reading started), as asyncio's waiter.
   */
  constructor(
    loop: AbstractEventLoop,
    sock: net.Socket,
    protocol: BaseProtocol,
    opts: {
      extra?: Record<string, unknown>;
      server?: ServerHooks | null;
      sink?: ReadSink;
      onReady?: (() => void) | null;
      context?: Context;
      /** The protocol is connected already (`startTls`): do not call `connectionMade`. */
      skipConnectionMade?: boolean;
      /** Start with reading paused. */
      paused?: boolean;
    } = {},
  ) {
    super(opts.extra);
    this._loop = loop;
    this._sock = sock;
    this._protocol = protocol;
    this._kind = protocolKind(protocol);
    this._server = opts.server ?? null;
    this._ctx = opts.context ?? copyContext();
    this._tls = (sock as tls.TLSSocket).encrypted === true;
    this._sink = opts.sink ?? new ReadSink();
    this._sink.target = this;
    this._userBuffer = hasUserBuffer(sock);
    this._fillExtra();
    sock.setNoDelay(true);
    // Nothing is read before connectionMade has run.
    sock.pause();
    sock.on('error', (err) => this._onError(err));
    sock.on('end', () => this._onEnd());
    sock.on('close', () => this._onClose());
    this._paused = opts.paused ?? false;
    this._server?._attach(this);
    const onReady = opts.onReady ?? null;
    if (opts.skipConnectionMade) {
      this._loop.callSoon(
        () => {
          this._startReading();
          onReady?.();
        },
        { context: this._ctx },
      );
    } else {
      this._loop.callSoon(() => this._connectionMade(onReady), { context: this._ctx });
    }
  }

  /** @internal */
  _fillExtra(): void {
    const sock = this._sock;
    const extra = this._extra;
    extra.socket = sock;
    if (extra.sockname === undefined)
      extra.sockname = toSockAddr(sock.localAddress, sock.localPort, sock.localFamily);
    if (extra.peername === undefined)
      extra.peername = toSockAddr(sock.remoteAddress, sock.remotePort, sock.remoteFamily);
    if (this._tls) {
      const tlsSock = sock as tls.TLSSocket;
      const cipher = tlsSock.getCipher?.();
      extra.ssl_object = tlsSock;
      extra.sslcontext ??= null;
      extra.compression = null;
      extra.cipher = cipher ? [cipher.name, cipher.version, null] : null;
      extra.peercert = tlsSock.getPeerCertificate?.() ?? null;
    }
  }

  /** @internal */
  _connectionMade(onReady: (() => void) | null): void {
    try {
      this._protocol.connectionMade(this);
    } finally {
      this._startReading();
      onReady?.();
    }
  }

  /** @internal Starts (or restarts) reading, unless paused or closing. */
  _startReading(): void {
    if (this._closing || this._paused) return;
    this._reading = true;
    if (!this._userBuffer && this._dataListener === null) {
      this._dataListener = (data: Buffer) => this._onData(data);
      this._sock.on('data', this._dataListener);
    }
    this._sock.resume();
  }

  // ---- reading ------------------------------------------------------------------------------

  /** @internal A read into the sink's buffer (`onread`): see read-buffer.ts. */
  _onRead(buf: Uint8Array, nread: number): void {
    if (this._connLost) return;
    if (this._kind === BUFFERED) this._feedBuffered(buf.subarray(0, nread));
    else if (this._kind === BORROWING && !this._sink.isLarge(nread))
      this._deliver(buf.subarray(0, nread), false);
    else this._deliver(this._sink.owned(buf, nread), true);
  }

  /** @internal A chunk from a `'data'` event: the transport owns it. */
  _onData(data: Buffer): void {
    if (this._connLost) return;
    if (this._kind === BUFFERED) this._feedBuffered(data);
    else this._deliver(data, true);
  }

  /** @internal */
  _deliver(data: Uint8Array, owned: boolean): void {
    try {
      runInContext(this._ctx, null, owned ? this.#receiveOwned : this.#receiveBorrowed, data);
    } catch (exc) {
      this._fatalError(exc, 'Fatal error: protocol.dataReceived() call failed.');
    }
  }

  /** @internal Copies `data` into the buffers a BufferedProtocol lends, as many as it takes. */
  _feedBuffered(data: Uint8Array): void {
    const protocol = this._protocol as BufferedProtocol;
    let offset = 0;
    try {
      while (offset < data.length && !this._connLost) {
        const remaining = data.length - offset;
        let buf: Uint8Array | undefined;
        runInContext(
          this._ctx,
          null,
          () => {
            buf = protocol.getBuffer(remaining);
          },
          undefined,
        );
        if (!(buf instanceof Uint8Array) || buf.length === 0)
          throw new RuntimeError('getBuffer() returned an empty buffer');
        const n = Math.min(buf.length, remaining);
        buf.set(data.subarray(offset, offset + n));
        offset += n;
        runInContext(this._ctx, null, (count: number) => protocol.bufferUpdated(count), n);
      }
    } catch (exc) {
      this._fatalError(exc, 'Fatal error: protocol.getBuffer() or bufferUpdated() call failed.');
    }
  }

  /** @internal The peer sent EOF (asyncio's `_read_ready__on_eof`). */
  _onEnd(): void {
    if (this._connLost) return;
    let keepOpen: unknown = false;
    const protocol = this._protocol as Protocol;
    try {
      if (typeof protocol.eofReceived === 'function')
        runInContext(
          this._ctx,
          null,
          () => {
            keepOpen = protocol.eofReceived();
          },
          undefined,
        );
    } catch (exc) {
      this._fatalError(exc, 'Fatal error: protocol.eofReceived() call failed.');
      return;
    }
    if (keepOpen && this._tls) {
      logger.warn('returning true from eofReceived() has no effect when using ssl');
      keepOpen = false;
    }
    if (!keepOpen) this.close();
  }

  /** @internal */
  _onError(err: Error): void {
    this._fatalError(err, 'Fatal read error on socket transport');
  }

  /** @internal Node closed the socket (both directions done, or destroyed). */
  _onClose(): void {
    if (this._connLost) return;
    this._closing = true;
    this._connLost++;
    this._scheduleConnectionLost(null);
  }

  // ---- reading control ----------------------------------------------------------------------

  override isReading(): boolean {
    return !this._paused && !this._closing;
  }

  override pauseReading(): void {
    if (!this.isReading()) return;
    this._paused = true;
    this._sock.pause();
    if (this._loop.getDebug()) logger.debug(`${this} pauses reading`);
  }

  override resumeReading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    this._startReading();
    if (this._loop.getDebug()) logger.debug(`${this} resumes reading`);
  }

  // ---- writing ------------------------------------------------------------------------------

  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`data argument must be a bytes-like object (Uint8Array), not ${describe(data)}`);
    }
    if (this._eof) throw new RuntimeError('Cannot call write() after writeEof()');
    if (data.length === 0) return;
    if (this._connLost) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warn('socket.send() raised exception.');
      this._connLost++;
      return;
    }
    this._sock.write(data, this.#afterWrite);
    if (this._sock.writableLength > this._high) this._pauseProtocol();
  }

  override writeLines(listOfData: Iterable<Uint8Array>): void {
    if (listOfData === null || typeof (listOfData as Iterable<Uint8Array>)?.[Symbol.iterator] !== 'function')
      throw new TypeError(`listOfData must be an iterable of Uint8Array, got ${describe(listOfData)}`);
    const chunks = [...listOfData];
    for (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array))
        throw new TypeError(`listOfData items must be Uint8Array, got ${describe(chunk)}`);
    }
    if (chunks.length === 0) return;
    this._sock.cork();
    try {
      for (const chunk of chunks) this.write(chunk);
    } finally {
      this._sock.uncork();
    }
  }

  override canWriteEof(): boolean {
    return !this._tls;
  }

  override writeEof(): void {
    if (this._tls) throw new NotImplementedError("TLS doesn't support half-closes");
    if (this._closing || this._eof) return;
    this._eof = true;
    if (!this._connLost) this._sock.end();
  }

  override getWriteBufferSize(): number {
    return this._connLost ? 0 : this._sock.writableLength;
  }

  override getWriteBufferLimits(): [low: number, high: number] {
    return [this._low, this._high];
  }

  override setWriteBufferLimits(high?: number | null, low?: number | null): void {
    [this._high, this._low] = writeBufferLimits(high, low);
    if (this.getWriteBufferSize() > this._high) this._pauseProtocol();
  }

  /** @internal */
  _pauseProtocol(): void {
    if (this._protocolPaused) return;
    this._protocolPaused = true;
    this._flowControl('pauseWriting');
  }

  /** @internal */
  _resumeProtocol(): void {
    if (!this._protocolPaused) return;
    this._protocolPaused = false;
    this._flowControl('resumeWriting');
  }

  /** @internal Calls `pauseWriting`/`resumeWriting`; an error goes to the loop's handler. */
  _flowControl(method: 'pauseWriting' | 'resumeWriting'): void {
    const protocol = this._protocol;
    try {
      runInContext(this._ctx, null, () => protocol[method](), undefined);
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: `protocol.${method}() failed`,
        exception,
        transport: this,
        protocol,
      });
    }
  }

  // ---- closing ------------------------------------------------------------------------------

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    if (this._closing) return;
    this._closing = true;
    this._sock.pause();
    if (this._connLost) return;
    if (this._sock.writableLength === 0) {
      this._connLost++;
      this._scheduleConnectionLost(null);
      return;
    }
    // Flush first, as asyncio does: connectionLost once the buffer is sent.
    this._sock.once('finish', () => {
      if (this._connLost) return;
      this._connLost++;
      this._scheduleConnectionLost(null);
    });
    this._sock.end();
  }

  override abort(): void {
    this._forceClose(null);
  }

  override setProtocol(protocol: BaseProtocol): void {
    if (protocol === null || typeof protocol !== 'object')
      throw new TypeError(`protocol must be a protocol object, got ${describe(protocol)}`);
    this._protocol = protocol;
    this._kind = protocolKind(protocol);
  }

  override getProtocol(): BaseProtocol {
    return this._protocol;
  }

  /** @internal asyncio's `_fatal_error`: report (unless a connection error), then force-close. */
  _fatalError(exc: unknown, message: string): void {
    if (isSystemError(exc)) {
      if (this._loop.getDebug()) logger.debug(`${this}: ${message}`, exc);
    } else if (!this._loop.isClosed()) {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._forceClose(asError(exc));
  }

  /** @internal Closes at once, dropping buffered data; connectionLost(exc) follows from the loop. */
  _forceClose(exc: Error | null): void {
    if (this._connLost) return;
    this._closing = true;
    this._connLost++;
    this._sock.destroy();
    this._scheduleConnectionLost(exc);
  }

  /** @internal */
  _scheduleConnectionLost(exc: Error | null): void {
    if (this._loop.isClosed()) {
      this._sock.destroy();
      this._server?._detach(this);
      return;
    }
    this._loop.callSoon(() => this._callConnectionLost(exc), { context: this._ctx });
  }

  /** @internal */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol.connectionLost(exc);
    } finally {
      this._sock.destroy();
      this._sink.target = null;
      const server = this._server;
      this._server = null;
      server?._detach(this);
    }
  }

  /**
   * @internal Gives up the socket without closing it (`startTls` moves it into a TLS socket):
   * no callback of this transport runs again.
   */
  _detachSocket(): net.Socket {
    this._closing = true;
    this._connLost++;
    this._sink.target = null;
    const sock = this._sock;
    sock.pause();
    sock.removeAllListeners('error');
    sock.removeAllListeners('end');
    sock.removeAllListeners('close');
    if (this._dataListener !== null) sock.removeListener('data', this._dataListener);
    return sock;
  }

  override toString(): string {
    const state = this._connLost ? 'closed' : this._closing ? 'closing' : 'open';
    return `<${this._tls ? 'TLS' : 'Socket'}Transport ${state} peer=${JSON.stringify(this._extra.peername)}>`;
  }
}

/** asyncio's `_set_write_buffer_limits` rule: defaults 64 KiB and high/4; `high >= low >= 0`. */
export function writeBufferLimits(high?: number | null, low?: number | null): [high: number, low: number] {
  for (const [name, value] of [
    ['high', high],
    ['low', low],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'number')
      throw new TypeError(`${name} must be a number or null, got ${describe(value)}`);
  }
  let h = high ?? null;
  let l = low ?? null;
  if (h === null) h = l === null ? DEFAULT_HIGH_WATER : 4 * l;
  if (l === null) l = Math.floor(h / 4);
  if (!(h >= l && l >= 0)) throw new RangeError(`high (${h}) must be >= low (${l}) must be >= 0`);
  return [h, l];
}

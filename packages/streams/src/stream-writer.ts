/**
 * `StreamWriter`: writing to a connection (asyncio's `StreamWriter`). Writes never wait; `drain()`
 * is where a writer waits for the transport's buffer to go down (flow control).
 */
import type { AbstractEventLoop, BaseProtocol, SSLContext, WriteTransport } from '@aio/loop';
import { sleep } from '@aio/tasks';
import { describe } from './internal/describe';
import type { StreamReader } from './stream-reader';
import type { StreamReaderProtocol } from './stream-reader-protocol';

/**
 * Writes bytes to a connection; made by `openConnection`/`startServer`.
 * `await using writer = ...` closes it and waits until it is closed.
 *
 * @example
 * writer.write(new TextEncoder().encode('hello\n'));
 * await writer.drain();
 * writer.close();
 * await writer.waitClosed();
 *
 * **Cancellation**: `drain()` cancelled: the data stays queued and will still be sent;
 * `waitClosed()` cancelled: the close goes on.
 */
export class StreamWriter implements AsyncDisposable {
  /** @internal */ _transport: WriteTransport;
  /** @internal */ readonly _protocol: BaseProtocol;
  /** @internal */ readonly _reader: StreamReader | null;
  /** @internal */ readonly _loop: AbstractEventLoop;

  constructor(
    transport: WriteTransport,
    protocol: BaseProtocol,
    reader: StreamReader | null,
    loop: AbstractEventLoop,
  ) {
    if (transport === null || typeof transport !== 'object')
      throw new TypeError(`transport must be a transport, got ${describe(transport)}`);
    this._transport = transport;
    this._protocol = protocol;
    this._reader = reader;
    this._loop = loop;
  }

  /** The underlying transport. */
  get transport(): WriteTransport {
    return this._transport;
  }

  /** Queues `data` to be sent (never waits: call `drain()` to respect flow control). */
  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  /** Queues every chunk of `data`. */
  writeLines(data: Iterable<Uint8Array>): void {
    this._transport.writeLines(data);
  }

  /** Closes the write side once the queue is sent (the peer reads EOF); reading goes on. */
  writeEof(): void {
    this._transport.writeEof();
  }

  /** Whether `writeEof()` is possible (not over TLS). */
  canWriteEof(): boolean {
    return this._transport.canWriteEof();
  }

  /** Closes the connection after the queued data is sent. */
  close(): void {
    this._transport.close();
  }

  /** Whether the connection is closing or closed. */
  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /**
   * Waits until the connection is closed; rejects with the connection's error, if any.
   *
   * **Cancellation**: stops waiting; the close goes on.
   */
  async waitClosed(): Promise<void> {
    await (this._protocol as StreamReaderProtocol)._getCloseWaiter(this);
  }

  /** Transport details (`'peername'`, `'sockname'`, `'socket'`, `'peercert'`, ...). */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this._transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until the write buffer is below its low-water mark; rethrows a connection error
   * (and `ConnectionResetError` once the connection is lost).
   *
   * @example
   * for (const chunk of chunks) { writer.write(chunk); await writer.drain(); }
   *
   * **Cancellation**: stops waiting; nothing written is lost.
   */
  drain(): Promise<void> {
    if (this._reader !== null) {
      const exc = this._reader.exception();
      if (exc !== null) return Promise.reject(exc);
    }
    if (this._transport.isClosing()) return this.#drainClosing();
    // Not an async function: when nothing is paused, the helper's settled promise is all there is.
    return (this._protocol as StreamReaderProtocol)._drainHelper();
  }

  /** Gives connectionLost a chance to run first, so that write-then-drain loops see the error. */
  async #drainClosing(): Promise<void> {
    await sleep(0);
    await (this._protocol as StreamReaderProtocol)._drainHelper();
  }

  /**
   * Upgrades the connection to TLS (client side, or server side for a `startServer` writer).
   *
   * @example
   * await writer.startTls(tls.createSecureContext({ ca }), { serverHostname: 'example.com' });
   *
   * **Cancellation**: the handshake is abandoned and the connection closed.
   */
  async startTls(
    sslcontext: SSLContext,
    opts?: { serverHostname?: string; sslHandshakeTimeout?: number; sslShutdownTimeout?: number },
  ): Promise<void> {
    const protocol = this._protocol as StreamReaderProtocol;
    const serverSide = protocol._clientConnectedCb !== null;
    await this.drain();
    const transport = await this._loop.startTls(
      this._transport as Parameters<AbstractEventLoop['startTls']>[0],
      protocol,
      sslcontext,
      { ...opts, serverSide },
    );
    if (transport === null) throw new TypeError('startTls() gave no transport');
    this._transport = transport;
    protocol._replaceWriter(this);
  }

  /** `close()`, then waits until closed (a connection error is not thrown here: see `waitClosed`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    try {
      await this.waitClosed();
    } catch {
      // The connection failed; disposing must not hide the error of the body that used it.
    }
  }

  toString(): string {
    return `<StreamWriter transport=${String(this._transport)}>`;
  }
}

/**
 * `StreamReaderProtocol`: the protocol between a transport and a `StreamReader`/`StreamWriter`
 * pair (asyncio's `StreamReaderProtocol` with its `FlowControlMixin`). It feeds the reader,
 * tracks write flow control for `drain()`, and, on a server, calls the client callback.
 */
import {
  type AbstractEventLoop,
  type AbstractFuture,
  type AbstractTask,
  type BaseTransport,
  getRunningLoop,
  Protocol,
  type ReadTransport,
  type Transport,
} from '@aio/loop';
import { FlowControl } from './flow-control';
import { describe } from './internal/describe';
import type { StreamReader } from './stream-reader';
import { StreamWriter } from './stream-writer';

/** Called for each client of `startServer`; a promise-returning callback runs as a Task. */
export type ClientConnectedCb = (reader: StreamReader, writer: StreamWriter) => void | PromiseLike<void>;

/** Transports may give this protocol views of their read buffer: the reader copies them unless handed over. */
const BORROWS_DATA = Symbol.for('aio.borrowsData');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Adapts a transport to a `StreamReader` (and makes the `StreamWriter` on servers).
 *
 * @example
 * const reader = new StreamReader();
 * const protocol = new StreamReaderProtocol(reader);
 * const [transport] = await loop.createConnection(() => protocol, host, port);
 * const writer = new StreamWriter(transport, protocol, reader, loop);
 *
 * **Cancellation**: not applicable (callbacks); see `StreamWriter.drain`.
 */
export class StreamReaderProtocol extends Protocol {
  /** @internal */ readonly [BORROWS_DATA] = true;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal Write flow control: what `StreamWriter.drain()` waits on. */
  readonly _flow: FlowControl;
  /** @internal */ _streamReader: StreamReader | null;
  /** @internal */ _streamWriter: StreamWriter | null = null;
  /** @internal */ _task: AbstractTask<void> | null = null;
  /** @internal */ _transport: BaseTransport | null = null;
  /** @internal */ readonly _clientConnectedCb: ClientConnectedCb | null;
  /** @internal */ _overSsl = false;
  /** @internal */ readonly _closed: AbstractFuture<void>;

  constructor(
    streamReader: StreamReader,
    clientConnectedCb?: ClientConnectedCb | null,
    loop?: AbstractEventLoop,
  ) {
    super();
    if (clientConnectedCb != null && typeof clientConnectedCb !== 'function')
      throw new TypeError(`clientConnectedCb must be a function, got ${describe(clientConnectedCb)}`);
    this._loop = loop ?? streamReader?._loop ?? getRunningLoop();
    this._streamReader = streamReader;
    this._clientConnectedCb = clientConnectedCb ?? null;
    this._closed = this._loop.createFuture<void>();
    this._flow = new FlowControl(this._loop);
  }

  /** @internal `startTls` gave the writer a new transport. */
  _replaceWriter(writer: StreamWriter): void {
    this._streamWriter = writer;
    this._transport = writer.transport;
    this._overSsl = writer.transport.getExtraInfo('sslcontext') != null;
  }

  override connectionMade(transport: BaseTransport): void {
    this._transport = transport;
    const reader = this._streamReader;
    reader?.setTransport(transport as ReadTransport);
    this._overSsl = transport.getExtraInfo('sslcontext') != null;
    const cb = this._clientConnectedCb;
    if (cb === null || reader === null) return;
    const writer = new StreamWriter(transport as Transport, this, reader, this._loop);
    this._streamWriter = writer;
    let task: AbstractTask<void> | null = null;
    if (cb.constructor?.name === 'AsyncFunction') {
      task = this._loop.createTask(async () => {
        await cb(reader, writer);
      });
    } else {
      const result = cb(reader, writer);
      if (isThenable(result))
        task = this._loop.createTask(async () => {
          await result;
        });
    }
    if (task === null) return;
    this._task = task;
    task.addDoneCallback((t) => {
      if (t.cancelled()) {
        transport.close();
        return;
      }
      const exception = t.exception();
      if (exception !== null) {
        this._loop.callExceptionHandler({
          message: 'Unhandled exception in client_connected_cb',
          exception,
          transport,
        });
        transport.close();
      }
    });
  }

  override connectionLost(exc: Error | null): void {
    const reader = this._streamReader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const closed = this._closed;
    if (!closed.done()) {
      if (exc === null) closed.setResult(undefined);
      else {
        closed.setException(exc);
        closed.exception(); // seen here: nobody has to await waitClosed() to avoid a "never retrieved" report
      }
    }
    this._flow.lost(exc);
    this._streamReader = null;
    this._streamWriter = null;
    this._task = null;
    this._transport = null;
  }

  /** `owned`: the transport hands the chunk over (see `BORROWS_DATA`); else it is copied. */
  override dataReceived(data: Uint8Array, owned = false): void {
    this._streamReader?._feed(data, owned);
  }

  override eofReceived(): boolean {
    this._streamReader?.feedEof();
    // Over TLS a half-open connection is not possible: let the transport close.
    return !this._overSsl;
  }

  override pauseWriting(): void {
    this._flow.pause();
  }

  override resumeWriting(): void {
    this._flow.resume();
  }

  /** @internal What `StreamWriter.drain()` waits on. */
  _drainHelper(): Promise<void> {
    return this._flow.drain();
  }

  /** @internal What `StreamWriter.waitClosed()` waits on. */
  _getCloseWaiter(_writer: StreamWriter): AbstractFuture<void> {
    return this._closed;
  }
}

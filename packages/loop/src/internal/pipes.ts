/**
 * Pipe transports: `connectReadPipe`/`connectWritePipe` over Node streams (asyncio's
 * `unix_events` pipe transports). A file descriptor is wrapped as a `net.Socket`; regular files
 * are refused, as asyncio refuses them. Protocol callbacks run in the context that connected
 * the pipe; `connectionMade` first and `connectionLost` last, once, from the loop.
 */
import fs from 'node:fs';
import net from 'node:net';
import type stream from 'node:stream';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext, runInContext } from '../context';
import type { BaseProtocol, Protocol } from '../protocols';
import { ReadTransport, WriteTransport } from '../transports';
import { checkFactory, checkLoopOpen, makeProtocol } from './connect';
import { ReadSink, type ReadTarget } from './read-buffer';
import { asError, writeBufferLimits } from './socket-transport';

const DEFAULT_HIGH_WATER = 64 * 1024;

/** What both pipe transports share: the protocol, its context, and ending once. */
class PipeEnd {
  closing = false;
  lost = false;

  constructor(
    readonly loop: AbstractEventLoop,
    public protocol: BaseProtocol,
    readonly ctx: Context,
  ) {}

  call(callback: () => void): void {
    try {
      runInContext(this.ctx, null, callback, undefined);
    } catch (exception) {
      this.loop.callExceptionHandler({ message: 'Fatal error: pipe protocol callback failed', exception });
    }
  }

  /** `connectionLost(exc)` from the loop, once. */
  lose(exc: Error | null): void {
    if (this.lost) return;
    this.lost = true;
    this.closing = true;
    if (this.loop.isClosed()) return; // nobody left to tell
    this.loop.callSoon(() => this.call(() => this.protocol.connectionLost(exc)), { context: this.ctx });
  }
}

/**
 * The read end of a pipe. A socket over a pipe (a child's stdout) reads into a buffer of ours,
 * as socket transports do; other streams give `'data'` chunks.
 */
class ReadPipeTransport extends ReadTransport implements ReadTarget {
  readonly #end: PipeEnd;
  readonly #pipe: stream.Readable;
  readonly #sink = new ReadSink();
  #reading = true;

  constructor(loop: AbstractEventLoop, pipe: stream.Readable, protocol: BaseProtocol, ctx: Context) {
    super({ pipe });
    this.#end = new PipeEnd(loop, protocol, ctx);
    this.#pipe = pipe;
  }

  /** @internal Starts reading, after `connectionMade`. */
  _start(): void {
    const end = this.#end;
    if (this.#pipe instanceof net.Socket) {
      this.#sink.target = this;
      this.#sink.adopt(this.#pipe);
    }
    // Also with a buffer of ours: chunks Node read before we took over come as 'data'.
    this.#pipe.on('data', (data: Uint8Array) => this.#deliver(data));
    this.#pipe.on('end', () => {
      if (end.closing) return;
      end.call(() => (end.protocol as Protocol).eofReceived?.());
      end.lose(null);
    });
    this.#pipe.on('error', (error) => end.lose(asError(error)));
    this.#pipe.on('close', () => end.lose(null));
    if (!this.#reading) this.#pipe.pause();
  }

  /** @internal A read into the sink's buffer. */
  _onRead(buf: Uint8Array, nread: number): void {
    this.#deliver(this.#sink.owned(buf, nread));
  }

  #deliver(data: Uint8Array): void {
    const end = this.#end;
    if (!end.closing) end.call(() => (end.protocol as Protocol).dataReceived(data));
  }

  override isReading(): boolean {
    return this.#reading && !this.#end.closing;
  }

  override pauseReading(): void {
    if (this.#end.closing || !this.#reading) return;
    this.#reading = false;
    this.#pipe.pause();
  }

  override resumeReading(): void {
    if (this.#end.closing || this.#reading) return;
    this.#reading = true;
    this.#pipe.resume();
  }

  override isClosing(): boolean {
    return this.#end.closing;
  }

  override close(): void {
    if (this.#end.closing) return;
    this.#end.closing = true;
    this.#pipe.destroy();
    this.#end.lose(null);
  }

  override setProtocol(protocol: BaseProtocol): void {
    this.#end.protocol = protocol;
  }

  override getProtocol(): BaseProtocol {
    return this.#end.protocol;
  }
}

/** The write end of a pipe, with asyncio's write flow control. */
class WritePipeTransport extends WriteTransport {
  readonly #end: PipeEnd;
  readonly #pipe: stream.Writable;
  #high = DEFAULT_HIGH_WATER;
  #low = DEFAULT_HIGH_WATER / 4;
  #paused = false;
  /** Each chunk's completion may bring the buffer down to the low mark. */
  readonly #afterWrite = () => this.#maybeResume();

  constructor(loop: AbstractEventLoop, pipe: stream.Writable, protocol: BaseProtocol, ctx: Context) {
    super({ pipe });
    this.#end = new PipeEnd(loop, protocol, ctx);
    this.#pipe = pipe;
    pipe.on('error', (error) => this.#end.lose(asError(error)));
    pipe.on('close', () => this.#end.lose(null));
  }

  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array))
      throw new TypeError(`data must be a Uint8Array, got ${describe(data)}`);
    if (this.#end.closing || data.byteLength === 0) return;
    this.#pipe.write(data, this.#afterWrite);
    if (!this.#paused && this.#pipe.writableLength > this.#high) {
      this.#paused = true;
      this.#end.call(() => this.#end.protocol.pauseWriting());
    }
  }

  override writeEof(): void {
    if (this.#end.closing) return;
    this.#end.closing = true;
    this.#pipe.end();
  }

  override canWriteEof(): boolean {
    return true;
  }

  override close(): void {
    this.writeEof();
  }

  override abort(): void {
    this.#end.closing = true;
    this.#pipe.destroy();
    this.#end.lose(null);
  }

  override isClosing(): boolean {
    return this.#end.closing;
  }

  override getWriteBufferSize(): number {
    return this.#pipe.writableLength;
  }

  override getWriteBufferLimits(): [low: number, high: number] {
    return [this.#low, this.#high];
  }

  override setWriteBufferLimits(high?: number | null, low?: number | null): void {
    [this.#high, this.#low] = writeBufferLimits(high, low);
    this.#maybeResume();
  }

  override setProtocol(protocol: BaseProtocol): void {
    this.#end.protocol = protocol;
  }

  override getProtocol(): BaseProtocol {
    return this.#end.protocol;
  }

  #maybeResume(): void {
    if (this.#paused && this.#pipe.writableLength <= this.#low) {
      this.#paused = false;
      this.#end.call(() => this.#end.protocol.resumeWriting());
    }
  }
}

/** A stream for `pipe`: the stream itself, or a socket over a pipe file descriptor. */
function pipeStream<S>(pipe: unknown, readable: boolean): S {
  if (typeof pipe === 'number') {
    if (!Number.isInteger(pipe) || pipe < 0)
      throw new RangeError(`pipe must be a file descriptor, got ${pipe}`);
    const stat = fs.fstatSync(pipe);
    if (!stat.isFIFO() && !stat.isSocket() && !stat.isCharacterDevice()) {
      throw new RangeError('Pipe transport is only for pipes, sockets and character devices');
    }
    return new net.Socket({ fd: pipe, readable, writable: !readable }) as S;
  }
  const method = readable ? 'on' : 'write';
  if (
    typeof (pipe as Record<string, unknown>)?.[method] !== 'function' ||
    typeof (pipe as stream.Stream).pipe !== 'function'
  ) {
    throw new TypeError(
      `pipe must be a ${readable ? 'readable' : 'writable'} stream or a file descriptor, got ${describe(pipe)}`,
    );
  }
  return pipe as S;
}

/** Calls `connectionMade` from the loop and resolves once it ran. */
function made(loop: AbstractEventLoop, ctx: Context, run: () => void): Promise<void> {
  return new Promise((resolve) =>
    loop.callSoon(
      () => {
        run();
        resolve();
      },
      { context: ctx },
    ),
  );
}

/** `loop.connectReadPipe()`. */
export async function connectReadPipe<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  pipe: stream.Readable | number,
): Promise<[ReadTransport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  const source = pipeStream<stream.Readable>(pipe, true);
  const ctx = copyContext();
  const protocol = makeProtocol(protocolFactory, ctx);
  const transport = new ReadPipeTransport(loop, source, protocol, ctx);
  source.pause();
  await made(loop, ctx, () => {
    runInContext(ctx, null, () => protocol.connectionMade(transport), undefined);
    transport._start();
    if (transport.isReading()) source.resume();
  });
  return [transport, protocol];
}

/** `loop.connectWritePipe()`. */
export async function connectWritePipe<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  pipe: stream.Writable | number,
): Promise<[WriteTransport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  const sink = pipeStream<stream.Writable>(pipe, false);
  const ctx = copyContext();
  const protocol = makeProtocol(protocolFactory, ctx);
  const transport = new WritePipeTransport(loop, sink, protocol, ctx);
  await made(loop, ctx, () => runInContext(ctx, null, () => protocol.connectionMade(transport), undefined));
  return [transport, protocol];
}

/**
 * `SubprocessStreamProtocol`: connects a child's pipes to streams (asyncio's protocol of the
 * same name): its stdout and stderr pipes feed `StreamReader`s, its stdin pipe is written with a
 * `StreamWriter` whose `drain()` follows the pipe's flow control.
 */
import {
  type AbstractEventLoop,
  type AbstractFuture,
  type ReadTransport,
  SubprocessProtocol,
  type SubprocessTransport,
  type WriteTransport,
} from '@aio/loop';
import { FlowControl, StreamReader, StreamWriter } from '@aio/streams';

/**
 * The protocol `createSubprocessExec`/`createSubprocessShell` give the loop. Pass
 * `() => new SubprocessStreamProtocol(limit, loop)` to `loop.subprocessExec` to get the same
 * streams from a loop of your own.
 *
 * **Cancellation**: not applicable (callbacks); see `StreamWriter.drain`.
 */
export class SubprocessStreamProtocol extends SubprocessProtocol {
  /** The child's stdin, when it is a pipe. */
  stdin: StreamWriter | null = null;
  /** The child's stdout, when it is a pipe. */
  stdout: StreamReader | null = null;
  /** The child's stderr, when it is a pipe. */
  stderr: StreamReader | null = null;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal */ readonly _limit: number | undefined;
  /** @internal */ _transport: SubprocessTransport | null = null;
  /** @internal The `wait()` calls waiting for the child to exit, each on its own future. */
  readonly _exitWaiters = new Set<AbstractFuture<number>>();
  /** @internal Read pipes not closed yet. */
  _openReadPipes = new Set<number>();
  /** @internal */ _processExited = false;
  /** @internal What `stdin.waitClosed()` waits on. */
  readonly _stdinClosed: AbstractFuture<void>;
  /** @internal Write flow control of the stdin pipe: what `stdin.drain()` waits on. */
  readonly _flow: FlowControl;

  constructor(limit: number | undefined, loop: AbstractEventLoop) {
    super();
    this._limit = limit;
    this._loop = loop;
    this._stdinClosed = loop.createFuture<void>();
    this._flow = new FlowControl(loop);
  }

  override connectionMade(transport: SubprocessTransport): void {
    this._transport = transport;
    const reader = (fd: 1 | 2): StreamReader | null => {
      const pipe = transport.getPipeTransport(fd) as ReadTransport | null;
      if (pipe === null) return null;
      const stream = new StreamReader({ limit: this._limit, loop: this._loop });
      stream.setTransport(pipe);
      this._openReadPipes.add(fd);
      return stream;
    };
    this.stdout = reader(1);
    this.stderr = reader(2);
    const stdin = transport.getPipeTransport(0) as WriteTransport | null;
    if (stdin !== null) this.stdin = new StreamWriter(stdin, this, null, this._loop);
  }

  /** `data` is a chunk the transport hands over (never reused): the reader may keep it as it is. */
  override pipeDataReceived(fd: number, data: Uint8Array): void {
    this.#reader(fd)?._feed(data, true);
  }

  override pipeConnectionLost(fd: number, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      this._flow.lost(exc);
      if (exc === null) this._stdinClosed.setResult(undefined);
      else {
        this._stdinClosed.setException(exc);
        this._stdinClosed.exception(); // seen: nobody has to await waitClosed()
      }
      return;
    }
    const reader = this.#reader(fd);
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    this._openReadPipes.delete(fd);
    this.#maybeCloseTransport();
  }

  override processExited(): void {
    this._processExited = true;
    const returncode = this._transport?.getReturncode() ?? null;
    if (returncode !== null)
      for (const waiter of this._exitWaiters) if (!waiter.done()) waiter.setResult(returncode);
    this.#maybeCloseTransport();
  }

  override pauseWriting(): void {
    this._flow.pause();
  }

  override resumeWriting(): void {
    this._flow.resume();
  }

  /** @internal Waits for the child to exit (a cancel ends this wait only). */
  async _waitExited(): Promise<number> {
    const waiter = this._loop.createFuture<number>();
    this._exitWaiters.add(waiter);
    try {
      return await waiter;
    } finally {
      this._exitWaiters.delete(waiter);
    }
  }

  /** @internal What `stdin.drain()` waits on. */
  _drainHelper(): Promise<void> {
    return this._flow.drain();
  }

  /** @internal What `stdin.waitClosed()` waits on. */
  _getCloseWaiter(_writer: StreamWriter): AbstractFuture<void> {
    return this._stdinClosed;
  }

  /** The reader of pipe `fd` (1: stdout, 2: stderr), if it is one. */
  #reader(fd: number): StreamReader | null {
    return fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
  }

  #maybeCloseTransport(): void {
    if (this._openReadPipes.size === 0 && this._processExited && this._transport !== null) {
      this._transport.close();
      this._transport = null;
    }
  }
}

/**
 * The event-loop interface every @aio package programs against, and the structural types of
 * the futures and tasks that live in packages above this one. Any object of this shape works
 * as a loop; `BaseEventLoop` is the usual base for a custom one.
 */
import type { Context } from './context';
import type { Executor, ExecutorFn } from './executor';
import type { Handle, TimerHandle } from './handle';
import type {
  ConnectOptions,
  DatagramOptions,
  SSLContext,
  TcpServeOptions,
  TlsTimeouts,
  UnixConnectOptions,
  UnixServeOptions,
} from './network-options';
import type { BaseProtocol, DatagramProtocol, SubprocessProtocol } from './protocols';
import type { Server } from './server';
import type { SubprocessOptions } from './subprocess-options';
import type {
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from './transports';
import type { SockAddr } from './types';

/** A coroutine, TypeScript-style: a function that starts the async work when called. */
export type CoroutineFunction<T> = () => PromiseLike<T>;

/** Anything that can be awaited as a future: a future, a coroutine function, or a promise. */
export type AwaitableLike<T> = AbstractFuture<T> | CoroutineFunction<T> | PromiseLike<T>;

/** The Future surface (@aio/futures implements it). */
export interface AbstractFuture<T> extends PromiseLike<T> {
  result(): T;
  exception(): unknown;
  addDoneCallback(callback: (fut: this) => void, opts?: { context?: Context }): void;
  removeDoneCallback(callback: (fut: this) => void): number;
  cancel(msg?: string): boolean;
  cancelled(): boolean;
  done(): boolean;
  getLoop(): AbstractEventLoop;
  setResult(result: T): void;
  setException(exception: unknown): void;
}

/** The Task surface (@aio/tasks implements it). */
export interface AbstractTask<T> extends AbstractFuture<T> {
  getName(): string;
  setName(value: unknown): void;
  getCoro(): CoroutineFunction<T> | null;
  getContext(): Context;
  cancelling(): number;
  uncancel(): number;
  readonly signal: AbortSignal;
}

/** Options of `createTask` and of task factories. */
export interface TaskOptions {
  /** The task's name (default `Task-<n>`). */
  name?: string;
  /** The context to run in (default: a copy of the current one). */
  context?: Context;
  /** Start running synchronously inside `createTask`, until the first suspension. */
  eagerStart?: boolean;
  /** Cancels the task when this signal aborts. */
  signal?: AbortSignal;
}

/** Makes the loop's tasks (`loop.setTaskFactory`). Gets every option given to `createTask`. */
export type TaskFactory = <T>(
  loop: AbstractEventLoop,
  coro: CoroutineFunction<T>,
  opts: TaskOptions,
) => AbstractTask<T>;

/** What the loop knows about an error it could not hand to anyone (see `callExceptionHandler`). */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: AbstractFuture<unknown>;
  task?: AbstractTask<unknown>;
  handle?: Handle;
  protocol?: unknown;
  transport?: unknown;
  socket?: unknown;
  sourceTraceback?: string;
  handleTraceback?: string;
  asyncgen?: AsyncGenerator<unknown>;
  [key: string]: unknown;
}

/** A loop-wide handler for errors nobody else could handle. */
export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;

/**
 * The event loop: runs callbacks, timers, tasks and I/O. One runs per thread at a time.
 * Disposing it (`using loop = ...`) closes it.
 */
export abstract class AbstractEventLoop implements Disposable {
  // Running and stopping
  /** Runs until `future` is done and returns its result (a coroutine function becomes a task). */
  abstract runUntilComplete<T>(future: AwaitableLike<T>): Promise<T>;
  /** Runs until `stop()` is called. */
  abstract runForever(): Promise<void>;
  /** Stops the loop after the current iteration. */
  abstract stop(): void;
  abstract isRunning(): boolean;
  abstract isClosed(): boolean;
  /** Closes the loop: pending callbacks are dropped, the default executor shut down without waiting. */
  abstract close(): void;
  /** No-op: JavaScript has no async-generator finalisation hooks. */
  abstract shutdownAsyncgens(): Promise<void>;
  /** Shuts the default executor down, waiting for its work (at most `timeout` seconds). */
  abstract shutdownDefaultExecutor(timeout?: number | null): Promise<void>;

  // Callbacks and time
  abstract callSoon(callback: () => void, opts?: { context?: Context }): Handle;
  abstract callSoonThreadsafe(callback: () => void, opts?: { context?: Context }): Handle;
  abstract callLater(delay: number, callback: () => void, opts?: { context?: Context }): TimerHandle;
  abstract callAt(when: number, callback: () => void, opts?: { context?: Context }): TimerHandle;
  /** The loop's clock, in seconds (monotonic). */
  abstract time(): number;

  // Futures and tasks
  abstract createFuture<T>(): AbstractFuture<T>;
  abstract createTask<T>(coro: CoroutineFunction<T>, opts?: TaskOptions): AbstractTask<T>;
  abstract setTaskFactory(factory: TaskFactory | null): void;
  abstract getTaskFactory(): TaskFactory | null;

  // Networking (node:net, node:tls)
  /** Opens a TCP (or TLS) connection; resolves once the protocol's `connectionMade` ran. */
  abstract createConnection<P extends BaseProtocol>(
    protocolFactory: () => P,
    host?: string | null,
    port?: number | string | null,
    opts?: ConnectOptions,
  ): Promise<[Transport, P]>;
  /** Listens on `host` (one or several; all interfaces when omitted) and `port` (0: any free port). */
  abstract createServer(
    protocolFactory: () => BaseProtocol,
    host?: string | readonly string[] | null,
    port?: number | null,
    opts?: TcpServeOptions,
  ): Promise<Server>;
  /** Opens a Unix-socket connection (a named pipe on Windows). */
  abstract createUnixConnection<P extends BaseProtocol>(
    protocolFactory: () => P,
    path?: string | null,
    opts?: UnixConnectOptions,
  ): Promise<[Transport, P]>;
  /** Listens on a Unix socket; a stale socket file is removed first, the file is removed on close. */
  abstract createUnixServer(
    protocolFactory: () => BaseProtocol,
    path?: string | null,
    opts?: UnixServeOptions,
  ): Promise<Server>;
  /** Wraps a socket accepted outside the loop (e.g. by a `net.Server` of your own). */
  /** Wraps the read end of a pipe (a readable stream or a pipe fd) in a transport for a new protocol. */
  abstract connectReadPipe<P extends BaseProtocol>(
    protocolFactory: () => P,
    pipe: import('node:stream').Readable | number,
  ): Promise<[ReadTransport, P]>;
  /** Wraps the write end of a pipe (a writable stream or a pipe fd) in a transport for a new protocol. */
  abstract connectWritePipe<P extends BaseProtocol>(
    protocolFactory: () => P,
    pipe: import('node:stream').Writable | number,
  ): Promise<[WriteTransport, P]>;
  /**
   * Runs `program` with `args` (no shell) and connects its pipes to a new subprocess protocol;
   * stdio defaults to `PIPE`. Rejects with the spawn error (`code: 'ENOENT'`...) if it cannot start.
   */
  abstract subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: () => P,
    program: string,
    args?: readonly string[],
    opts?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]>;
  /** Runs `cmd` with the system shell (`/bin/sh -c`; `%ComSpec%` on Windows), as `subprocessExec`. */
  abstract subprocessShell<P extends SubprocessProtocol>(
    protocolFactory: () => P,
    cmd: string,
    opts?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]>;
  /** Sends part of a file through a transport (a copy: Node has no native sendfile); resolves to the bytes sent. */
  abstract sendfile(
    transport: WriteTransport,
    file: import('node:fs/promises').FileHandle | number,
    offset?: number,
    count?: number | null,
    opts?: { fallback?: boolean },
  ): Promise<number>;
  // Low-level socket operations on Node socket objects (see internal/sock.ts for what Node allows)
  /** Up to `nbytes` from a `net.Socket` as soon as any are there; empty at EOF. */
  abstract sockRecv(sock: import('node:net').Socket, nbytes: number): Promise<Uint8Array>;
  /** Like `sockRecv`, into `buf`; resolves to the byte count. */
  abstract sockRecvInto(sock: import('node:net').Socket, buf: Uint8Array): Promise<number>;
  /** The next datagram of a `dgram.Socket` (cut to `bufsize`) and its sender. (3.11) */
  abstract sockRecvfrom(sock: import('node:dgram').Socket, bufsize: number): Promise<[Uint8Array, SockAddr]>;
  /** The next datagram into `buf`: `[bytes, sender]`. (3.11) */
  abstract sockRecvfromInto(
    sock: import('node:dgram').Socket,
    buf: Uint8Array,
    nbytes?: number,
  ): Promise<[number, SockAddr]>;
  /** Writes all of `data`, waiting while the socket's buffer is full. */
  abstract sockSendall(sock: import('node:net').Socket, data: Uint8Array): Promise<void>;
  /** Sends one datagram to `address`. (3.11) */
  abstract sockSendto(
    sock: import('node:dgram').Socket,
    data: Uint8Array,
    address: SockAddr,
  ): Promise<number>;
  /** Connects an unconnected `net.Socket`. */
  abstract sockConnect(sock: import('node:net').Socket, address: SockAddr): Promise<void>;
  /** The next connection a listening `net.Server` accepted, with the peer's address. */
  abstract sockAccept(sock: import('node:net').Server): Promise<[import('node:net').Socket, SockAddr]>;
  /** Sends part of a file over a `net.Socket` (by copying). */
  abstract sockSendfile(
    sock: import('node:net').Socket,
    file: import('node:fs/promises').FileHandle | number,
    offset?: number,
    count?: number | null,
    opts?: { fallback?: boolean },
  ): Promise<number>;
  /** Calls `callback(...args)` from the loop while a Node socket has data to read. */
  abstract addReader<A extends unknown[]>(
    fd: number | import('node:net').Socket,
    callback: (...args: A) => void,
    ...args: A
  ): void;
  abstract removeReader(fd: number | import('node:net').Socket): boolean;
  /** Calls `callback(...args)` from the loop while a Node socket can take writes. */
  abstract addWriter<A extends unknown[]>(
    fd: number | import('node:net').Socket,
    callback: (...args: A) => void,
    ...args: A
  ): void;
  abstract removeWriter(fd: number | import('node:net').Socket): boolean;
  /** A UDP endpoint bound to `localAddr` and/or connected to `remoteAddr`; resolves after `connectionMade`. */
  abstract createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: () => P,
    localAddr?: SockAddr | null,
    remoteAddr?: SockAddr | null,
    opts?: DatagramOptions,
  ): Promise<[DatagramTransport, P]>;
  abstract connectAcceptedSocket<P extends BaseProtocol>(
    protocolFactory: () => P,
    sock: import('node:net').Socket,
    opts?: TlsTimeouts & { ssl?: SSLContext },
  ): Promise<[Transport, P]>;
  /** Upgrades a live connection to TLS; returns the new transport (the old one is done). */
  abstract startTls(
    transport: Transport,
    protocol: BaseProtocol,
    sslcontext: SSLContext,
    opts?: TlsTimeouts & { serverSide?: boolean; serverHostname?: string },
  ): Promise<Transport | null>;

  // Executors
  abstract runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    func: ExecutorFn<A, R>,
    ...args: A
  ): AbstractFuture<Awaited<R>>;
  abstract setDefaultExecutor(executor: Executor): void;

  // Signals
  abstract addSignalHandler<A extends unknown[]>(
    sig: NodeJS.Signals | number,
    callback: (...args: A) => void,
    ...args: A
  ): void;
  abstract removeSignalHandler(sig: NodeJS.Signals | number): boolean;

  // Error handling
  abstract setExceptionHandler(handler: ExceptionHandler | null): void;
  abstract getExceptionHandler(): ExceptionHandler | null;
  abstract defaultExceptionHandler(context: ExceptionContext): void;
  abstract callExceptionHandler(context: ExceptionContext): void;

  // Debug mode
  abstract getDebug(): boolean;
  abstract setDebug(enabled: boolean): void;
  /** Callbacks running longer than this many seconds are logged in debug mode. */
  abstract slowCallbackDuration: number;

  /** Closes the loop. */
  [Symbol.dispose](): void {
    this.close();
  }
}

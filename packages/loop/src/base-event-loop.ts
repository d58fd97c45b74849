/**
 * `BaseEventLoop`: the scheduler every @aio loop shares. A ready queue of handles and a heap
 * of timers, drained in batches as asyncio's `_run_once` does: due timers move to the ready
 * queue, then the handles that were ready when the batch began run, in FIFO order.
 *
 * Subclasses decide only how time passes and how an idle loop is woken (`EventLoop`: Node
 * timers; `VirtualTimeEventLoop`: a virtual clock). Between two batches the microtask queue
 * drains fully, so async-function continuations woken in one batch run before the next.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  AbstractEventLoop,
  type AbstractFuture,
  type AbstractTask,
  type AwaitableLike,
  type CoroutineFunction,
  type ExceptionContext,
  type ExceptionHandler,
  type TaskFactory,
  type TaskOptions,
} from './abstract-event-loop';
import type { ConcurrentFuture } from './concurrent-future';
import { type Context, runOutsideContexts } from './context';
import { type AddrInfo, type GetaddrinfoOptions, getaddrinfo, getnameinfo } from './dns';
import { RuntimeError } from './errors';
import type { Executor, ExecutorFn } from './executor';
import { Handle, TimerHandle } from './handle';
import { connectAcceptedSocket, createConnection, createUnixConnection, startTls } from './internal/connect';
import { createDatagramEndpoint } from './internal/datagram';
import { debugFromEnvironment } from './internal/debug-env';
import { factorySlots, hasFutureBrand } from './internal/factories';
import { connectReadPipe, connectWritePipe } from './internal/pipes';
import { type SendfileOptions, sendfile } from './internal/sendfile';
import { createServer, createUnixServer } from './internal/serve';
import * as sockOps from './internal/sock';
import { subprocessExec, subprocessShell } from './internal/subprocess';
import { TimerHeap } from './internal/timer-heap';
import { logger } from './logger';
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
import { _getRunningLoop, _setRunningLoop } from './running-loop';
import type { Server } from './server';
import type { SubprocessOptions } from './subprocess-options';
import { ThreadPoolExecutor } from './thread-pool-executor';
import type {
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from './transports';
import type { SockAddr } from './types';

/** Anything the ready queue can run: a `Handle`, or an internal object with the same `_run`. */
export interface Runnable {
  _run(): void;
}

/** Compact the timer heap once this many cancelled timers make up over half of it (asyncio's rule). */
const MIN_CANCELLED_TIMERS_TO_COMPACT = 100;
/** How long (ms) batches may follow each other before Node gets a turn for I/O. */
const SLICE_MS = 4;
const UNCATCHABLE_SIGNALS = new Set(['SIGKILL', 'SIGSTOP']);
/** The options a task factory gets when `createTask` was given none (one shared object). */
const NO_TASK_OPTIONS: TaskOptions = Object.freeze({});

const settled = Promise.resolve();
/**
 * Runs `fn` as a microtask. Cheaper than `queueMicrotask`, which makes an AsyncResource (and
 * runs the async hooks that AsyncLocalStorage installs on Node < 22) on every call; `fn` never
 * throws (a batch catches its callbacks' errors).
 */
function afterMicrotask(fn: () => void): void {
  settled.then(fn);
}

/** The shared scheduler of @aio loops; extend it to write a loop of your own. */
export abstract class BaseEventLoop extends AbstractEventLoop {
  /** Callbacks taking longer than this (seconds) are logged in debug mode. */
  slowCallbackDuration = 0.1;

  /** @internal */ _ready: Runnable[] = [];
  /** @internal */ _readySpare: Runnable[] = [];
  /** @internal */ readonly _timers = new TimerHeap();
  /** @internal */ _cancelledTimers = 0;
  /** @internal */ _timerSeq = 0;
  /** @internal */ _stopping = false;
  /** @internal */ _running = false;
  /** @internal */ _closed = false;
  /** @internal */ _debug = debugFromEnvironment();
  /** @internal A batch will run soon (or is running and will reschedule). */
  _batchScheduled = false;
  /** @internal */ _sliceStart = 0;
  /** @internal Batches run since Node last had a turn (the clock is read every 64). */
  _sliceBatches = 0;
  /**
   * @internal Set when a batch settled promises that async functions await (futures waking
   * their awaiters): the next batch must then wait until every microtask has run.
   */
  _wokeAwaiters = false;
  /** @internal */ _exceptionHandler: ExceptionHandler | null = null;
  /** @internal */ _taskFactory: TaskFactory | null = null;
  /** @internal */ _defaultExecutor: Executor | null = null;
  /** @internal */ _executorShutdownCalled = false;
  /** @internal */ readonly _signalHandlers = new Map<NodeJS.Signals, () => void>();
  /** @internal Keeps Node alive while the loop runs with signal handlers and nothing else to do. */
  _signalKeepAlive: NodeJS.Timeout | null = null;
  /** @internal Settles the promise returned by `runForever`. */
  _runSettle: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  /** Whether the batch running now was started from a microtask (see `_scheduleBatch`). */
  #inMicrotask = false;
  readonly #runBatch = () => {
    this.#inMicrotask = false;
    this._runBatch();
  };
  readonly #runBatchInMicrotask = () => {
    this.#inMicrotask = true;
    this._runBatch();
  };
  readonly #trampoline = () => process.nextTick(this.#runBatch);
  readonly #runBatchAfterIo = () => {
    this.#inMicrotask = false;
    this._sliceStart = performance.now();
    this._sliceBatches = 0;
    this._runBatch();
  };

  /** The loop's clock in seconds. */
  abstract override time(): number;

  /**
   * Called when the ready queue is empty after a batch (and the loop is not stopping):
   * arrange for `_wake()` to be called when the earliest timer (`deadline`, or `null` for
   * none) falls due or when the host has new work.
   */
  protected abstract _idle(deadline: number | null): void;

  /** Drops any wake-up arranged by `_idle`. */
  protected abstract _cancelIdle(): void;

  // ---- running and stopping -------------------------------------------------------------

  runForever(): Promise<void> {
    this._checkRunnable();
    this._running = true;
    _setRunningLoop(this);
    this._keepAliveForSignals();
    return new Promise<void>((resolve, reject) => {
      this._runSettle = { resolve, reject };
      this._sliceStart = performance.now();
      this._scheduleBatch();
    });
  }

  async runUntilComplete<T>(future: AwaitableLike<T>): Promise<T> {
    this._checkRunnable();
    const isNew = !hasFutureBrand(future);
    const fut = this._ensureFuture(future);
    if (fut.getLoop() !== this)
      throw new RangeError('The future belongs to a different loop than the one given');
    const stopWhenDone = () => this.stop();
    fut.addDoneCallback(stopWhenDone);
    try {
      await this.runForever();
    } catch (error) {
      // The loop failed: the new task's own error would go unretrieved, mark it seen.
      if (isNew && fut.done() && !fut.cancelled()) fut.exception();
      throw error;
    } finally {
      fut.removeDoneCallback(stopWhenDone);
    }
    if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return fut.result();
  }

  stop(): void {
    this._stopping = true;
    if (this._running) this._wake();
  }

  isRunning(): boolean {
    return this._running;
  }

  isClosed(): boolean {
    return this._closed;
  }

  close(): void {
    if (this._running) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    this._closed = true;
    this._ready = [];
    this._readySpare = [];
    for (const handle of this._timers.clear()) handle._scheduled = false;
    this._cancelledTimers = 0;
    this._cancelIdle();
    for (const sig of [...this._signalHandlers.keys()]) this.removeSignalHandler(sig);
    const executor = this._defaultExecutor;
    if (executor !== null) {
      this._executorShutdownCalled = true;
      this._defaultExecutor = null;
      void executor.shutdown({ wait: false });
    }
  }

  async shutdownAsyncgens(): Promise<void> {}

  async shutdownDefaultExecutor(timeout: number | null = null): Promise<void> {
    if (timeout !== null) this._checkSeconds(timeout, 'timeout');
    this._executorShutdownCalled = true;
    const executor = this._defaultExecutor;
    if (executor === null) return;
    const finished = executor.shutdown({ wait: true }).then(() => true);
    let inTime = true;
    if (timeout === null) {
      await finished;
    } else {
      inTime = await new Promise<boolean>((resolve, reject) => {
        const timer = this.callLater(timeout, () => resolve(false));
        finished.then(
          (v) => {
            timer.cancel();
            resolve(v);
          },
          (e) => {
            timer.cancel();
            reject(e);
          },
        );
      });
    }
    if (!inTime) {
      logger.warn(`The executor did not finish joining its threads within ${timeout} seconds.`);
      void executor.shutdown({ wait: false });
    }
    this._defaultExecutor = null;
  }

  // ---- callbacks and time ---------------------------------------------------------------

  callSoon(callback: () => void, opts?: { context?: Context }): Handle {
    this._checkClosed();
    this._checkCallback(callback, 'callSoon');
    const handle = new Handle(callback, this, opts?.context);
    if (this._debug) handle._sourceTraceback = new Error().stack;
    this._ready.push(handle);
    if (!this._batchScheduled && this._running) this._wake();
    return handle;
  }

  callSoonThreadsafe(callback: () => void, opts?: { context?: Context }): Handle {
    return this.callSoon(callback, opts);
  }

  callLater(delay: number, callback: () => void, opts?: { context?: Context }): TimerHandle {
    this._checkSeconds(delay, 'delay');
    return this.callAt(this.time() + delay, callback, opts);
  }

  callAt(when: number, callback: () => void, opts?: { context?: Context }): TimerHandle {
    this._checkClosed();
    this._checkSeconds(when, 'when');
    this._checkCallback(callback, 'callAt');
    const timer = new TimerHandle(when, callback, this, opts?.context, this._timerSeq++);
    if (this._debug) timer._sourceTraceback = new Error().stack;
    timer._scheduled = true;
    this._timers.push(timer);
    if (!this._batchScheduled && this._running && this._timers.peek() === timer) this._wake();
    return timer;
  }

  /** @internal Puts an internal runnable (no Handle) on the ready queue: the futures' fast path. */
  _callSoonRunnable(runnable: Runnable): void {
    this._checkClosed();
    this._ready.push(runnable);
    if (!this._batchScheduled && this._running) this._wake();
  }

  /** @internal Called by a scheduled `TimerHandle` when it is cancelled. */
  _timerHandleCancelled(handle: TimerHandle): void {
    if (handle._scheduled) this._cancelledTimers++;
  }

  // ---- futures and tasks ----------------------------------------------------------------

  createFuture<T>(): AbstractFuture<T> {
    const factory = factorySlots.future;
    if (factory === null) {
      throw new RuntimeError(
        "loop.createFuture() needs a Future class: import '@aio/futures' (or '@aio/asyncio') first",
      );
    }
    return factory<T>(this);
  }

  createTask<T>(coro: CoroutineFunction<T>, opts: TaskOptions = NO_TASK_OPTIONS): AbstractTask<T> {
    this._checkClosed();
    if (typeof coro !== 'function') {
      throw new TypeError(`coro must be a coroutine function (() => Promise), got ${describe(coro)}`);
    }
    const factory = this._taskFactory ?? factorySlots.task;
    if (factory === null) {
      throw new RuntimeError(
        "loop.createTask() needs a Task class: import '@aio/tasks' (or '@aio/asyncio') first",
      );
    }
    return factory<T>(this, coro, opts);
  }

  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function')
      throw new TypeError('factory must be a function or null');
    this._taskFactory = factory;
  }

  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  // ---- DNS ------------------------------------------------------------------------------

  /**
   * Resolves `host`/`port` with the OS resolver (`dns.lookup`); `port` may be a service name
   * (`'http'`). Rejects with RuntimeError on a closed loop.
   */
  async getaddrinfo(
    host: string | null,
    port: string | number | null,
    opts?: GetaddrinfoOptions,
  ): Promise<AddrInfo[]> {
    this._checkClosed();
    return getaddrinfo(host, port, opts);
  }

  /** The host and service names for `sockaddr` (`dns.lookupService`). */
  async getnameinfo(sockaddr: SockAddr, flags = 0): Promise<[host: string, port: string]> {
    this._checkClosed();
    return getnameinfo(sockaddr, flags);
  }

  // ---- networking (internal/connect.ts, internal/serve.ts) --------------------------------

  createConnection<P extends BaseProtocol>(
    protocolFactory: () => P,
    host?: string | null,
    port?: number | string | null,
    opts?: ConnectOptions,
  ): Promise<[Transport, P]> {
    return createConnection(this, protocolFactory, host, port, opts);
  }

  createServer(
    protocolFactory: () => BaseProtocol,
    host?: string | readonly string[] | null,
    port?: number | null,
    opts?: TcpServeOptions,
  ): Promise<Server> {
    return createServer(this, protocolFactory, host, port, opts);
  }

  createUnixConnection<P extends BaseProtocol>(
    protocolFactory: () => P,
    path?: string | null,
    opts?: UnixConnectOptions,
  ): Promise<[Transport, P]> {
    return createUnixConnection(this, protocolFactory, path, opts);
  }

  createUnixServer(
    protocolFactory: () => BaseProtocol,
    path?: string | null,
    opts?: UnixServeOptions,
  ): Promise<Server> {
    return createUnixServer(this, protocolFactory, path, opts);
  }

  connectReadPipe<P extends BaseProtocol>(
    protocolFactory: () => P,
    pipe: import('node:stream').Readable | number,
  ): Promise<[ReadTransport, P]> {
    return connectReadPipe(this, protocolFactory, pipe);
  }

  connectWritePipe<P extends BaseProtocol>(
    protocolFactory: () => P,
    pipe: import('node:stream').Writable | number,
  ): Promise<[WriteTransport, P]> {
    return connectWritePipe(this, protocolFactory, pipe);
  }

  subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: () => P,
    program: string,
    args?: readonly string[],
    opts?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]> {
    return subprocessExec(this, protocolFactory, program, args, opts);
  }

  subprocessShell<P extends SubprocessProtocol>(
    protocolFactory: () => P,
    cmd: string,
    opts?: SubprocessOptions,
  ): Promise<[SubprocessTransport, P]> {
    return subprocessShell(this, protocolFactory, cmd, opts);
  }

  sendfile(
    transport: WriteTransport,
    file: import('node:fs/promises').FileHandle | number,
    offset = 0,
    count: number | null = null,
    opts?: SendfileOptions,
  ): Promise<number> {
    return sendfile(transport, file, offset, count, opts);
  }

  sockRecv(sock: net.Socket, nbytes: number): Promise<Uint8Array> {
    return sockOps.sockRecv(this, sock, nbytes);
  }

  sockRecvInto(sock: net.Socket, buf: Uint8Array): Promise<number> {
    return sockOps.sockRecvInto(this, sock, buf);
  }

  sockRecvfrom(sock: dgram.Socket, bufsize: number): Promise<[Uint8Array, SockAddr]> {
    return sockOps.sockRecvfrom(this, sock, bufsize);
  }

  sockRecvfromInto(sock: dgram.Socket, buf: Uint8Array, nbytes = 0): Promise<[number, SockAddr]> {
    return sockOps.sockRecvfromInto(this, sock, buf, nbytes);
  }

  sockSendall(sock: net.Socket, data: Uint8Array): Promise<void> {
    return sockOps.sockSendall(this, sock, data);
  }

  sockSendto(sock: dgram.Socket, data: Uint8Array, address: SockAddr): Promise<number> {
    return sockOps.sockSendto(this, sock, data, address);
  }

  sockConnect(sock: net.Socket, address: SockAddr): Promise<void> {
    return sockOps.sockConnect(this, sock, address);
  }

  sockAccept(sock: net.Server): Promise<[net.Socket, SockAddr]> {
    return sockOps.sockAccept(this, sock);
  }

  sockSendfile(
    sock: net.Socket,
    file: import('node:fs/promises').FileHandle | number,
    offset = 0,
    count: number | null = null,
    opts?: { fallback?: boolean },
  ): Promise<number> {
    return sockOps.sockSendfile(this, sock, file, offset, count, opts);
  }

  addReader<A extends unknown[]>(fd: number | net.Socket, callback: (...args: A) => void, ...args: A): void {
    this._checkClosed();
    this._checkCallback(callback, 'addReader');
    sockOps.addReader(this, fd, callback, args);
  }

  removeReader(fd: number | net.Socket): boolean {
    return sockOps.removeReader(fd);
  }

  addWriter<A extends unknown[]>(fd: number | net.Socket, callback: (...args: A) => void, ...args: A): void {
    this._checkClosed();
    this._checkCallback(callback, 'addWriter');
    sockOps.addWriter(this, fd, callback, args);
  }

  removeWriter(fd: number | net.Socket): boolean {
    return sockOps.removeWriter(fd);
  }

  createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: () => P,
    localAddr: SockAddr | null = null,
    remoteAddr: SockAddr | null = null,
    opts?: DatagramOptions,
  ): Promise<[DatagramTransport, P]> {
    return createDatagramEndpoint(this, protocolFactory, localAddr, remoteAddr, opts);
  }

  connectAcceptedSocket<P extends BaseProtocol>(
    protocolFactory: () => P,
    sock: import('node:net').Socket,
    opts?: TlsTimeouts & { ssl?: SSLContext },
  ): Promise<[Transport, P]> {
    return connectAcceptedSocket(this, protocolFactory, sock, opts);
  }

  startTls(
    transport: Transport,
    protocol: BaseProtocol,
    sslcontext: SSLContext,
    opts?: TlsTimeouts & { serverSide?: boolean; serverHostname?: string },
  ): Promise<Transport> {
    return startTls(this, transport, protocol, sslcontext, opts);
  }

  // ---- executors ------------------------------------------------------------------------

  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    func: ExecutorFn<A, R>,
    ...args: A
  ): AbstractFuture<Awaited<R>> {
    this._checkClosed();
    let target = executor;
    if (target === null) {
      if (this._executorShutdownCalled) throw new RuntimeError('Executor shutdown has been called');
      target = this._defaultExecutor ??= new ThreadPoolExecutor();
    }
    return this._wrapConcurrentFuture(target.submit(func, ...args));
  }

  setDefaultExecutor(executor: Executor): void {
    if (typeof executor?.submit !== 'function' || typeof executor.shutdown !== 'function') {
      throw new TypeError('executor must be an Executor (with submit() and shutdown())');
    }
    this._defaultExecutor = executor;
  }

  /**
   * @internal A loop future that follows `source`: its result or error arrives through
   * `callSoonThreadsafe`; cancelling the loop future cancels `source`.
   */
  _wrapConcurrentFuture<T>(source: ConcurrentFuture<T>): AbstractFuture<T> {
    const fut = this.createFuture<T>();
    fut.addDoneCallback(() => {
      if (fut.cancelled()) source.cancel();
    });
    source.addDoneCallback(() => {
      if (this._closed) return;
      this.callSoonThreadsafe(() => {
        if (fut.done()) return;
        if (source.cancelled()) fut.cancel();
        else {
          const exception = source._exceptionNow();
          if (exception !== null) fut.setException(exception);
          else fut.setResult(source._resultNow());
        }
      });
    });
    return fut;
  }

  // ---- signals --------------------------------------------------------------------------

  addSignalHandler<A extends unknown[]>(
    sig: NodeJS.Signals | number,
    callback: (...args: A) => void,
    ...args: A
  ): void {
    const name = signalName(sig);
    this._checkClosed();
    this._checkCallback(callback, 'addSignalHandler');
    this.removeSignalHandler(name);
    const listener = () => {
      if (!this._closed) this.callSoon(() => callback(...args));
    };
    process.on(name, listener);
    this._signalHandlers.set(name, listener);
    this._keepAliveForSignals();
  }

  removeSignalHandler(sig: NodeJS.Signals | number): boolean {
    const name = signalName(sig);
    const listener = this._signalHandlers.get(name);
    if (listener === undefined) return false;
    process.removeListener(name, listener);
    this._signalHandlers.delete(name);
    this._keepAliveForSignals();
    return true;
  }

  /**
   * @internal A running loop that waits for signals must keep the process alive, as asyncio's
   * loop blocks; Node's signal listeners alone do not.
   */
  _keepAliveForSignals(): void {
    const wanted = this._running && this._signalHandlers.size > 0;
    if (wanted && this._signalKeepAlive === null) {
      this._signalKeepAlive = setInterval(() => {}, 2 ** 31 - 1);
    } else if (!wanted && this._signalKeepAlive !== null) {
      clearInterval(this._signalKeepAlive);
      this._signalKeepAlive = null;
    }
  }

  // ---- errors and debug -----------------------------------------------------------------

  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(`handler must be a function or null, got ${describe(handler)}`);
    }
    this._exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  defaultExceptionHandler(context: ExceptionContext): void {
    const message = context.message || 'Unhandled exception in event loop';
    const details: string[] = [];
    for (const [key, value] of Object.entries(context)) {
      if (key === 'message' || key === 'exception' || value === undefined) continue;
      details.push(`${key}: ${typeof value === 'string' ? value : String(value)}`);
    }
    const lines = [message, ...details].join('\n');
    if (context.exception !== undefined) logger.error(lines, context.exception);
    else logger.error(lines);
  }

  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (error) {
        logger.error('Exception in default exception handler', error);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (error) {
      try {
        this.defaultExceptionHandler({
          message: 'Unhandled error in exception handler',
          exception: error,
          context,
        });
      } catch (inner) {
        logger.error('Exception in default exception handler while handling an unexpected error', inner);
      }
    }
  }

  getDebug(): boolean {
    return this._debug;
  }

  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  override toString(): string {
    return `<${this.constructor.name} running=${this._running} closed=${this._closed} debug=${this._debug}>`;
  }

  // ---- the scheduler --------------------------------------------------------------------

  /** @internal Makes sure the next batch will happen: soon if there is work, else when a timer is due. */
  _wake(): void {
    if (!this._running || this._batchScheduled) return;
    if (this._ready.length > 0 || this._stopping) {
      this._scheduleBatch();
      return;
    }
    const next = this._nextTimer();
    if (next !== undefined && next._when <= this.time()) this._scheduleBatch();
    else this._idle(next === undefined ? null : next._when);
  }

  /** @internal */
  _scheduleBatch(): void {
    this._batchScheduled = true;
    this._cancelIdle();
    if ((++this._sliceBatches & 63) === 0 && performance.now() - this._sliceStart >= SLICE_MS) {
      // Long enough without a turn: let Node poll I/O first.
      setImmediate(this.#runBatchAfterIo);
    } else if (this._wokeAwaiters) {
      // Run after every microtask, however deep: the woken tasks' steps come first, as in
      // asyncio. A tick queued from a microtask runs once the microtask queue is empty; from a
      // tick it would run first, so a microtask hop comes before it there.
      this._wokeAwaiters = false;
      if (this.#inMicrotask) process.nextTick(this.#runBatch);
      else afterMicrotask(this.#trampoline);
    } else {
      afterMicrotask(this.#runBatchInMicrotask);
    }
  }

  /** @internal One batch, then the next is arranged (or the run ends after `stop()`). */
  _runBatch(): void {
    if (this._running) runOutsideContexts(this.#batch);
  }

  readonly #batch = () => this.#runBatchHere();

  #runBatchHere(): void {
    try {
      this._runOnce();
    } catch (error) {
      this._endRun(error);
      return;
    }
    this._batchScheduled = false;
    if (this._stopping) {
      this._endRun(undefined);
      return;
    }
    this._wake();
    // Going idle: whatever schedules the next batch may not be a microtask.
    if (!this._batchScheduled) this.#inMicrotask = false;
  }

  /** @internal asyncio's `_run_once`: move due timers to the ready queue, run what is ready now. */
  _runOnce(): void {
    this._dropCancelledTimers();
    const timers = this._timers;
    const endTime = timers.size === 0 ? 0 : this.time();
    while (timers.peekWhen() <= endTime) {
      const next = timers.pop()!;
      next._scheduled = false;
      if (!next._cancelled) this._ready.push(next);
      else this._cancelledTimers--;
    }
    const batch = this._ready;
    if (batch.length === 0) return;
    this._ready = this._readySpare;
    const debug = this._debug;
    for (let i = 0; i < batch.length; i++) {
      const handle = batch[i]!;
      if (debug) this._runTimed(handle);
      else handle._run();
    }
    batch.length = 0;
    this._readySpare = batch;
  }

  /** @internal Pops cancelled timers off the top, or rebuilds the heap when they are the majority. */
  _dropCancelledTimers(): void {
    const timers = this._timers;
    if (this._cancelledTimers > MIN_CANCELLED_TIMERS_TO_COMPACT && this._cancelledTimers * 2 > timers.size) {
      timers.filter((handle) => {
        if (!handle._cancelled) return true;
        handle._scheduled = false;
        return false;
      });
      this._cancelledTimers = 0;
      return;
    }
    let top = timers.peek();
    while (top?._cancelled) {
      timers.pop();
      top._scheduled = false;
      this._cancelledTimers--;
      top = timers.peek();
    }
  }

  /** @internal The earliest live timer, if any. */
  _nextTimer(): TimerHandle | undefined {
    this._dropCancelledTimers();
    return this._timers.peek();
  }

  /** @internal Runs a handle and logs it when slower than `slowCallbackDuration` (debug mode). */
  _runTimed(handle: Runnable): void {
    const started = performance.now();
    handle._run();
    const seconds = (performance.now() - started) / 1000;
    if (seconds >= this.slowCallbackDuration) {
      logger.warn(`Executing ${handle} took ${seconds.toFixed(3)} seconds`);
    }
  }

  /** @internal Leaves the running state and settles `runForever`'s promise. */
  _endRun(error: unknown): void {
    this._stopping = false;
    this._running = false;
    this._batchScheduled = false;
    this._cancelIdle();
    this._keepAliveForSignals();
    if (_getRunningLoop() === this) _setRunningLoop(null);
    const settle = this._runSettle;
    this._runSettle = null;
    if (error === undefined) settle?.resolve();
    else settle?.reject(error);
  }

  // ---- checks ---------------------------------------------------------------------------

  /** @internal */
  _checkClosed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  /** @internal */
  _checkRunnable(): void {
    this._checkClosed();
    if (this._running) throw new RuntimeError('This event loop is already running');
    if (_getRunningLoop() !== null) {
      throw new RuntimeError('Cannot run the event loop while another loop is running');
    }
  }

  /** @internal */
  _checkCallback(callback: unknown, method: string): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`${method}: callback must be a function, got ${describe(callback)}`);
    }
  }

  /** @internal */
  _checkSeconds(value: unknown, name: string): void {
    if (typeof value !== 'number')
      throw new TypeError(`${name} must be a number of seconds, got ${describe(value)}`);
    if (Number.isNaN(value)) throw new RangeError(`${name} must not be NaN`);
  }

  /** @internal A future for `runUntilComplete`: futures as they are, coroutine functions as tasks. */
  _ensureFuture<T>(aw: AwaitableLike<T>): AbstractFuture<T> {
    if (hasFutureBrand(aw)) return aw as AbstractFuture<T>;
    if (typeof aw === 'function') return this.createTask(aw as CoroutineFunction<T>);
    if (aw !== null && typeof (aw as PromiseLike<T>)?.then === 'function') {
      const fut = this.createFuture<T>();
      (aw as PromiseLike<T>).then(
        (value) => {
          if (!fut.done()) fut.setResult(value);
        },
        (error) => {
          if (!fut.done()) fut.setException(error);
        },
      );
      return fut;
    }
    throw new TypeError(
      `An asyncio.Future, a coroutine function or a promise is required, got ${describe(aw)}`,
    );
  }
}

function signalName(sig: NodeJS.Signals | number): NodeJS.Signals {
  const signals = os.constants.signals as Record<string, number>;
  let name: string | undefined;
  if (typeof sig === 'number') name = Object.keys(signals).find((key) => signals[key] === sig);
  else if (typeof sig === 'string' && sig in signals) name = sig;
  else if (typeof sig !== 'string')
    throw new TypeError(`sig must be a signal name or number, got ${describe(sig)}`);
  if (name === undefined) throw new RangeError(`sig ${String(sig)} is not a valid signal`);
  if (UNCATCHABLE_SIGNALS.has(name)) throw new RangeError(`sig ${name} cannot be caught`);
  return name as NodeJS.Signals;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * @aio/loop: the event loop of @aio (Python's asyncio for Node.js) and everything that sits
 * directly on it. No other @aio package is needed to use it.
 */
export {
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
export { BaseEventLoop, type Runnable } from './base-event-loop';
export { ConcurrentFuture } from './concurrent-future';
export { Context, ContextVar, copyContext, Token } from './context';
export { _getCurrentLoopHook, _setCurrentLoopHook, type CurrentLoopHook } from './current-loop-hook';
export type { AddrInfo, GetaddrinfoOptions } from './dns';
export {
  CancelledError,
  type ErrorMatch,
  ExceptionGroup,
  InvalidStateError,
  KeyboardInterrupt,
  NotImplementedError,
  RuntimeError,
  SendfileNotAvailableError,
  TimeoutError,
} from './errors';
export { EventLoop, SelectorEventLoop } from './event-loop';
export type { Executor, ExecutorFn, WorkerRef } from './executor';
export { Handle, TimerHandle } from './handle';
export {
  _currentContext,
  _currentTaskFromContext,
  _futureBrand,
  _hasFutureBrand,
  _hasRunnableQueue,
  _runInContext,
  _setDefaultTaskFactory,
  _setFutureFactory,
  _snapshotOf,
  type FutureFactory,
} from './internal-api';
export { type Logger, logger, setLogger } from './logger';
export type {
  ConnectOptions,
  DatagramOptions,
  ServeOptions,
  SSLContext,
  TcpServeOptions,
  TlsTimeouts,
  UnixConnectOptions,
  UnixServeOptions,
} from './network-options';
export {
  BaseProtocol,
  BufferedProtocol,
  DatagramProtocol,
  Protocol,
  SubprocessProtocol,
} from './protocols';
export { _getRunningLoop, _setRunningLoop, getRunningLoop } from './running-loop';
export { AbstractServer, Server, type TransportSocket } from './server';
export { DEVNULL, PIPE, STDOUT, type Stdio, type SubprocessOptions } from './subprocess-options';
export { ThreadPoolExecutor } from './thread-pool-executor';
export {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from './transports';
export {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_ADDRCONFIG,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_PASSIVE,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_STREAM,
  type SockAddr,
} from './types';
export {
  newVirtualTimeEventLoop,
  VirtualTimeEventLoop,
  type VirtualTimeOptions,
} from './virtual-time-event-loop';

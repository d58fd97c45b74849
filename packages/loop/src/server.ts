/**
 * Servers: what `loop.createServer()` and `loop.createUnixServer()` return (asyncio's
 * `Server`). A server owns its listening Node servers (one per address) and counts the
 * connections it accepted, so that `waitClosed()` can wait for all of them to end.
 */
import type net from 'node:net';
import type { AbstractEventLoop, AbstractFuture } from './abstract-event-loop';
import { RuntimeError } from './errors';
import { familyNumber, serverSockAddr } from './internal/addresses';
import type { SocketTransport } from './internal/socket-transport';
import { Waiter } from './internal/waiter';
import { AF_UNIX, IPPROTO_TCP, SOCK_STREAM, type SockAddr } from './types';

/**
 * A listening socket of a server, read-only (asyncio's `TransportSocket`).
 *
 * @example
 * const [host, port] = server.sockets[0]!.getsockname() as [string, number];
 */
export interface TransportSocket {
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  /** The file descriptor, or -1 when Node does not tell it. */
  fileno(): number;
  getsockname(): SockAddr;
  getpeername(): SockAddr;
}

/**
 * The server interface (asyncio's `AbstractServer`). `await using server = ...` closes it and
 * waits for its connections to end.
 *
 * **Cancellation**: see each method.
 */
export abstract class AbstractServer implements AsyncDisposable {
  /** Stops listening; connections already accepted stay open. Idempotent. */
  abstract close(): void;
  /** Closes every connection of the server (`transport.close()`). */
  abstract closeClients(): void;
  /** Aborts every connection of the server (`transport.abort()`). */
  abstract abortClients(): void;
  abstract getLoop(): AbstractEventLoop;
  /** Whether the server accepts connections. */
  abstract isServing(): boolean;
  /** Starts accepting connections (idempotent). */
  abstract startServing(): Promise<void>;
  /** Serves until the awaiting task is cancelled; the cancellation closes the server. */
  abstract serveForever(): Promise<never>;
  /** Waits until the server is closed and every connection it accepted is gone. */
  abstract waitClosed(): Promise<void>;

  /** `close()` then `waitClosed()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }
}

class ListeningSocket implements TransportSocket {
  readonly type = SOCK_STREAM;
  readonly family: number;
  readonly proto: number;
  readonly #server: net.Server;

  constructor(server: net.Server) {
    this.#server = server;
    const address = server.address();
    this.family = typeof address === 'string' || address === null ? AF_UNIX : familyNumber(address.family);
    this.proto = this.family === AF_UNIX ? 0 : IPPROTO_TCP;
  }

  fileno(): number {
    const fd = (this.#server as unknown as { _handle?: { fd?: number } })._handle?.fd;
    return typeof fd === 'number' ? fd : -1;
  }

  getsockname(): SockAddr {
    return serverSockAddr(this.#server);
  }

  getpeername(): SockAddr {
    throw Object.assign(new Error('getpeername: a listening socket is not connected'), { code: 'ENOTCONN' });
  }

  toString(): string {
    return `<TransportSocket family=${this.family} laddr=${JSON.stringify(this.getsockname())}>`;
  }
}

/** How the server starts one of its Node servers listening (asyncio binds earlier; Node binds in `listen`). */
export type ListenStart = (server: net.Server) => Promise<void>;

/**
 * A running server (asyncio's `Server`). Made by `loop.createServer()`/`createUnixServer()`
 * (and @aio/streams' `startServer`).
 *
 * @example
 * await using server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
 * const [, port] = server.sockets[0]!.getsockname() as [string, number];
 *
 * **Cancellation**: `serveForever()` cancelled closes the server and waits for it to close;
 * `waitClosed()` cancelled stops waiting (the server is not affected).
 */
export class Server extends AbstractServer {
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal `null` once closed. */ _servers: net.Server[] | null;
  /** @internal */ readonly _listen: ListenStart;
  /** @internal */ _serving = false;
  /** @internal */ _listening: Promise<void> | null = null;
  /** @internal */ _activeCount = 0;
  /** @internal */ readonly _clients = new Set<SocketTransport>();
  /** @internal `null` after the server closed and its last connection ended. */
  _waiters: Waiter<void>[] | null = [];
  /** @internal */ _serveForeverFut: AbstractFuture<never> | null = null;

  /** @internal Use `loop.createServer()`. */
  constructor(loop: AbstractEventLoop, servers: net.Server[], listen: ListenStart) {
    super();
    this._loop = loop;
    this._servers = servers;
    this._listen = listen;
  }

  /** The listening sockets; empty once closed (or before `startServing` when made with `startServing: false`). */
  get sockets(): readonly TransportSocket[] {
    if (this._servers === null) return [];
    return this._servers.filter((s) => s.listening).map((s) => new ListeningSocket(s));
  }

  /** @internal A connection was accepted. */
  _attach(transport: SocketTransport): void {
    this._activeCount++;
    this._clients.add(transport);
  }

  /** @internal A connection ended. */
  _detach(transport: SocketTransport): void {
    this._activeCount--;
    this._clients.delete(transport);
    if (this._activeCount === 0 && this._servers === null) this._wakeup();
  }

  /** @internal */
  _wakeup(): void {
    const waiters = this._waiters;
    this._waiters = null;
    for (const waiter of waiters ?? []) waiter.resolve();
  }

  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  isServing(): boolean {
    return this._serving;
  }

  close(): void {
    const servers = this._servers;
    if (servers === null) return;
    this._servers = null;
    for (const server of servers) {
      server.removeAllListeners('connection');
      server.removeAllListeners('secureConnection');
      if (server.listening) server.close();
    }
    this._serving = false;
    const fut = this._serveForeverFut;
    if (fut !== null && !fut.done()) fut.cancel();
    if (this._activeCount === 0) this._wakeup();
  }

  closeClients(): void {
    for (const transport of [...this._clients]) transport.close();
  }

  abortClients(): void {
    for (const transport of [...this._clients]) transport.abort();
  }

  async startServing(): Promise<void> {
    if (this._servers === null) throw new RuntimeError(`${this} is closed`);
    if (this._listening === null) {
      const servers = this._servers;
      this._listening = Promise.all(servers.map((s) => this._listen(s))).then(
        () => {
          if (this._servers !== null) this._serving = true;
        },
        (error: unknown) => {
          for (const s of servers) if (s.listening) s.close();
          throw error;
        },
      );
    }
    await this._listening;
  }

  async serveForever(): Promise<never> {
    if (this._serveForeverFut !== null)
      throw new RuntimeError(`server ${this} is already being awaited on serveForever()`);
    if (this._servers === null) throw new RuntimeError(`server ${this} is closed`);
    await this.startServing();
    const fut = this._loop.createFuture<never>();
    this._serveForeverFut = fut;
    try {
      return await fut;
    } catch (error) {
      if (fut.cancelled()) {
        this.close();
        try {
          await this.waitClosed();
        } catch {
          // Cancelled again while closing: the first cancellation is the one that goes on.
        }
      }
      throw error;
    } finally {
      this._serveForeverFut = null;
    }
  }

  async waitClosed(): Promise<void> {
    if (this._waiters === null) return;
    const waiter = new Waiter<void>(this._loop);
    this._waiters.push(waiter);
    try {
      await waiter.promise;
    } finally {
      const i = this._waiters?.indexOf(waiter) ?? -1;
      if (i >= 0) this._waiters?.splice(i, 1);
    }
  }

  override toString(): string {
    return `<Server sockets=[${this.sockets.map(String).join(', ')}]>`;
  }
}

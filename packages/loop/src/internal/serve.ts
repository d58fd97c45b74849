/**
 * Servers: `createServer` and `createUnixServer` on Node's `net`/`tls` servers. One Node server
 * listens per address (several hosts, or a name with IPv4 and IPv6 addresses); each accepted
 * socket becomes a `SocketTransport` for a new protocol, attached to the `Server`.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext } from '../context';
import { getaddrinfo } from '../dns';
import { NotImplementedError } from '../errors';
import { logger } from '../logger';
import type { ServeOptions, TcpServeOptions, UnixServeOptions } from '../network-options';
import type { BaseProtocol } from '../protocols';
import { type ListenStart, Server } from '../server';
import { AF_INET6, AI_PASSIVE, SOCK_STREAM } from '../types';
import { checkHost, checkPath, checkPort } from './addresses';
import { checkFactory, checkLoopOpen, checkOptions, checkTlsArgs, makeProtocol } from './connect';
import { ReadSink } from './read-buffer';
import { SocketTransport } from './socket-transport';
import { tlsOptions, wantsTls } from './tls-options';

const DEFAULT_BACKLOG = 100;
const HANDSHAKE_TIMEOUT = 60;
const REUSE_PORT_SUPPORTED = (() => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
})();

function checkBacklog(backlog: unknown): number {
  if (backlog === undefined || backlog === null) return DEFAULT_BACKLOG;
  if (typeof backlog !== 'number' || !Number.isInteger(backlog))
    throw new TypeError(`backlog must be an integer, got ${describe(backlog)}`);
  return backlog;
}

/** A Node server whose accepted connections become transports of `server` (set later). */
function makeNodeServer(
  loop: AbstractEventLoop,
  protocolFactory: () => BaseProtocol,
  opts: ServeOptions & { keepAlive?: boolean },
  ctx: Context,
  holder: { server: Server | null; unixPath?: string },
  existing?: net.Server,
): net.Server {
  const secure = wantsTls(opts.ssl);
  const base = { allowHalfOpen: true, noDelay: true, keepAlive: Boolean(opts.keepAlive) };
  const accept = (sock: net.Socket) => {
    const server = holder.server;
    if (server === null || server._servers === null) {
      sock.destroy();
      return;
    }
    const sink = new ReadSink();
    if (!secure) sink.adopt(sock);
    let protocol: BaseProtocol;
    try {
      protocol = makeProtocol(protocolFactory, ctx);
    } catch (exception) {
      sock.destroy();
      loop.callExceptionHandler({
        message: 'Error on transport creation for incoming connection',
        exception,
      });
      return;
    }
    const extra: Record<string, unknown> = secure ? { sslcontext: opts.ssl } : {};
    if (holder.unixPath !== undefined) {
      extra.sockname = holder.unixPath;
      extra.peername = '';
    }
    new SocketTransport(loop, sock, protocol, { extra, server, sink, context: ctx.copy() });
  };
  let nodeServer: net.Server;
  if (existing !== undefined) {
    nodeServer = existing;
    nodeServer.on(existing instanceof tls.Server ? 'secureConnection' : 'connection', accept);
  } else if (secure) {
    const handshakeTimeout = Math.round((opts.sslHandshakeTimeout ?? HANDSHAKE_TIMEOUT) * 1000);
    nodeServer = tls.createServer({
      ...base,
      ...(tlsOptions(opts.ssl, 'ssl', false) as tls.TlsOptions),
      handshakeTimeout,
    });
    nodeServer.on('secureConnection', accept);
    nodeServer.on('tlsClientError', (err) => {
      if (loop.getDebug()) logger.debug('TLS handshake failed on an incoming connection', err);
    });
  } else {
    nodeServer = net.createServer(base);
    nodeServer.on('connection', accept);
  }
  nodeServer.on('error', (exception) => {
    // After listening, Node reports accept() failures here (asyncio logs them and goes on).
    if (nodeServer.listening && !loop.isClosed())
      loop.callExceptionHandler({ message: 'socket.accept() failed', exception, socket: nodeServer });
  });
  return nodeServer;
}

/** `server.listen(options)` as a promise that rejects with Node's error (EADDRINUSE, ...). */
function listenWith(options: net.ListenOptions): ListenStart {
  return (server) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(options, () => {
        server.removeListener('error', onError);
        resolve();
      });
    });
}

async function finishServer(
  loop: AbstractEventLoop,
  servers: net.Server[],
  listen: ListenStart,
  holder: { server: Server | null },
  startServing: unknown,
): Promise<Server> {
  const server = new Server(loop, servers, listen);
  holder.server = server;
  if (startServing === undefined || startServing) {
    try {
      await server.startServing();
    } catch (error) {
      server.close();
      throw error;
    }
  }
  return server;
}

/** `sock` option of a server: an existing `net.Server`, or `{ fd }` of a listening socket. */
function serverFromSock(
  sock: NonNullable<ServeOptions['sock']>,
  make: (existing?: net.Server) => net.Server,
  backlog: number,
): [net.Server, ListenStart] {
  if (sock instanceof net.Server) {
    if (!sock.listening) throw new RangeError('sock must be a listening net.Server');
    return [make(sock), async () => {}];
  }
  if (typeof sock !== 'object' || typeof (sock as { fd?: unknown }).fd !== 'number')
    throw new TypeError(`sock must be a net.Server or { fd: number }, got ${describe(sock)}`);
  return [make(), listenWith({ fd: (sock as { fd: number }).fd, backlog } as net.ListenOptions)];
}

export async function createServer(
  loop: AbstractEventLoop,
  protocolFactory: () => BaseProtocol,
  host?: string | readonly string[] | null,
  port?: number | null,
  opts: TcpServeOptions = {},
): Promise<Server> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkOptions(opts);
  if (Array.isArray(host)) for (const [i, h] of host.entries()) checkHost(h, `host[${i}]`);
  else checkHost(host);
  const portNumber = checkPort(port);
  const backlog = checkBacklog(opts.backlog);
  checkTlsArgs(opts.ssl, opts);
  if (opts.reuseAddress === false && process.platform !== 'win32')
    throw new NotImplementedError('reuseAddress: false is not available: Node always sets SO_REUSEADDR');
  if (opts.reusePort && !REUSE_PORT_SUPPORTED)
    throw new NotImplementedError(`reusePort needs Node >= 22.12 (this is ${process.versions.node})`);
  const ctx = copyContext();
  const holder: { server: Server | null } = { server: null };
  const make = (existing?: net.Server) => makeNodeServer(loop, protocolFactory, opts, ctx, holder, existing);

  if (opts.sock != null) {
    if (host != null || portNumber != null)
      throw new RangeError('host/port and sock can not be specified at the same time');
    const [server, listen] = serverFromSock(opts.sock, make, backlog);
    return finishServer(loop, [server], listen, holder, opts.startServing);
  }

  // One listening socket per address, as asyncio binds one per getaddrinfo() result.
  const hosts: (string | null)[] =
    host === undefined || host === null || host === ''
      ? [null]
      : typeof host === 'string'
        ? [host]
        : [...host];
  const listenOptions = new Map<net.Server, net.ListenOptions>();
  const servers: net.Server[] = [];
  const seen = new Set<string>();
  for (const h of hosts) {
    const addresses: { address: string | undefined; family: number }[] = [];
    if (h === null || h === '') {
      addresses.push({ address: undefined, family: 0 });
    } else {
      const infos = await getaddrinfo(h, portNumber ?? 0, {
        family: opts.family ?? 0,
        type: SOCK_STREAM,
        flags: AI_PASSIVE | (opts.flags ?? 0),
      });
      for (const [family, , , , sockaddr] of infos) {
        if (Array.isArray(sockaddr)) addresses.push({ address: sockaddr[0], family });
      }
    }
    for (const { address, family } of addresses) {
      const key = `${address}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const server = make();
      const options: net.ListenOptions = { port: portNumber ?? 0, backlog };
      if (address !== undefined) options.host = address;
      if (family === AF_INET6) options.ipv6Only = true;
      if (opts.reusePort) (options as { reusePort?: boolean }).reusePort = true;
      listenOptions.set(server, options);
      servers.push(server);
    }
  }
  const listen: ListenStart = (server) => listenWith(listenOptions.get(server) ?? {})(server);
  return finishServer(loop, servers, listen, holder, opts.startServing);
}

export async function createUnixServer(
  loop: AbstractEventLoop,
  protocolFactory: () => BaseProtocol,
  path?: string | null,
  opts: UnixServeOptions = {},
): Promise<Server> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkOptions(opts);
  const backlog = checkBacklog(opts.backlog);
  checkTlsArgs(opts.ssl, opts);
  if (opts.cleanupSocket === false)
    throw new NotImplementedError(
      'cleanupSocket: false is not available: Node removes the socket file on close',
    );
  const ctx = copyContext();
  if (path != null) {
    if (opts.sock != null) throw new RangeError('path and sock can not be specified at the same time');
    checkPath(path);
    removeStaleSocket(path);
    const holder: { server: Server | null; unixPath?: string } = { server: null, unixPath: path };
    const server = makeNodeServer(loop, protocolFactory, opts, ctx, holder);
    return finishServer(loop, [server], listenWith({ path, backlog }), holder, opts.startServing);
  }
  if (opts.sock == null) throw new RangeError('path was not specified, and no sock specified');
  const holder: { server: Server | null } = { server: null };
  const [server, listen] = serverFromSock(
    opts.sock,
    (existing) => makeNodeServer(loop, protocolFactory, opts, ctx, holder, existing),
    backlog,
  );
  return finishServer(loop, [server], listen, holder, opts.startServing);
}

/** asyncio removes a stale socket file left by a dead server before binding (never a regular file). */
function removeStaleSocket(path: string): void {
  if (path.startsWith('\0') || path.startsWith('\\\\')) return;
  try {
    if (fs.statSync(path).isSocket()) fs.unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

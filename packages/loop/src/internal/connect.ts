/**
 * Client connections: `createConnection`, `createUnixConnection`, `connectAcceptedSocket` and
 * `startTls` (asyncio's `base_events` and `selector_events` parts of them), on Node's `net` and
 * `tls`. Node resolves names and connects; the result is wrapped in a `SocketTransport`, and
 * the method resolves once the protocol's `connectionMade` has run, as asyncio's waiter does.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext, runInContext } from '../context';
import { ExceptionGroup, RuntimeError } from '../errors';
import type { ConnectOptions, SSLContext, TlsTimeouts, UnixConnectOptions } from '../network-options';
import type { BaseProtocol } from '../protocols';
import type { Transport } from '../transports';
import { checkHost, checkPath, checkPort, checkTimeout, nodeFamily, splitSockAddr } from './addresses';
import { ReadSink } from './read-buffer';
import { type ServerHooks, SocketTransport } from './socket-transport';
import { handshakeTimer, tlsOptions, wantsTls } from './tls-options';
import { waitFor } from './waiter';

export function checkFactory(factory: unknown): void {
  if (typeof factory !== 'function')
    throw new TypeError(`protocolFactory must be a function returning a protocol, got ${describe(factory)}`);
}

export function checkOptions(opts: unknown, name = 'opts'): void {
  if (opts !== undefined && (opts === null || typeof opts !== 'object'))
    throw new TypeError(`${name} must be an options object, got ${describe(opts)}`);
}

export function checkLoopOpen(loop: AbstractEventLoop): void {
  if (loop.isClosed()) throw new RuntimeError('Event loop is closed');
}

/** Calls the protocol factory in `ctx` and checks what it returns. */
export function makeProtocol<P extends BaseProtocol>(factory: () => P, ctx: Context): P {
  let protocol: P | undefined;
  runInContext(
    ctx,
    null,
    () => {
      protocol = factory();
    },
    undefined,
  );
  if (protocol === null || typeof protocol !== 'object')
    throw new TypeError(`protocolFactory returned ${describe(protocol)}, not a protocol`);
  return protocol;
}

/** The checks asyncio makes on the TLS-related options. */
export function checkTlsArgs(ssl: unknown, opts: TlsTimeouts & { serverHostname?: unknown }): void {
  const secure = wantsTls(ssl);
  if (opts.serverHostname != null && !secure)
    throw new RangeError('serverHostname is only meaningful with ssl');
  if (opts.sslHandshakeTimeout != null && !secure)
    throw new RangeError('sslHandshakeTimeout is only meaningful with ssl');
  if (opts.sslShutdownTimeout != null && !secure)
    throw new RangeError('sslShutdownTimeout is only meaningful with ssl');
  checkTimeout(opts.sslHandshakeTimeout, 'sslHandshakeTimeout');
  checkTimeout(opts.sslShutdownTimeout, 'sslShutdownTimeout');
  if (opts.serverHostname != null && typeof opts.serverHostname !== 'string')
    throw new TypeError(`serverHostname must be a string, got ${describe(opts.serverHostname)}`);
}

interface Dial {
  /** Makes the socket; `sink` receives reads if the socket reads through a reused buffer. */
  open(sink: ReadSink): net.Socket;
  /** The event that says the connection is ready. */
  readyEvent: 'connect' | 'secureConnect' | 'secure' | null;
  tls: boolean;
  handshakeTimeout?: number | undefined;
  extra: Record<string, unknown>;
  server?: ServerHooks | null;
}

/**
 * Opens a connection as `dial` says, then wraps it for a protocol from `factory`; resolves once
 * `connectionMade` ran. Cancelling the wait destroys the socket (or closes the transport).
 */
export function dialAndWrap<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  factory: () => P,
  dial: Dial,
): Promise<[Transport, P]> {
  const ctx = copyContext();
  let sock: net.Socket | null = null;
  let transport: SocketTransport | null = null;
  return waitFor<[Transport, P]>(
    loop,
    (resolve, reject) => {
      const sink = new ReadSink();
      sock = dial.open(sink);
      const opened = sock;
      const stopTimer = dial.tls ? handshakeTimer(loop, opened, dial.handshakeTimeout) : () => {};
      const onError = (err: Error) => {
        stopTimer();
        opened.destroy();
        reject(err);
      };
      const onReady = () => {
        stopTimer();
        opened.removeListener('error', onError);
        let protocol: P;
        try {
          protocol = makeProtocol(factory, ctx);
        } catch (error) {
          opened.destroy();
          reject(error);
          return;
        }
        const made = new SocketTransport(loop, opened, protocol, {
          extra: dial.extra,
          sink,
          context: ctx,
          server: dial.server ?? null,
          onReady: () => resolve([made, protocol]),
        });
        transport = made;
      };
      opened.once('error', onError);
      if (dial.readyEvent === null) onReady();
      else opened.once(dial.readyEvent, onReady);
    },
    () => {
      if (transport !== null) (transport as SocketTransport).close();
      else (sock as net.Socket | null)?.destroy();
    },
  );
}

/** Whether `sock` is connected (else it may still be connecting). */
function isConnected(sock: net.Socket): boolean {
  return !sock.connecting && !sock.destroyed && sock.remoteAddress !== undefined;
}

function adoptSocket(sock: unknown): net.Socket {
  if (!(sock instanceof net.Socket)) throw new TypeError(`sock must be a net.Socket, got ${describe(sock)}`);
  if (sock.destroyed) throw new RangeError('sock is closed');
  if (!sock.connecting && !isConnected(sock) && !(sock as { _handle?: unknown })._handle)
    throw new RangeError('sock must be a connected (or connecting) socket');
  return sock;
}

/** The event to wait for on an existing socket: none if it is connected already. */
function plainReadyEvent(sock: net.Socket): 'connect' | null {
  return sock.connecting ? 'connect' : null;
}

export async function createConnection<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  host?: string | null,
  port?: number | string | null,
  opts: ConnectOptions = {},
): Promise<[Transport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkHost(host);
  const portNumber = checkPort(port);
  checkOptions(opts);
  const { ssl, sock, localAddr, happyEyeballsDelay, allErrors } = opts;
  checkTlsArgs(ssl, opts);
  const secure = wantsTls(ssl);
  const family = nodeFamily(opts.family);
  let servername = opts.serverHostname;
  if (secure && servername == null) {
    if (!host) throw new RangeError('You must set serverHostname when using ssl without a host');
    servername = host;
  }
  const tlsOpts = secure ? tlsOptions(ssl) : null;
  const extra: Record<string, unknown> = secure ? { sslcontext: ssl } : {};
  if (happyEyeballsDelay != null && (typeof happyEyeballsDelay !== 'number' || !(happyEyeballsDelay >= 0)))
    throw new TypeError(
      `happyEyeballsDelay must be a non-negative number, got ${describe(happyEyeballsDelay)}`,
    );

  let dial: Dial;
  if (sock !== undefined && sock !== null) {
    if (host != null || portNumber != null)
      throw new RangeError('host/port and sock can not be specified at the same time');
    const existing = adoptSocket(sock);
    dial = secure
      ? {
          open: () => tls.connect({ ...tlsOpts, socket: existing, servername: sniName(servername) }),
          readyEvent: 'secureConnect',
          tls: true,
          handshakeTimeout: opts.sslHandshakeTimeout,
          extra,
        }
      : { open: () => existing, readyEvent: plainReadyEvent(existing), tls: false, extra };
  } else {
    if (host == null && portNumber == null)
      throw new RangeError('host and port was not specified and no sock specified');
    const connectOpts: net.TcpNetConnectOpts = {
      host: host ?? 'localhost',
      port: portNumber ?? 0,
      family,
      allowHalfOpen: true,
      noDelay: true,
    };
    if (localAddr != null) {
      const local = splitSockAddr(localAddr, 'localAddr');
      if (!('host' in local)) throw new TypeError('localAddr must be a [host, port] tuple');
      connectOpts.localAddress = local.host;
      connectOpts.localPort = local.port;
    }
    if (happyEyeballsDelay != null) {
      connectOpts.autoSelectFamily = true;
      connectOpts.autoSelectFamilyAttemptTimeout = Math.max(10, Math.round(happyEyeballsDelay * 1000));
    }
    dial = secure
      ? {
          open: () => tls.connect({ ...connectOpts, ...tlsOpts, servername: sniName(servername) }),
          readyEvent: 'secureConnect',
          tls: true,
          handshakeTimeout: opts.sslHandshakeTimeout,
          extra,
        }
      : {
          open: (sink) => net.connect({ ...connectOpts, onread: sink.onreadOption() }),
          readyEvent: 'connect',
          tls: false,
          extra,
        };
  }
  const connecting = dialAndWrap(loop, protocolFactory, dial);
  if (!allErrors) return connecting;
  return connecting.catch((error: unknown) => {
    const errors =
      error instanceof AggregateError && !(error instanceof ExceptionGroup) ? error.errors : [error];
    throw new ExceptionGroup('createConnection failed', errors);
  });
}

/** Node refuses an IP address as SNI name; asyncio checks the certificate against it all the same. */
function sniName(name: string | undefined): string | undefined {
  return name === undefined || net.isIP(name) !== 0 ? undefined : name;
}

export async function createUnixConnection<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  path?: string | null,
  opts: UnixConnectOptions = {},
): Promise<[Transport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkOptions(opts);
  const { ssl, sock } = opts;
  checkTlsArgs(ssl, opts);
  const secure = wantsTls(ssl);
  if (secure && opts.serverHostname == null)
    throw new RangeError('you have to pass serverHostname when using ssl');
  const tlsOpts = secure ? tlsOptions(ssl) : null;
  const servername = sniName(opts.serverHostname);
  let open: (sink: ReadSink) => net.Socket;
  let readyEvent: Dial['readyEvent'];
  const extra: Record<string, unknown> = secure ? { sslcontext: ssl } : {};
  if (path != null) {
    if (sock != null) throw new RangeError('path and sock can not be specified at the same time');
    checkPath(path);
    extra.peername = path;
    extra.sockname = '';
    open = secure
      ? () => tls.connect({ ...tlsOpts, path, servername, allowHalfOpen: true } as tls.ConnectionOptions)
      : (sink) => net.connect({ path, allowHalfOpen: true, onread: sink.onreadOption() });
    readyEvent = secure ? 'secureConnect' : 'connect';
  } else {
    if (sock == null) throw new RangeError('no path and sock were specified');
    const existing = adoptSocket(sock);
    open = secure ? () => tls.connect({ ...tlsOpts, socket: existing, servername }) : () => existing;
    readyEvent = secure ? 'secureConnect' : plainReadyEvent(existing);
  }
  return dialAndWrap(loop, protocolFactory, {
    open,
    readyEvent,
    tls: secure,
    handshakeTimeout: opts.sslHandshakeTimeout,
    extra,
  });
}

export async function connectAcceptedSocket<P extends BaseProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  sock: net.Socket,
  opts: TlsTimeouts & { ssl?: SSLContext } = {},
): Promise<[Transport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkOptions(opts);
  checkTlsArgs(opts.ssl, opts);
  const existing = adoptSocket(sock);
  const secure = wantsTls(opts.ssl);
  if (!secure)
    return dialAndWrap(loop, protocolFactory, {
      open: () => existing,
      readyEvent: null,
      tls: false,
      extra: {},
    });
  const tlsOpts = tlsOptions(opts.ssl, 'ssl', false);
  return dialAndWrap(loop, protocolFactory, {
    open: () => new tls.TLSSocket(existing, { ...tlsOpts, isServer: true }),
    readyEvent: 'secure',
    tls: true,
    handshakeTimeout: opts.sslHandshakeTimeout,
    extra: { sslcontext: opts.ssl },
  });
}

/**
 * Upgrades a live connection to TLS: the old transport gives up its socket (no callback of it
 * runs again), a TLS socket is made over it, and a new transport with the same protocol is
 * returned once the handshake is done. The protocol's `connectionMade` is not called again.
 */
export async function startTls(
  loop: AbstractEventLoop,
  transport: Transport,
  protocol: BaseProtocol,
  sslcontext: SSLContext,
  opts: TlsTimeouts & { serverSide?: boolean; serverHostname?: string } = {},
): Promise<Transport> {
  checkLoopOpen(loop);
  if (!(transport instanceof SocketTransport))
    throw new TypeError(`transport ${describe(transport)} is not supported by startTls()`);
  if (protocol === null || typeof protocol !== 'object')
    throw new TypeError(`protocol must be a protocol object, got ${describe(protocol)}`);
  checkOptions(opts);
  checkTlsArgs(sslcontext, opts);
  if (transport._tls) throw new RuntimeError('the transport is already using TLS');
  if (transport.isClosing()) throw new RuntimeError('the transport is closing');
  const serverSide = Boolean(opts.serverSide);
  const tlsOpts = tlsOptions(sslcontext, 'sslcontext', !serverSide);
  const ctx = transport._ctx;
  const server = transport._server;
  const wasReading = transport.isReading();
  const raw = transport._detachSocket();
  let secured: tls.TLSSocket | null = null;
  let upgraded: SocketTransport | null = null;
  return waitFor<Transport>(
    loop,
    (resolve, reject) => {
      const tlsSock = serverSide
        ? new tls.TLSSocket(raw, { ...tlsOpts, isServer: true })
        : tls.connect({ ...tlsOpts, socket: raw, servername: sniName(opts.serverHostname) });
      secured = tlsSock;
      const stopTimer = handshakeTimer(loop, tlsSock, opts.sslHandshakeTimeout);
      const onError = (err: Error) => {
        stopTimer();
        tlsSock.destroy();
        reject(err);
      };
      tlsSock.once('error', onError);
      tlsSock.once(serverSide ? 'secure' : 'secureConnect', () => {
        stopTimer();
        tlsSock.removeListener('error', onError);
        const made = new SocketTransport(loop, tlsSock, protocol, {
          extra: { ...transport._extra, sslcontext, socket: tlsSock },
          context: ctx,
          server,
          skipConnectionMade: true,
          paused: !wasReading,
          onReady: () => resolve(made),
        });
        upgraded = made;
        server?._detach(transport);
      });
    },
    () => {
      if (upgraded !== null) (upgraded as SocketTransport).close();
      else {
        (secured as tls.TLSSocket | null)?.destroy();
        raw.destroy();
        server?._detach(transport);
      }
    },
  );
}

/**
 * Option types of the loop's networking methods (`createConnection`, `createServer`, their Unix
 * variants, `createDatagramEndpoint`, `startTls`). Python's keyword-only arguments, camelCased.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';
import type tls from 'node:tls';
import type { SockAddr } from './types';

/** Python's `SSLContext`, for Node: a secure context or TLS options (`ssl: true` = Node's default client context). */
export type SSLContext = tls.SecureContext | tls.ConnectionOptions | tls.TlsOptions;

/** Options of the methods that may do a TLS handshake. */
export interface TlsTimeouts {
  /** Seconds the TLS handshake may take (default 60). */
  sslHandshakeTimeout?: number;
  /** Seconds the TLS shutdown may take (default 30). */
  sslShutdownTimeout?: number;
}

/** Options of `loop.createConnection()`. */
export interface ConnectOptions extends TlsTimeouts {
  /** TLS: `true` (Node's default client context), a secure context or TLS options. */
  ssl?: boolean | SSLContext;
  /** `AF_INET` or `AF_INET6` to restrict name resolution (default: either). */
  family?: number;
  proto?: number;
  flags?: number;
  /** An existing connected (or connecting) socket to use instead of host and port. */
  sock?: net.Socket;
  /** Bind the socket to this `[host, port]` first. */
  localAddr?: SockAddr;
  /** The name the server's certificate is checked against (default: `host`). */
  serverHostname?: string;
  /** Happy Eyeballs (RFC 8305): seconds before the next address is tried in parallel (Node's `autoSelectFamily`). */
  happyEyeballsDelay?: number;
  interleave?: number;
  /** Reject with an `ExceptionGroup` of every attempt's error. */
  allErrors?: boolean;
}

/** Options of `loop.createUnixConnection()`. */
export interface UnixConnectOptions extends TlsTimeouts {
  ssl?: boolean | SSLContext;
  sock?: net.Socket;
  serverHostname?: string;
}

/** Options every server has. */
export interface ServeOptions extends TlsTimeouts {
  /** An existing `net.Server`, or `{ fd }` of a listening socket, to serve on. */
  sock?: net.Server | { fd: number };
  /** The listen backlog (default 100). */
  backlog?: number;
  /** TLS options (with `key` and `cert`) or a secure context: serve TLS. */
  ssl?: SSLContext;
  /** Start accepting at once (default `true`); else call `server.startServing()`. */
  startServing?: boolean;
}

/** Options of `loop.createServer()`. */
export interface TcpServeOptions extends ServeOptions {
  family?: number;
  flags?: number;
  /** Node always sets `SO_REUSEADDR` on listening sockets (on Unix); `false` is not available. */
  reuseAddress?: boolean;
  /** `SO_REUSEPORT`: needs Node ≥ 22.12 (Linux, BSD). */
  reusePort?: boolean;
  /** `SO_KEEPALIVE` on accepted connections. */
  keepAlive?: boolean;
}

/** Options of `loop.createUnixServer()`. */
export interface UnixServeOptions extends ServeOptions {
  /** Remove the socket file when the server closes (default `true`; Node always does). */
  cleanupSocket?: boolean;
}

/** Options of `loop.createDatagramEndpoint()`. */
export interface DatagramOptions {
  family?: number;
  proto?: number;
  flags?: number;
  reusePort?: boolean;
  allowBroadcast?: boolean;
  /** An existing `dgram.Socket` to use. */
  sock?: dgram.Socket;
}

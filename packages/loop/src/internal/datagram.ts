/**
 * UDP endpoints: `createDatagramEndpoint` and the transport over a `dgram.Socket` (asyncio's
 * `_SelectorDatagramTransport`). Datagrams reach the protocol from Node's `'message'` events;
 * `connectionMade` runs from the loop before any, and `connectionLost` from the loop, once.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext, runInContext } from '../context';
import { NotImplementedError } from '../errors';
import type { DatagramOptions } from '../network-options';
import type { BaseProtocol, DatagramProtocol } from '../protocols';
import { DatagramTransport } from '../transports';
import { AF_UNIX, type SockAddr } from '../types';
import { nodeFamily, splitSockAddr, toSockAddr } from './addresses';
import { checkFactory, checkLoopOpen, checkOptions, makeProtocol } from './connect';

type Endpoint = { host: string; port: number };

/** `[host, port]` of an address argument; AF_UNIX paths are refused as Node has no Unix datagrams. */
function endpoint(addr: unknown, name: string): Endpoint | null {
  if (addr === null || addr === undefined) return null;
  const split = splitSockAddr(addr, name);
  if ('path' in split) throw new NotImplementedError('AF_UNIX datagram endpoints are not supported by Node');
  return split;
}

async function resolve(point: Endpoint, family: 0 | 4 | 6): Promise<{ address: string; family: 4 | 6 }> {
  const ip = net.isIP(point.host);
  if (ip !== 0) return { address: point.host, family: ip as 4 | 6 };
  const found = await dns.promises.lookup(point.host, { family });
  return { address: found.address, family: found.family as 4 | 6 };
}

/** A UDP transport over a Node `dgram.Socket`. */
export class DatagramSocketTransport extends DatagramTransport {
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal */ readonly _socket: dgram.Socket;
  /** @internal */ _protocol: DatagramProtocol;
  /** @internal */ readonly _ctx: Context;
  /** @internal */ readonly _remote: Endpoint | null;
  /** @internal */ _closing = false;
  /** @internal Bytes handed to Node and not yet sent. */
  _buffered = 0;

  constructor(
    loop: AbstractEventLoop,
    socket: dgram.Socket,
    protocol: DatagramProtocol,
    ctx: Context,
    remote: Endpoint | null,
  ) {
    const local = socket.address();
    const extra: Record<string, unknown> = {
      socket,
      sockname: toSockAddr(local.address, local.port, local.family),
    };
    if (remote !== null) extra.peername = toSockAddr(remote.host, remote.port, net.isIP(remote.host));
    super(extra);
    this._loop = loop;
    this._socket = socket;
    this._protocol = protocol;
    this._ctx = ctx;
    this._remote = remote;
    socket.on('message', (data, info) => {
      if (this._closing) return;
      this._call(() =>
        this._protocol.datagramReceived(data, toSockAddr(info.address, info.port, info.family)),
      );
    });
    socket.on('error', (error) => {
      if (!this._closing) this._call(() => this._protocol.errorReceived(error));
    });
  }

  /**
   * Sends `data` to `addr`, or to the connected peer when `addr` is `null`. Errors reach the
   * protocol's `errorReceived`; nothing is sent once the transport is closing.
   */
  override sendto(data: Uint8Array, addr: SockAddr | null = null): void {
    if (!(data instanceof Uint8Array))
      throw new TypeError(`data must be a Uint8Array, got ${describe(data)}`);
    let target: Endpoint | null = null;
    if (addr !== null && addr !== undefined) {
      target = endpoint(addr, 'addr');
      if (
        this._remote !== null &&
        (target!.host !== this._remote.host || target!.port !== this._remote.port)
      ) {
        throw new RangeError(`Invalid address: must be null or ${this._remote.host}:${this._remote.port}`);
      }
      if (this._remote !== null) target = null;
    } else if (this._remote === null) {
      throw new RangeError('Invalid address: must not be null on an unconnected endpoint');
    }
    if (this._closing) return;
    this._buffered += data.byteLength;
    const sent = (error: Error | null) => {
      this._buffered -= data.byteLength;
      if (error !== null && !this._closing) this._call(() => this._protocol.errorReceived(error));
    };
    if (target === null) this._socket.send(data, sent);
    else this._socket.send(data, target.port, target.host, sent);
  }

  override getWriteBufferSize(): number {
    return this._buffered;
  }

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    this._shutDown(null);
  }

  override abort(): void {
    this._shutDown(null);
  }

  override setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol as DatagramProtocol;
  }

  override getProtocol(): BaseProtocol {
    return this._protocol;
  }

  /** @internal */
  _shutDown(exc: Error | null): void {
    if (this._closing) return;
    this._closing = true;
    this._socket.close();
    this._loop.callSoon(() => this._protocol.connectionLost(exc), { context: this._ctx });
  }

  /** @internal Runs a protocol callback in the endpoint's context; a throw goes to the loop. */
  _call(callback: () => void): void {
    try {
      runInContext(this._ctx, null, callback, undefined);
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: 'Fatal error: protocol callback failed',
        exception,
        transport: this,
      });
      this._shutDown(exception instanceof Error ? exception : new Error(String(exception)));
    }
  }
}

/** `loop.createDatagramEndpoint()`: binds and/or connects a UDP socket. */
export async function createDatagramEndpoint<P extends DatagramProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  localAddr: SockAddr | null | undefined,
  remoteAddr: SockAddr | null | undefined,
  opts: DatagramOptions = {},
): Promise<[DatagramTransport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  checkOptions(opts);
  if (opts.family === AF_UNIX)
    throw new NotImplementedError('AF_UNIX datagram endpoints are not supported by Node');
  const local = endpoint(localAddr, 'localAddr');
  const remote = endpoint(remoteAddr, 'remoteAddr');
  let family = nodeFamily(opts.family);
  let socket = opts.sock;
  if (socket !== undefined) {
    if (!(socket instanceof dgram.Socket))
      throw new TypeError(`sock must be a dgram.Socket, got ${describe(socket)}`);
    if (local !== null || remote !== null)
      throw new RangeError('localAddr/remoteAddr cannot be given with sock');
  } else {
    if (local === null && remote === null && family === 0) throw new RangeError('unexpected address family');
    const resolvedLocal = local === null ? null : await resolve(local, family);
    const resolvedRemote =
      remote === null ? null : await resolve(remote, family || resolvedLocal?.family || 0);
    family = resolvedLocal?.family ?? resolvedRemote?.family ?? (family === 0 ? 4 : family);
    socket = dgram.createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      reusePort: opts.reusePort ?? false,
    } as dgram.SocketOptions);
    const bound = socket;
    await new Promise<void>((done, fail) => {
      bound.once('error', fail);
      bound.bind(
        resolvedLocal?.address === undefined ? {} : { address: resolvedLocal.address, port: local!.port },
        () => {
          bound.removeListener('error', fail);
          done();
        },
      );
    }).catch((error) => {
      bound.close();
      throw error;
    });
    if (resolvedRemote !== null) {
      await new Promise<void>((done, fail) =>
        bound.connect(remote!.port, resolvedRemote.address, (e?: Error) => (e ? fail(e) : done())),
      ).catch((error) => {
        bound.close();
        throw error;
      });
    }
    if (opts.allowBroadcast) bound.setBroadcast(true);
  }
  const ctx = copyContext();
  let protocol: P;
  try {
    protocol = makeProtocol(protocolFactory, ctx);
  } catch (error) {
    socket.close();
    throw error;
  }
  const peer =
    remote === null
      ? null
      : { host: (socket.remoteAddress?.() ?? { address: remote.host }).address, port: remote.port };
  const transport = new DatagramSocketTransport(loop, socket, protocol, ctx, peer);
  await new Promise<void>((done) =>
    loop.callSoon(
      () => {
        transport._call(() => protocol.connectionMade(transport));
        done();
      },
      { context: ctx },
    ),
  );
  return [transport, protocol];
}

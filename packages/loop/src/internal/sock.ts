/**
 * The `sock*` methods and `addReader`/`addWriter`, as far as Node allows. Node has no readiness
 * API for raw file descriptors and owns its sockets, so these work on Node socket objects: a
 * `net.Socket` is read in paused mode (`read()`), a `net.Server`'s and a `dgram.Socket`'s
 * events are queued until asked for. Raw descriptors get `NotImplementedError`. Each wait is
 * cancellable when awaited in a Task; a cancelled receive consumes nothing.
 */
import dgram from 'node:dgram';
import type { FileHandle } from 'node:fs/promises';
import net from 'node:net';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { NotImplementedError } from '../errors';
import type { SockAddr } from '../types';
import { splitSockAddr, toSockAddr } from './addresses';
import { checkSendfileArgs, readChunk } from './sendfile';
import { waitFor } from './waiter';

function checkSocket(sock: unknown, name = 'sock'): asserts sock is net.Socket {
  if (!(sock instanceof net.Socket))
    throw new TypeError(`${name} must be a net.Socket, got ${describe(sock)}`);
}

function checkDatagramSocket(sock: unknown): asserts sock is dgram.Socket {
  if (!(sock instanceof dgram.Socket))
    throw new TypeError(`sock must be a dgram.Socket, got ${describe(sock)}`);
}

function checkBytes(data: unknown, name = 'data'): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array))
    throw new TypeError(`${name} must be a Uint8Array, got ${describe(data)}`);
}

/** Waits for one of `events` on `emitter`; the listeners are removed however the wait ends. */
function once(
  loop: AbstractEventLoop,
  emitter: NodeJS.EventEmitter,
  events: string[],
): Promise<[string, unknown[]]> {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const cleanup = () => {
    for (const [event, listener] of listeners) emitter.removeListener(event, listener);
  };
  return waitFor<[string, unknown[]]>(
    loop,
    (resolve) => {
      for (const event of events) {
        const listener = (...args: unknown[]) => {
          cleanup();
          resolve([event, args]);
        };
        listeners.set(event, listener);
        emitter.on(event, listener);
      }
    },
    cleanup,
  );
}

/** `sockRecv`: up to `nbytes` as soon as at least one byte is there; empty at EOF. */
export async function sockRecv(
  loop: AbstractEventLoop,
  sock: net.Socket,
  nbytes: number,
): Promise<Uint8Array> {
  checkSocket(sock);
  if (!Number.isInteger(nbytes) || nbytes < 0)
    throw new RangeError(`nbytes must be a non-negative integer, got ${nbytes}`);
  if (nbytes === 0) return new Uint8Array(0);
  for (;;) {
    if (sock.readableFlowing) sock.pause();
    const chunk = sock.read() as Buffer | null;
    if (chunk !== null) {
      if (chunk.length > nbytes) sock.unshift(chunk.subarray(nbytes));
      return chunk.subarray(0, nbytes);
    }
    if (sock.readableEnded || sock.destroyed) {
      const error = sock.errored;
      if (error) throw error;
      return new Uint8Array(0);
    }
    const [event, args] = await once(loop, sock, ['readable', 'end', 'close', 'error']);
    if (event === 'error') throw args[0];
  }
}

/** `sockRecvInto`: like `sockRecv` into `buf`; returns how many bytes were written. */
export async function sockRecvInto(
  loop: AbstractEventLoop,
  sock: net.Socket,
  buf: Uint8Array,
): Promise<number> {
  checkBytes(buf, 'buf');
  const data = await sockRecv(loop, sock, buf.length);
  buf.set(data);
  return data.length;
}

/** `sockSendall`: writes all of `data`, waiting while the socket's buffer is full. */
export async function sockSendall(
  loop: AbstractEventLoop,
  sock: net.Socket,
  data: Uint8Array,
): Promise<void> {
  checkSocket(sock);
  checkBytes(data);
  if (data.length === 0) return;
  if (sock.write(data)) return;
  const [event, args] = await once(loop, sock, ['drain', 'close', 'error']);
  if (event === 'error') throw args[0];
  if (event === 'close')
    throw Object.assign(new Error('socket closed before the data was sent'), { code: 'EPIPE' });
}

/** `sockConnect`: connects an unconnected `net.Socket` to `address`. */
export async function sockConnect(
  loop: AbstractEventLoop,
  sock: net.Socket,
  address: SockAddr,
): Promise<void> {
  checkSocket(sock);
  const target = splitSockAddr(address, 'address');
  const [event, args] = await waitForConnect(loop, sock, () => {
    if ('path' in target) sock.connect(target.path);
    else sock.connect(target.port, target.host);
  });
  if (event === 'error') throw args[0];
}

function waitForConnect(
  loop: AbstractEventLoop,
  sock: net.Socket,
  start: () => void,
): Promise<[string, unknown[]]> {
  const waiting = once(loop, sock, ['connect', 'error']);
  start();
  return waiting.catch((error) => {
    sock.destroy();
    throw error;
  });
}

/** Connections a server has accepted and nobody asked for yet, per server. */
const acceptQueues = new WeakMap<net.Server, net.Socket[]>();

/** `sockAccept`: the next connection to a listening `net.Server`, with its peer address. */
export async function sockAccept(
  loop: AbstractEventLoop,
  server: net.Server,
): Promise<[net.Socket, SockAddr]> {
  if (!(server instanceof net.Server))
    throw new TypeError(`sock must be a net.Server, got ${describe(server)}`);
  let queue = acceptQueues.get(server);
  if (queue === undefined) {
    const accepted: net.Socket[] = [];
    queue = accepted;
    acceptQueues.set(server, accepted);
    server.on('connection', (socket: net.Socket) => {
      socket.pause();
      accepted.push(socket);
      server.emit('aio:accepted');
    });
  }
  while (queue.length === 0) await once(loop, server, ['aio:accepted']);
  const socket = queue.shift()!;
  return [socket, toSockAddr(socket.remoteAddress, socket.remotePort, socket.remoteFamily)];
}

type Datagram = [Buffer, SockAddr];
const datagramQueues = new WeakMap<dgram.Socket, Datagram[]>();

function datagramQueue(sock: dgram.Socket): Datagram[] {
  let queue = datagramQueues.get(sock);
  if (queue === undefined) {
    const received: Datagram[] = [];
    queue = received;
    datagramQueues.set(sock, received);
    sock.on('message', (data: Buffer, info: dgram.RemoteInfo) => {
      received.push([data, toSockAddr(info.address, info.port, info.family)]);
      sock.emit('aio:datagram');
    });
  }
  return queue;
}

/** `sockRecvfrom`: the next datagram (cut to `bufsize`) and its sender. */
export async function sockRecvfrom(
  loop: AbstractEventLoop,
  sock: dgram.Socket,
  bufsize: number,
): Promise<[Uint8Array, SockAddr]> {
  checkDatagramSocket(sock);
  if (!Number.isInteger(bufsize) || bufsize < 0)
    throw new RangeError(`bufsize must be a non-negative integer, got ${bufsize}`);
  const queue = datagramQueue(sock);
  while (queue.length === 0) await once(loop, sock, ['aio:datagram']);
  const [data, addr] = queue.shift()!;
  return [data.subarray(0, bufsize), addr];
}

/** `sockRecvfromInto`: the next datagram into `buf` (at most `nbytes`); `[bytes, sender]`. */
export async function sockRecvfromInto(
  loop: AbstractEventLoop,
  sock: dgram.Socket,
  buf: Uint8Array,
  nbytes = 0,
): Promise<[number, SockAddr]> {
  checkBytes(buf, 'buf');
  const limit = nbytes === 0 ? buf.length : nbytes;
  if (!Number.isInteger(limit) || limit < 0 || limit > buf.length)
    throw new RangeError(`nbytes must be 0..${buf.length}`);
  const [data, addr] = await sockRecvfrom(loop, sock, limit);
  buf.set(data);
  return [data.length, addr];
}

/** `sockSendto`: sends one datagram to `address`; resolves to the bytes sent. */
export async function sockSendto(
  loop: AbstractEventLoop,
  sock: dgram.Socket,
  data: Uint8Array,
  address: SockAddr,
): Promise<number> {
  checkDatagramSocket(sock);
  checkBytes(data);
  const target = splitSockAddr(address, 'address');
  if ('path' in target) throw new NotImplementedError('AF_UNIX datagrams are not supported by Node');
  return waitFor<number>(
    loop,
    (resolve, reject) =>
      sock.send(data, target.port, target.host, (error) => (error ? reject(error) : resolve(data.length))),
    () => {},
  );
}

/** `sockSendfile`: sends part of a file over a `net.Socket` by copying it (Node has no native sendfile). */
export async function sockSendfile(
  loop: AbstractEventLoop,
  sock: net.Socket,
  file: FileHandle | number,
  offset = 0,
  count: number | null = null,
  opts: { fallback?: boolean } = {},
): Promise<number> {
  checkSocket(sock);
  checkSendfileArgs(file, offset, count, opts);
  const buffer = Buffer.alloc(Math.min(256 * 1024, count ?? 256 * 1024));
  let sent = 0;
  for (;;) {
    const wanted = count === null ? buffer.length : Math.min(buffer.length, count - sent);
    if (wanted <= 0) break;
    const read = await readChunk(file, buffer, wanted, offset + sent);
    if (read === 0) break;
    await sockSendall(loop, sock, Buffer.from(buffer.subarray(0, read)));
    sent += read;
  }
  return sent;
}

/** What `addReader`/`addWriter` registered on a socket. */
interface Watch {
  run: () => void;
  stop: () => void;
}

const readers = new WeakMap<object, Watch>();
const writers = new WeakMap<object, Watch>();

function watchedSocket(fd: unknown, method: string): net.Socket {
  if (typeof fd === 'number') {
    throw new NotImplementedError(
      `${method}: Node has no readiness API for raw file descriptors; pass a net.Socket`,
    );
  }
  checkSocket(fd, 'fd');
  return fd;
}

/**
 * Calls `callback` from the loop while the socket has data to read (level-triggered, as with
 * a selector: again on every loop iteration until the data is read or the reader removed).
 */
export function addReader<A extends unknown[]>(
  loop: AbstractEventLoop,
  fd: number | net.Socket,
  callback: (...args: A) => void,
  args: A,
): void {
  const sock = watchedSocket(fd, 'addReader');
  removeReader(sock);
  if (sock.readableFlowing) sock.pause();
  let scheduled = false;
  const ready = () => sock.readableLength > 0 || sock.readableEnded;
  const watch: Watch = {
    run: () => {
      if (scheduled || readers.get(sock) !== watch) return;
      scheduled = true;
      loop.callSoon(() => {
        scheduled = false;
        if (readers.get(sock) !== watch) return;
        callback(...args);
        if (ready()) watch.run();
      });
    },
    stop: () => {
      sock.removeListener('readable', watch.run);
      sock.removeListener('end', watch.run);
    },
  };
  readers.set(sock, watch);
  sock.on('readable', watch.run);
  sock.on('end', watch.run);
  if (ready()) watch.run();
}

/** Stops watching for reads; `true` if a reader was registered. */
export function removeReader(fd: number | net.Socket): boolean {
  const sock = watchedSocket(fd, 'removeReader');
  const watch = readers.get(sock);
  if (watch === undefined) return false;
  watch.stop();
  readers.delete(sock);
  return true;
}

/** Calls `callback` from the loop while the socket can take writes (level-triggered). */
export function addWriter<A extends unknown[]>(
  loop: AbstractEventLoop,
  fd: number | net.Socket,
  callback: (...args: A) => void,
  args: A,
): void {
  const sock = watchedSocket(fd, 'addWriter');
  removeWriter(sock);
  let scheduled = false;
  const writable = () => !sock.writableNeedDrain && !sock.destroyed && !sock.connecting;
  const watch: Watch = {
    run: () => {
      if (scheduled || writers.get(sock) !== watch) return;
      scheduled = true;
      loop.callSoon(() => {
        scheduled = false;
        if (writers.get(sock) !== watch) return;
        callback(...args);
        if (writable()) watch.run();
      });
    },
    stop: () => {
      sock.removeListener('drain', watch.run);
      sock.removeListener('connect', watch.run);
    },
  };
  writers.set(sock, watch);
  sock.on('drain', watch.run);
  sock.on('connect', watch.run);
  if (writable()) watch.run();
}

/** Stops watching for writability; `true` if a writer was registered. */
export function removeWriter(fd: number | net.Socket): boolean {
  const sock = watchedSocket(fd, 'removeWriter');
  const watch = writers.get(sock);
  if (watch === undefined) return false;
  watch.stop();
  writers.delete(sock);
  return true;
}

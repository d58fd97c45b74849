import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {
  type BaseTransport,
  BufferedProtocol,
  ContextVar,
  EventLoop,
  type ExceptionContext,
  ExceptionGroup,
  NotImplementedError,
  Protocol,
  ReadTransport,
  RuntimeError,
  type Server,
  type Transport,
  WriteTransport,
} from '@aio/loop';

const key = fs.readFileSync(path.join(__dirname, 'fixtures/test-key.pem'));
const cert = fs.readFileSync(path.join(__dirname, 'fixtures/test-cert.pem'));

/** The property by which a protocol says it copies what it keeps (see the socket transport). */
const BORROWS_DATA: unique symbol = Symbol.for('aio.borrowsData') as never;

/** A promise with its resolve function, for waiting on protocol events. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Records every protocol call, in order. */
class Recorder extends Protocol {
  events: string[] = [];
  chunks: Uint8Array[] = [];
  transport!: Transport;
  lost = deferred<Error | null>();
  made = deferred<Transport>();
  eof = deferred();
  keepOpen = false;
  paused = 0;
  resumed = 0;
  onData: ((data: Uint8Array) => void) | null = null;
  override connectionMade(t: BaseTransport) {
    this.events.push('made');
    this.transport = t as Transport;
    this.made.resolve(t as Transport);
  }
  override dataReceived(data: Uint8Array) {
    this.events.push('data');
    this.chunks.push(data);
    this.onData?.(data);
  }
  override eofReceived() {
    this.events.push('eof');
    this.eof.resolve();
    return this.keepOpen;
  }
  override pauseWriting() {
    this.paused++;
  }
  override resumeWriting() {
    this.resumed++;
  }
  override connectionLost(exc: Error | null) {
    this.events.push(exc ? `lost:${(exc as NodeJS.ErrnoException).code ?? exc.message}` : 'lost');
    this.lost.resolve(exc);
  }
  text() {
    return Buffer.concat(this.chunks).toString();
  }
  /** Resolves once the text received ends with `suffix`. */
  waitFor(suffix: string) {
    const got = deferred();
    const check = () => {
      if (this.text().endsWith(suffix)) got.resolve();
    };
    this.onData = check;
    check();
    return got.promise;
  }
}

class Echo extends Recorder {
  override dataReceived(data: Uint8Array) {
    super.dataReceived(data);
    this.transport.write(data);
  }
}

let loop: EventLoop;
let running: Promise<void>;
let errors: ExceptionContext[];
beforeEach(() => {
  loop = new EventLoop();
  errors = [];
  loop.setExceptionHandler((_l, ctx) => errors.push(ctx));
  running = loop.runForever();
});
afterEach(async () => {
  loop.stop();
  await running;
  loop.close();
});

function portOf(server: Server, i = 0): number {
  return (server.sockets[i]!.getsockname() as [string, number])[1];
}

/** A server whose protocols are collected in `peers`. */
async function serve<P extends Recorder>(
  make: () => P,
  host: string | string[] | null = '127.0.0.1',
  opts = {},
) {
  const peers: P[] = [];
  const arrived = deferred<P>();
  const server = await loop.createServer(
    () => {
      const p = make();
      peers.push(p);
      arrived.resolve(p);
      return p;
    },
    host,
    0,
    opts,
  );
  return { server, peers, first: arrived.promise, port: server.sockets.length ? portOf(server) : 0 };
}

describe('createServer / createConnection', () => {
  test('echo round trip; connectionMade before data, connectionLost last and once', async () => {
    const { server, first, port } = await serve(() => new Echo());
    expect(server.isServing()).toBe(true);
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    expect(client.events).toEqual(['made']);
    transport.write(Buffer.from('hel'));
    transport.write(new TextEncoder().encode('lo'));
    await client.waitFor('hello');
    expect(transport.getExtraInfo('peername')).toEqual(['127.0.0.1', port]);
    expect((transport.getExtraInfo('sockname') as [string, number])[0]).toBe('127.0.0.1');
    expect(transport.getExtraInfo('socket')).toBeInstanceOf(net.Socket);
    expect(transport.getExtraInfo('nope', 42)).toBe(42);
    expect(transport.getExtraInfo('nope')).toBeNull();
    expect(transport.getProtocol()).toBe(client);
    transport.close();
    transport.close();
    expect(transport.isClosing()).toBe(true);
    expect(await client.lost.promise).toBeNull();
    const peer = await first;
    expect(await peer.lost.promise).toBeNull();
    expect(client.events.filter((e) => e.startsWith('lost'))).toEqual(['lost']);
    expect(peer.events[0]).toBe('made');
    expect(peer.events.slice(-2)).toEqual(['eof', 'lost']);
    server.close();
    await server.waitClosed();
    expect(server.sockets).toEqual([]);
  });

  test('TCP_NODELAY is set on both ends', async () => {
    const spy = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    try {
      const { server, first, port } = await serve(() => new Echo());
      const [transport] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
      const peer = await first;
      const socks = spy.mock.contexts as unknown as net.Socket[];
      expect(socks).toContain(transport.getExtraInfo('socket'));
      expect(socks).toContain(peer.transport.getExtraInfo('socket'));
      expect(spy.mock.calls.every((args) => args[0] === true)).toBe(true);
      transport.close();
      server.close();
      await server.waitClosed();
    } finally {
      spy.mockRestore();
    }
  });

  test('a refused connection rejects with the Node error, code kept; allErrors gives an ExceptionGroup', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expect(loop.createConnection(() => new Recorder(), '127.0.0.1', port)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    const group = await loop
      .createConnection(() => new Recorder(), '127.0.0.1', port, { allErrors: true })
      .catch((e: unknown) => e);
    expect(group).toBeInstanceOf(ExceptionGroup);
    expect((group as ExceptionGroup).exceptions[0]).toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('several hosts: one listening socket each; host null listens everywhere', async () => {
    const { server } = await serve(() => new Echo(), ['127.0.0.1', '127.0.0.2']);
    expect(server.sockets.map((s) => (s.getsockname() as [string, number])[0]).sort()).toEqual([
      '127.0.0.1',
      '127.0.0.2',
    ]);
    for (let i = 0; i < 2; i++) {
      const [host, port] = server.sockets[i]!.getsockname() as [string, number];
      const [t, p] = await loop.createConnection(() => new Recorder(), host, port);
      t.write(Buffer.from('x'));
      await p.waitFor('x');
      t.close();
    }
    expect(server.sockets[0]!.type).toBe(1);
    expect(server.sockets[0]!.fileno()).toBeGreaterThanOrEqual(0);
    expect(() => server.sockets[0]!.getpeername()).toThrow(/not connected/);
    server.close();
    await server.waitClosed();

    const any = await serve(() => new Echo(), null);
    const [t, p] = await loop.createConnection(() => new Recorder(), '127.0.0.1', any.port);
    t.write(Buffer.from('y'));
    await p.waitFor('y');
    t.close();
    any.server.close();
    await any.server.waitClosed();
  });

  test('startServing: false waits for startServing(); port in use rejects with EADDRINUSE', async () => {
    const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0, { startServing: false });
    expect(server.isServing()).toBe(false);
    expect(server.sockets).toEqual([]);
    await server.startServing();
    await server.startServing();
    expect(server.isServing()).toBe(true);
    const port = portOf(server);
    await expect(loop.createServer(() => new Echo(), '127.0.0.1', port)).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    server.close();
    await expect(server.startServing()).rejects.toThrow(RuntimeError);
    await server.waitClosed();
  });

  test('options Node cannot honour throw NotImplementedError', async () => {
    await expect(
      loop.createServer(() => new Echo(), '127.0.0.1', 0, { reuseAddress: false }),
    ).rejects.toThrow(NotImplementedError);
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22)
      await expect(loop.createServer(() => new Echo(), '127.0.0.1', 0, { reusePort: true })).rejects.toThrow(
        NotImplementedError,
      );
  });

  test('bad arguments: clear errors naming the argument', async () => {
    const f = () => new Recorder();
    await expect(loop.createConnection(f, 42 as never, 80)).rejects.toThrow(/host/);
    await expect(loop.createConnection(f, '127.0.0.1', 'http' as never)).rejects.toThrow(TypeError);
    await expect(loop.createConnection(f, '127.0.0.1', 'http' as never)).rejects.toThrow(/port/);
    await expect(loop.createConnection(f, '127.0.0.1', 70000)).rejects.toThrow(RangeError);
    await expect(loop.createConnection('nope' as never, '127.0.0.1', 80)).rejects.toThrow(/protocolFactory/);
    await expect(loop.createConnection(f)).rejects.toThrow(/host and port was not specified/);
    await expect(loop.createConnection(f, '127.0.0.1', 80, { sock: new net.Socket() })).rejects.toThrow(
      /can not be specified at the same time/,
    );
    await expect(loop.createConnection(f, '127.0.0.1', 80, { serverHostname: 'x' })).rejects.toThrow(
      /only meaningful with ssl/,
    );
    await expect(loop.createConnection(f, null, 80, { ssl: true })).rejects.toThrow(/serverHostname/);
    await expect(loop.createServer(f, 5 as never, 0)).rejects.toThrow(/host/);
    await expect(loop.createServer(f, ['127.0.0.1', 5] as never, 0)).rejects.toThrow(/host\[1\]/);
    await expect(loop.createServer(f, '127.0.0.1', -1)).rejects.toThrow(/port/);
    await expect(loop.createServer(f, '127.0.0.1', 0, { backlog: 'x' as never })).rejects.toThrow(/backlog/);
    await expect(loop.createServer(f, '127.0.0.1', 0, { ssl: true as never })).rejects.toThrow(/ssl/);
    await expect(loop.createUnixConnection(f, 42 as never)).rejects.toThrow(/path/);
  });

  test('an existing socket can be wrapped (sock option, connectAcceptedSocket)', async () => {
    const accepted = deferred<net.Socket>();
    const plain = net.createServer((s) => accepted.resolve(s));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const port = (plain.address() as net.AddressInfo).port;
    const sock = net.connect(port, '127.0.0.1');
    const [clientT, client] = await loop.createConnection(() => new Recorder(), undefined, undefined, {
      sock,
    });
    const [, server] = await loop.connectAcceptedSocket(() => new Echo(), await accepted.promise);
    clientT.write(Buffer.from('via accepted'));
    await client.waitFor('via accepted');
    expect(server.text()).toBe('via accepted');
    clientT.close();
    await server.lost.promise;
    plain.close();
  });
});

describe('flow control and reading', () => {
  test('write-buffer limits drive pauseWriting/resumeWriting', async () => {
    const { server, first, port } = await serve(() => new Recorder());
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const peer = await first;
    peer.transport.pauseReading();
    expect(transport.getWriteBufferLimits()).toEqual([16384, 65536]);
    transport.setWriteBufferLimits(4096);
    expect(transport.getWriteBufferLimits()).toEqual([1024, 4096]);
    expect(() => transport.setWriteBufferLimits(10, 20)).toThrow(RangeError);
    expect(() => transport.setWriteBufferLimits('x' as never)).toThrow(/high/);
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 200 && client.paused === 0; i++) transport.write(chunk);
    expect(client.paused).toBe(1);
    expect(transport.getWriteBufferSize()).toBeGreaterThan(4096);
    const resumed = deferred();
    client.resumeWriting = () => {
      client.resumed++;
      resumed.resolve();
    };
    peer.transport.resumeReading();
    await resumed.promise;
    expect(client.resumed).toBe(1);
    expect(transport.getWriteBufferSize()).toBeLessThanOrEqual(1024);
    transport.close();
    await peer.lost.promise;
    server.close();
    await server.waitClosed();
  });

  test('large reads are handed over, small ones copied: every chunk a protocol keeps stays intact', async () => {
    // A protocol that says it copies what it keeps gets views of the read buffer (owned false)
    // and, for large reads, chunks that are its own (owned true): it keeps those as they are.
    class Borrowing extends Recorder {
      readonly [BORROWS_DATA] = true;
      owned: boolean[] = [];
      sizes: number[] = [];
      override dataReceived(data: Uint8Array, owned?: boolean) {
        this.owned.push(owned === true);
        this.sizes.push(data.length);
        super.dataReceived(owned ? data : Buffer.from(data));
      }
    }
    const payload = crypto.randomBytes(4 * 1024 * 1024);
    /** Every chunk kept is still what was sent: no kept chunk shares a buffer a later read reused. */
    const expectIntact = (protocol: Recorder) => {
      expect(Buffer.concat(protocol.chunks).equals(payload)).toBe(true);
      expect(new Set(protocol.chunks.map((c) => c.buffer)).size).toBeGreaterThan(1);
      if (protocol instanceof Borrowing) {
        expect(protocol.sizes.some((n) => n >= 32 * 1024)).toBe(true);
        // The read buffer is 16 to 64 KiB: half of it or more is handed over, a small read lent.
        for (const [i, n] of protocol.sizes.entries()) {
          if (n >= 32 * 1024) expect(protocol.owned[i]).toBe(true);
          if (n < 8 * 1024) expect(protocol.owned[i]).toBe(false);
        }
      }
    };
    // A peer this project did not write: small writes first, then one large burst, then EOF.
    const peer = net.createServer((sock) => {
      for (let i = 0; i < 10; i++) sock.write(payload.subarray(i * 10, i * 10 + 10));
      sock.end(payload.subarray(100));
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
    const { server, first, port } = await serve(() => new Borrowing());
    try {
      for (const make of [() => new Recorder(), () => new Borrowing()]) {
        const [, protocol] = await loop.createConnection(
          make,
          '127.0.0.1',
          (peer.address() as net.AddressInfo).port,
        );
        await protocol.lost.promise;
        expectIntact(protocol);
      }
      // The same on an accepted socket (its read buffer is set up by hand).
      const client = net.connect(port, '127.0.0.1', () => client.end(payload));
      const accepted = await first;
      await accepted.lost.promise;
      expectIntact(accepted);
    } finally {
      peer.close();
      server.close();
      await server.waitClosed();
    }
  });

  test('pauseReading stops dataReceived until resumeReading (both idempotent)', async () => {
    const { server, first, port } = await serve(() => new Recorder());
    const [transport] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const peer = await first;
    expect(peer.transport.isReading()).toBe(true);
    peer.transport.pauseReading();
    peer.transport.pauseReading();
    expect(peer.transport.isReading()).toBe(false);
    transport.write(Buffer.from('while paused'));
    // Loopback delivers the write at once; the reply below needs a later I/O poll, in which a
    // reading transport would have seen the data.
    const client = transport.getProtocol() as Recorder;
    peer.transport.write(Buffer.from('ping'));
    await client.waitFor('ping');
    expect(peer.chunks).toEqual([]);
    peer.transport.resumeReading();
    peer.transport.resumeReading();
    await peer.waitFor('while paused');
    transport.close();
    server.close();
    await server.waitClosed();
  });

  test('half-close: writeEof; eofReceived returning true keeps the transport open', async () => {
    const { server, first, port } = await serve(() => {
      const p = new Recorder();
      p.keepOpen = true;
      return p;
    });
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const peer = await first;
    expect(transport.canWriteEof()).toBe(true);
    transport.write(Buffer.from('request'));
    transport.writeEof();
    transport.writeEof();
    expect(() => transport.write(Buffer.from('late'))).toThrow(RuntimeError);
    await peer.eof.promise;
    expect(peer.text()).toBe('request');
    expect(peer.transport.isClosing()).toBe(false);
    peer.transport.write(Buffer.from('response after EOF'));
    peer.transport.close();
    await client.waitFor('response after EOF');
    expect(await client.lost.promise).toBeNull();
    expect(client.events).toEqual(['made', 'data', 'eof', 'lost']);
    server.close();
    await server.waitClosed();
  });

  test('BufferedProtocol gets its bytes in the buffers it lends', async () => {
    class Small extends BufferedProtocol {
      buf = new Uint8Array(4);
      received: number[] = [];
      updates = 0;
      done = deferred();
      override getBuffer(sizehint: number) {
        expect(sizehint).toBeGreaterThan(0);
        return this.buf;
      }
      override bufferUpdated(n: number) {
        this.updates++;
        this.received.push(...this.buf.subarray(0, n));
      }
      override eofReceived() {
        this.done.resolve();
      }
    }
    const holder: Small[] = [];
    const server = await loop.createServer(
      () => {
        const p = new Small();
        holder.push(p);
        return p;
      },
      '127.0.0.1',
      0,
    );
    const [t] = await loop.createConnection(() => new Recorder(), '127.0.0.1', portOf(server));
    t.write(Buffer.from('0123456789'));
    t.writeEof();
    await new Promise<void>((r) => {
      const wait = () => (holder[0] ? holder[0].done.promise.then(() => r()) : setTimeout(wait, 1));
      wait();
    });
    expect(Buffer.from(holder[0]!.received).toString()).toBe('0123456789');
    expect(holder[0]!.updates).toBeGreaterThanOrEqual(3);
    t.close();
    server.close();
    await server.waitClosed();
  });

  test('abort drops the buffer; connectionLost(null) once', async () => {
    const { server, first, port } = await serve(() => new Recorder());
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const peer = await first;
    peer.transport.pauseReading();
    for (let i = 0; i < 50; i++) transport.write(Buffer.alloc(65536));
    transport.abort();
    transport.abort();
    transport.close();
    expect(await client.lost.promise).toBeNull();
    expect(transport.getWriteBufferSize()).toBe(0);
    transport.write(Buffer.from('ignored after the connection is lost'));
    expect(client.events.filter((e) => e.startsWith('lost')).length).toBe(1);
    peer.transport.resumeReading();
    await peer.lost.promise;
    server.close();
    await server.waitClosed();
  });

  test('write checks its argument', async () => {
    const { server, port } = await serve(() => new Recorder());
    const [transport] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    expect(() => transport.write('text' as never)).toThrow(/data argument must be a bytes-like object/);
    expect(() => transport.writeLines([Buffer.from('a'), 'b' as never])).toThrow(TypeError);
    transport.writeLines([Buffer.from('a'), Buffer.from('b')]);
    transport.close();
    server.close();
    await server.waitClosed();
  });
});

describe('faults', () => {
  test('a peer reset ends the connection with the error (no hang)', async () => {
    const { server, first, port } = await serve(() => new Recorder());
    const [transport] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const peer = await first;
    (transport.getExtraInfo('socket') as net.Socket).resetAndDestroy();
    expect(await peer.lost.promise).toMatchObject({ code: 'ECONNRESET' });
    expect(errors).toEqual([]);
    server.close();
    await server.waitClosed();
  });

  test('an error in a protocol callback is reported and closes the transport', async () => {
    class Failing extends Recorder {
      override dataReceived() {
        throw new Error('boom');
      }
    }
    const { server, first, port } = await serve(() => new Failing());
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    transport.write(Buffer.from('x'));
    const peer = await first;
    expect((await peer.lost.promise)?.message).toBe('boom');
    await client.lost.promise;
    expect(errors[0]?.message).toMatch(/dataReceived\(\) call failed/);
    server.close();
    await server.waitClosed();
  });
});

describe('Server', () => {
  test('close stops listening; waitClosed waits for the connections; closeClients/abortClients', async () => {
    const { server, port } = await serve(() => new Recorder());
    const [t1, c1] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    const [t2, c2] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    void t1;
    void t2;
    server.close();
    expect(server.isServing()).toBe(false);
    let closed = false;
    const waiting = server.waitClosed().then(() => {
      closed = true;
    });
    await expect(loop.createConnection(() => new Recorder(), '127.0.0.1', port)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(closed).toBe(false);
    server.closeClients();
    await c1.lost.promise;
    await c2.lost.promise;
    await waiting;
    expect(closed).toBe(true);

    const other = await serve(() => new Recorder());
    const [, c3] = await loop.createConnection(() => new Recorder(), '127.0.0.1', other.port);
    await other.first;
    other.server.abortClients();
    await c3.lost.promise;
    await other.server[Symbol.asyncDispose]();
    expect(other.server.sockets).toEqual([]);
  });
});

describe('Unix sockets', () => {
  test('server and client; stale socket file replaced; file removed on close', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-unix-'));
    const file = path.join(dir, 'sock');
    // A stale socket file left behind by a dead server.
    const stale = net.createServer();
    await new Promise<void>((r) => stale.listen(file, r));
    const handle = (stale as unknown as { _handle: { close(): void } })._handle;
    expect(fs.existsSync(file)).toBe(true);
    void handle;
    await new Promise((r) => stale.close(r));
    fs.writeFileSync(`${file}.keep`, '');
    fs.renameSync(`${file}.keep`, `${file}.keep2`);

    const peers: Echo[] = [];
    const server = await loop.createUnixServer(() => {
      const p = new Echo();
      peers.push(p);
      return p;
    }, file);
    expect(server.sockets[0]!.getsockname()).toBe(file);
    expect(server.sockets[0]!.family).toBe(1);
    const [t, client] = await loop.createUnixConnection(() => new Recorder(), file);
    expect(t.getExtraInfo('peername')).toBe(file);
    t.write(Buffer.from('over unix'));
    await client.waitFor('over unix');
    expect(peers[0]!.transport.getExtraInfo('sockname')).toBe(file);
    t.close();
    await peers[0]!.lost.promise;
    server.close();
    await server.waitClosed();
    expect(fs.existsSync(file)).toBe(false);
    await expect(loop.createUnixServer(() => new Echo(), file, { cleanupSocket: false })).rejects.toThrow(
      NotImplementedError,
    );
    await expect(loop.createUnixServer(() => new Echo())).rejects.toThrow(/no sock/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('TLS', () => {
  test('TLS server and client; extra info; no half-close', async () => {
    const { server, first, port } = await serve(() => new Echo(), '127.0.0.1', { ssl: { key, cert } });
    const [t, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port, {
      ssl: { ca: cert },
      serverHostname: 'localhost',
    });
    t.write(Buffer.from('secret'));
    await client.waitFor('secret');
    expect(t.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
    expect((t.getExtraInfo('peercert') as tls.PeerCertificate).subject.CN).toBe('localhost');
    expect((t.getExtraInfo('cipher') as unknown[])[1]).toMatch(/TLS/);
    expect(t.getExtraInfo('sslcontext')).toEqual({ ca: cert });
    expect(t.canWriteEof()).toBe(false);
    expect(() => t.writeEof()).toThrow(NotImplementedError);
    t.close();
    await (await first).lost.promise;
    server.close();
    await server.waitClosed();
  });

  test('a certificate the client does not trust fails the connection', async () => {
    const { server, port } = await serve(() => new Echo(), '127.0.0.1', { ssl: { key, cert } });
    await expect(
      loop.createConnection(() => new Recorder(), '127.0.0.1', port, {
        ssl: true,
        serverHostname: 'localhost',
      }),
    ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    server.close();
    await server.waitClosed();
  });

  test('handshake timeout aborts the connection', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    await expect(
      loop.createConnection(() => new Recorder(), '127.0.0.1', port, {
        ssl: { ca: cert },
        serverHostname: 'localhost',
        sslHandshakeTimeout: 0.05,
      }),
    ).rejects.toMatchObject({ code: 'ECONNABORTED' });
    silent.close();
  });

  test('startTls upgrades a live connection on both sides', async () => {
    class Upgrading extends Recorder {
      override dataReceived(data: Uint8Array) {
        super.dataReceived(data);
        if (this.text() === 'STARTTLS\n') {
          this.chunks = [];
          const old = this.transport;
          old.write(Buffer.from('GO\n'));
          void loop.startTls(old, this, { key, cert }, { serverSide: true }).then((t) => {
            this.transport = t as Transport;
          });
        } else if (this.text().endsWith('!')) {
          this.transport.write(Buffer.from(`secure:${this.text()}`));
        }
      }
    }
    const { server, first, port } = await serve(() => new Upgrading());
    const [t, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    t.write(Buffer.from('STARTTLS\n'));
    await client.waitFor('GO\n');
    const secure = await loop.startTls(t, client, { ca: cert }, { serverHostname: 'localhost' });
    expect(secure.getExtraInfo('ssl_object')).toBeInstanceOf(tls.TLSSocket);
    expect(t.isClosing()).toBe(true);
    client.chunks = [];
    secure.write(Buffer.from('hi!'));
    await client.waitFor('secure:hi!');
    expect(client.events.filter((e) => e === 'made').length).toBe(1);
    secure.close();
    await (await first).lost.promise;
    await expect(loop.startTls(secure, client, { ca: cert })).rejects.toThrow(RuntimeError);
    server.close();
    await server.waitClosed();
  });
});

describe('misc', () => {
  test('ReadTransport/WriteTransport instanceof checks the shape', async () => {
    const { server, port } = await serve(() => new Recorder());
    const [t] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    expect(t).toBeInstanceOf(ReadTransport);
    expect(t).toBeInstanceOf(WriteTransport);
    expect({}).not.toBeInstanceOf(ReadTransport);
    t.close();
    server.close();
    await server.waitClosed();
  });

  test('protocol callbacks run in a copy of the context the connection was made in', async () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const seen: string[] = [];
    class Ctx extends Recorder {
      override dataReceived(data: Uint8Array) {
        seen.push(v.get());
        super.dataReceived(data);
      }
    }
    const { server, port } = await serve(() => new Echo());
    const token = v.set('creator');
    const [t, p] = await loop.createConnection(() => new Ctx(), '127.0.0.1', port);
    v.reset(token);
    t.write(Buffer.from('ctx'));
    await p.waitFor('ctx');
    expect(seen[0]).toBe('creator');
    t.close();
    server.close();
    await server.waitClosed();
  });
});

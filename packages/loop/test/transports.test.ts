import net from 'node:net';
import { type BaseTransport, EventLoop, Protocol, type Server, type Transport } from '@aio/loop';

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
  transport: Transport | null = null;
  lost = deferred<Error | null>();
  made = deferred<Transport>();
  eof = deferred();
  keepOpen = false;
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
  override connectionLost(exc: Error | null) {
    this.events.push(exc ? `lost:${(exc as NodeJS.ErrnoException).code ?? exc.message}` : 'lost');
    this.lost.resolve(exc);
  }
  text() {
    return Buffer.concat(this.chunks).toString();
  }
}

class Echo extends Recorder {
  override dataReceived(data: Uint8Array) {
    super.dataReceived(data);
    this.transport!.write(data);
  }
}

let loop: EventLoop;
let running: Promise<void>;
beforeEach(() => {
  loop = new EventLoop();
  running = loop.runForever();
});
afterEach(async () => {
  loop.stop();
  await running;
  loop.close();
});

function portOf(server: Server): number {
  return (server.sockets[0]!.getsockname() as [string, number])[1];
}

describe('createServer / createConnection', () => {
  test('echo round trip; connectionMade before data, connectionLost last', async () => {
    const serverSide: Recorder[] = [];
    const server = await loop.createServer(
      () => {
        const p = new Echo();
        serverSide.push(p);
        return p;
      },
      '127.0.0.1',
      0,
    );
    expect(server.isServing()).toBe(true);
    const port = portOf(server);
    const [transport, client] = await loop.createConnection(() => new Recorder(), '127.0.0.1', port);
    expect(client.events).toEqual(['made']);
    const got = deferred();
    client.onData = () => {
      if (client.text() === 'hello') got.resolve();
    };
    transport.write(Buffer.from('hel'));
    transport.write(new TextEncoder().encode('lo'));
    await got.promise;
    expect(transport.getExtraInfo('peername')).toEqual(['127.0.0.1', port]);
    expect((transport.getExtraInfo('sockname') as [string, number])[0]).toBe('127.0.0.1');
    expect(transport.getExtraInfo('socket')).toBeInstanceOf(net.Socket);
    expect(transport.getExtraInfo('nope', 42)).toBe(42);
    transport.close();
    expect(transport.isClosing()).toBe(true);
    expect(await client.lost.promise).toBeNull();
    expect(await serverSide[0]!.lost.promise).toBeNull();
    expect(client.events.at(-1)).toBe('lost');
    expect(serverSide[0]!.events[0]).toBe('made');
    expect(serverSide[0]!.events.slice(-2)).toEqual(['eof', 'lost']);
    server.close();
    await server.waitClosed();
  });

  test('refused connection rejects with the Node error (code kept)', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expect(loop.createConnection(() => new Recorder(), '127.0.0.1', port)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

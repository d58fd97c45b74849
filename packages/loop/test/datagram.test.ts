import dgram from 'node:dgram';
import {
  AF_INET,
  AF_UNIX,
  DatagramProtocol,
  type DatagramTransport,
  type EventLoop,
  NotImplementedError,
  type SockAddr,
} from '@aio/loop';
import { useRunningLoop } from './helpers';

/** Records what the endpoint sees; `until(n)` resolves once n datagrams arrived. */
class Recorder extends DatagramProtocol {
  events: string[] = [];
  received: [string, SockAddr][] = [];
  transport: DatagramTransport | null = null;
  private waiting: [number, () => void] | null = null;

  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
    this.events.push('made');
  }

  override datagramReceived(data: Uint8Array, addr: SockAddr): void {
    this.received.push([Buffer.from(data).toString(), addr]);
    if (this.waiting && this.received.length >= this.waiting[0]) this.waiting[1]();
  }

  override errorReceived(exc: Error): void {
    this.events.push(`error ${(exc as NodeJS.ErrnoException).code ?? exc.message}`);
  }

  override connectionLost(exc: Error | null): void {
    this.events.push(`lost ${exc}`);
  }

  until(n: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.received.length >= n) resolve();
      else this.waiting = [n, resolve];
    });
  }
}

describe('createDatagramEndpoint (real UDP on 127.0.0.1)', () => {
  const current = useRunningLoop();
  let loop: EventLoop;
  beforeEach(() => {
    loop = current();
  });

  test('a bound endpoint and a connected one exchange datagrams both ways', async () => {
    const [server, serverProtocol] = await loop.createDatagramEndpoint(
      () => new Recorder(),
      ['127.0.0.1', 0],
    );
    expect(serverProtocol.events).toEqual(['made']);
    const serverAddr = server.getExtraInfo('sockname') as [string, number];
    expect(serverAddr[0]).toBe('127.0.0.1');
    const [client, clientProtocol] = await loop.createDatagramEndpoint(
      () => new Recorder(),
      null,
      serverAddr,
    );
    expect(client.getExtraInfo('peername')).toEqual(serverAddr);
    expect(client.getExtraInfo('socket')).toBeInstanceOf(dgram.Socket);

    client.sendto(Buffer.from('ping'));
    await serverProtocol.until(1);
    const [text, from] = serverProtocol.received[0]!;
    expect(text).toBe('ping');
    server.sendto(Buffer.from('pong'), from);
    await clientProtocol.until(1);
    expect(clientProtocol.received[0]![0]).toBe('pong');

    client.close();
    server.close();
    expect(client.isClosing()).toBe(true);
    await new Promise((resolve) => loop.callSoon(() => resolve(undefined)));
    expect(clientProtocol.events).toEqual(['made', 'lost null']);
    client.sendto(Buffer.from('ignored after close'));
  });

  test('address checks: a connected endpoint refuses another peer; an unconnected one needs an address', async () => {
    const [server] = await loop.createDatagramEndpoint(() => new Recorder(), ['127.0.0.1', 0]);
    const addr = server.getExtraInfo('sockname') as [string, number];
    const [client] = await loop.createDatagramEndpoint(() => new Recorder(), null, addr);
    expect(() => client.sendto(Buffer.from('x'), ['127.0.0.1', 9])).toThrow(RangeError);
    expect(() => server.sendto(Buffer.from('x'))).toThrow(RangeError);
    expect(() => server.sendto('text' as never, addr)).toThrow(TypeError);
    client.close();
    server.close();
  });

  test('bad arguments and what Node cannot do', async () => {
    await expect(loop.createDatagramEndpoint(() => new Recorder())).rejects.toThrow(
      'unexpected address family',
    );
    await expect(loop.createDatagramEndpoint(() => new Recorder(), '/tmp/x.sock')).rejects.toThrow(
      NotImplementedError,
    );
    await expect(
      loop.createDatagramEndpoint(() => new Recorder(), null, null, { family: AF_UNIX }),
    ).rejects.toThrow(NotImplementedError);
    await expect(loop.createDatagramEndpoint(5 as never, ['127.0.0.1', 0])).rejects.toThrow(TypeError);
    await expect(loop.createDatagramEndpoint(() => new Recorder(), ['127.0.0.1', 70000])).rejects.toThrow(
      RangeError,
    );
    await expect(
      loop.createDatagramEndpoint(() => new Recorder(), null, null, { sock: {} as never }),
    ).rejects.toThrow(TypeError);
    const [unbound] = await loop.createDatagramEndpoint(() => new Recorder(), null, null, {
      family: AF_INET,
    });
    expect(unbound.getWriteBufferSize()).toBe(0);
    unbound.abort();
  });

  test('an existing dgram socket can be given with sock', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const [transport, protocol] = await loop.createDatagramEndpoint(() => new Recorder(), null, null, {
      sock,
    });
    expect(protocol.transport).toBe(transport);
    expect((transport.getExtraInfo('sockname') as [string, number])[1]).toBe(sock.address().port);
    transport.close();
  });
});

import { Protocol, type Transport, VirtualTimeEventLoop } from '@aio/loop';

/** Echoes what it receives. */
class Echo extends Protocol {
  transport: Transport | null = null;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
}

/** Collects what comes back and resolves when `expected` bytes arrived. */
class Client extends Protocol {
  received = '';
  done: Promise<string>;
  #resolve!: (s: string) => void;
  constructor(readonly expected: number) {
    super();
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }
  override dataReceived(data: Uint8Array): void {
    this.received += Buffer.from(data).toString();
    if (this.received.length >= this.expected) this.#resolve(this.received);
  }
}

// Real sockets under the virtual-time loop: I/O gets its turns while the clock stands still
// (and jumps only when only timers are left).
test('a TCP echo works on VirtualTimeEventLoop, with timers alongside', async () => {
  const loop = new VirtualTimeEventLoop();
  const running = loop.runForever();
  try {
    const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    const [transport, client] = await loop.createConnection(() => new Client(11), host, port);
    let timerAt = -1;
    loop.callLater(3600, () => (timerAt = loop.time()));
    transport.write(Buffer.from('virtual I/O'));
    await expect(client.done).resolves.toBe('virtual I/O');
    transport.close();
    server.close();
    await server.waitClosed();
    await loop.advance(0);
    while (timerAt < 0) await new Promise((resolve) => setImmediate(resolve));
    expect(timerAt).toBe(3600);
  } finally {
    loop.stop();
    await running;
    loop.close();
  }
});

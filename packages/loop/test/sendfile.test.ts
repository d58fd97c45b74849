import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EventLoop, Protocol, RuntimeError, SendfileNotAvailableError, type Transport } from '@aio/loop';
import { useRunningLoop } from './helpers';

/** The receiving side: collects bytes until `expected` arrived. */
class Sink extends Protocol {
  chunks: Buffer[] = [];
  size = 0;
  done!: Promise<Buffer>;
  #resolve!: (b: Buffer) => void;
  constructor(readonly expected: number) {
    super();
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }
  override dataReceived(data: Uint8Array): void {
    this.chunks.push(Buffer.from(data));
    this.size += data.byteLength;
    if (this.size >= this.expected) this.#resolve(Buffer.concat(this.chunks));
  }
}

/** The sending side: records flow-control calls it sees. */
class Sender extends Protocol {
  events: string[] = [];
  override pauseWriting(): void {
    this.events.push('pause');
  }
  override resumeWriting(): void {
    this.events.push('resume');
  }
}

describe('loop.sendfile (real TCP on 127.0.0.1)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-sendfile-'));
  const file = path.join(dir, 'payload.bin');
  const payload = crypto.randomBytes(3 * 1024 * 1024 + 123);
  fs.writeFileSync(file, payload);
  afterAll(() => fs.rmSync(dir, { recursive: true }));
  const current = useRunningLoop();
  let loop: EventLoop;
  beforeEach(() => {
    loop = current();
  });

  async function connect(expected: number): Promise<[Transport, Sender, Sink]> {
    let sink: Sink | undefined;
    const server = await loop.createServer(() => (sink = new Sink(expected)), '127.0.0.1', 0);
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    const [transport, sender] = await loop.createConnection(() => new Sender(), host, port);
    while (sink === undefined) await new Promise((resolve) => setImmediate(resolve));
    server.close();
    return [transport, sender, sink];
  }

  test('sends a whole file by descriptor, with flow control, and gives back the protocol', async () => {
    const [transport, sender, sink] = await connect(payload.length);
    transport.setWriteBufferLimits(64 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      await expect(loop.sendfile(transport, fd)).resolves.toBe(payload.length);
    } finally {
      fs.closeSync(fd);
    }
    expect((await sink.done).equals(payload)).toBe(true);
    expect(transport.getProtocol()).toBe(sender);
    transport.close();
  });

  test('offset and count, through a FileHandle', async () => {
    const [transport, , sink] = await connect(1000);
    const handle = await fs.promises.open(file, 'r');
    try {
      await expect(loop.sendfile(transport, handle, 500, 1000)).resolves.toBe(1000);
    } finally {
      await handle.close();
    }
    expect((await sink.done).equals(payload.subarray(500, 1500))).toBe(true);
    transport.close();
  });

  test('fallback: false, a closing transport, and bad arguments', async () => {
    const [transport] = await connect(1);
    const fd = fs.openSync(file, 'r');
    try {
      await expect(loop.sendfile(transport, fd, 0, null, { fallback: false })).rejects.toBeInstanceOf(
        SendfileNotAvailableError,
      );
      await expect(loop.sendfile(transport, fd, -1)).rejects.toThrow(RangeError);
      await expect(loop.sendfile(transport, fd, 0, 0)).rejects.toThrow(RangeError);
      await expect(loop.sendfile(transport, 'file' as never)).rejects.toThrow(TypeError);
      await expect(loop.sendfile({} as never, fd)).rejects.toThrow(TypeError);
      transport.close();
      await expect(loop.sendfile(transport, fd)).rejects.toThrow(RuntimeError);
    } finally {
      fs.closeSync(fd);
    }
  });
});

// TCP echo: 50 clients, each sending `size` messages of 100 bytes one at a time and reading
// each 100-byte reply before the next (@aio: streams with readExactly; raw: node:net callbacks;
// floor: the same sockets driven by coroutines, each in a context of its own, woken by
// floor.mjs's loop: the least a coroutine-per-connection program does).
import net from 'node:net';
import { openConnection, startServer } from '@aio/streams';
import { gather, run } from '@aio/tasks';
import { callSoon, inOwnContext } from './floor.mjs';
import { size, variant } from './timing.mjs';

const CLIENTS = 50;
const MESSAGE = 100;

async function aio() {
  return run(async () => {
    const server = await startServer(
      async (reader, writer) => {
        for (;;) {
          const data = await reader.read(65536);
          if (data.length === 0) break;
          writer.write(data);
        }
        writer.close();
      },
      '127.0.0.1',
      0,
    );
    const port = server.sockets[0].getsockname()[1];
    const message = Buffer.alloc(MESSAGE, 120);
    const client = async () => {
      const [reader, writer] = await openConnection('127.0.0.1', port);
      for (let i = 0; i < size; i++) {
        writer.write(message);
        await reader.readExactly(MESSAGE);
      }
      writer.close();
      await writer.waitClosed();
    };
    const started = performance.now();
    await gather(Array.from({ length: CLIENTS }, () => client));
    const seconds = (performance.now() - started) / 1000;
    server.close();
    await server.waitClosed();
    return seconds;
  });
}

async function raw() {
  const server = net.createServer({ noDelay: true }, (sock) => {
    sock.on('data', (data) => sock.write(data));
    sock.on('end', () => sock.end());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const message = Buffer.alloc(MESSAGE, 120);
  const client = () =>
    new Promise((resolve, reject) => {
      let pending = 0;
      let sent = 0;
      const sock = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => sock.write(message));
      sock.on('error', reject);
      sock.on('data', (data) => {
        pending += data.length;
        while (pending >= MESSAGE) {
          pending -= MESSAGE;
          if (++sent === size) {
            sock.end();
            sock.on('close', resolve);
            return;
          }
          sock.write(message);
        }
      });
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  server.close();
  return seconds;
}

/**
 * A connection's bytes for the floor: the reader awaits a promise that the loop resolves on the
 * iteration after the bytes arrive, as a task is woken after its future's result is set.
 */
class FloorReader {
  chunks = [];
  buffered = 0;
  want = 0;
  wake = null;

  feed(data) {
    this.chunks.push(data);
    this.buffered += data.length;
    if (this.wake !== null && this.buffered >= this.want) {
      const wake = this.wake;
      this.wake = null;
      callSoon(wake);
    }
  }

  /** At least `n` bytes (all that is buffered, at most one read's worth in this workload). */
  read(n) {
    return new Promise((resolve) => {
      this.want = n;
      const take = () => {
        const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        this.chunks = [];
        this.buffered = 0;
        resolve(data);
      };
      if (this.buffered >= n) take();
      else this.wake = take;
    });
  }
}

async function floor() {
  const server = net.createServer({ noDelay: true }, (sock) => {
    const reader = new FloorReader();
    sock.on('data', (data) => reader.feed(data));
    inOwnContext(async () => {
      for (;;) sock.write(await reader.read(1));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const message = Buffer.alloc(MESSAGE, 120);
  const client = () =>
    inOwnContext(async () => {
      const reader = new FloorReader();
      const sock = net.connect({
        port,
        host: '127.0.0.1',
        noDelay: true,
        onread: {
          buffer: Buffer.allocUnsafe(65536),
          callback: (n, buf) => {
            reader.feed(Buffer.from(buf.subarray(0, n)));
          },
        },
      });
      await new Promise((resolve) => sock.once('connect', resolve));
      for (let i = 0; i < size; i++) {
        sock.write(message);
        await reader.read(MESSAGE);
      }
      sock.destroy();
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  server.close();
  return seconds;
}

const seconds = await { aio, raw, floor }[variant]();
console.log(JSON.stringify({ value: (CLIENTS * size) / seconds }));

// TCP echo: 50 clients, each sending `size` messages of 100 bytes one at a time and reading
// each 100-byte reply before the next (@aio: streams with readExactly; raw: node:net).
import net from 'node:net';
import { openConnection, startServer } from '@aio/streams';
import { gather, run } from '@aio/tasks';
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

const seconds = variant === 'aio' ? await aio() : await raw();
console.log(JSON.stringify({ value: (CLIENTS * size) / seconds }));

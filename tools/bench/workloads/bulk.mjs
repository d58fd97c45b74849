// Bulk TCP: one client streams `size` MiB through an echo server in 64 KiB writes, waiting on
// drain (@aio: streams; raw: node:net with write()/'drain'), and reads the echo back.
import net from 'node:net';
import { openConnection, startServer } from '@aio/streams';
import { createTask, run } from '@aio/tasks';
import { size, variant } from './timing.mjs';

const CHUNK = 64 * 1024;
const total = size * 1024 * 1024;

async function aio() {
  return run(async () => {
    const server = await startServer(
      async (reader, writer) => {
        for (;;) {
          const data = await reader.read(CHUNK);
          if (data.length === 0) break;
          writer.write(data);
          await writer.drain();
        }
        writer.close();
      },
      '127.0.0.1',
      0,
    );
    const port = server.sockets[0].getsockname()[1];
    const chunk = Buffer.alloc(CHUNK, 120);
    const started = performance.now();
    const [reader, writer] = await openConnection('127.0.0.1', port);
    const received = createTask(async () => {
      let got = 0;
      for (;;) {
        const data = await reader.read(CHUNK);
        if (data.length === 0) return got;
        got += data.length;
      }
    });
    for (let sent = 0; sent < total; sent += CHUNK) {
      writer.write(chunk);
      await writer.drain();
    }
    writer.writeEof();
    if ((await received) !== total) throw new Error('lost bytes');
    const seconds = (performance.now() - started) / 1000;
    writer.close();
    server.close();
    await server.waitClosed();
    return seconds;
  });
}

async function raw() {
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (sock) => {
    sock.on('data', (data) => {
      if (!sock.write(data)) {
        sock.pause();
        sock.once('drain', () => sock.resume());
      }
    });
    sock.on('end', () => sock.end());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const chunk = Buffer.alloc(CHUNK, 120);
  const started = performance.now();
  const sock = net.connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
  await new Promise((resolve) => sock.once('connect', resolve));
  const received = new Promise((resolve) => {
    let got = 0;
    sock.on('data', (data) => {
      got += data.length;
    });
    sock.on('end', () => resolve(got));
  });
  for (let sent = 0; sent < total; sent += CHUNK) {
    if (!sock.write(chunk)) await new Promise((resolve) => sock.once('drain', resolve));
  }
  sock.end();
  if ((await received) !== total) throw new Error('lost bytes');
  const seconds = (performance.now() - started) / 1000;
  sock.destroy();
  server.close();
  return seconds;
}

const seconds = variant === 'aio' ? await aio() : await raw();
console.log(JSON.stringify({ value: size / seconds }));

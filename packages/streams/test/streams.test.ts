import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CancelledError, type ExceptionContext, getRunningLoop, type Server } from '@aio/loop';
import {
  openConnection,
  openUnixConnection,
  type StreamReader,
  type StreamWriter,
  startServer,
  startUnixServer,
} from '@aio/streams';
import { createTask, currentTask, run, sleep } from '@aio/tasks';

const fixtures = path.join(__dirname, '../../loop/test/fixtures');
const key = fs.readFileSync(path.join(fixtures, 'test-key.pem'));
const cert = fs.readFileSync(path.join(fixtures, 'test-cert.pem'));
const enc = (s: string) => Buffer.from(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();
const portOf = (server: Server) => (server.sockets[0]!.getsockname() as [string, number])[1];

async function echo(reader: StreamReader, writer: StreamWriter) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
}

/** Collects what the loop's exception handler receives during `body`. */
async function withErrors<T>(body: (errors: ExceptionContext[]) => Promise<T>): Promise<T> {
  const errors: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_l, ctx) => errors.push(ctx));
  return body(errors);
}

describe('openConnection / startServer', () => {
  test('echo: lines, exact frames, EOF', async () => {
    await run(async () => {
      await using server = await startServer(echo, '127.0.0.1', 0);
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      writer.write(enc('hello\nworld\n'));
      expect(dec(await reader.readLine())).toBe('hello\n');
      expect(dec(await reader.readExactly(3))).toBe('wor');
      writer.writeLines([enc('a'), enc('b')]);
      expect(dec(await reader.readExactly(5))).toBe('ld\nab');
      writer.writeEof();
      expect(dec(await reader.read())).toBe('');
      expect(reader.atEof()).toBe(true);
      expect(writer.canWriteEof()).toBe(true);
      expect(writer.getExtraInfo('peername')).toEqual(['127.0.0.1', portOf(server)]);
      writer.close();
      expect(writer.isClosing()).toBe(true);
      await writer.waitClosed();
    });
  });

  test('an async client callback runs as a Task; its failure is reported and closes the connection', async () => {
    await run(async () =>
      withErrors(async (errors) => {
        let inTask = false;
        await using server = await startServer(
          async (reader, writer) => {
            inTask = currentTask() !== null;
            const line = await reader.readLine();
            if (dec(line) === 'fail\n') throw new Error('handler failed');
            writer.write(line);
            writer.close();
          },
          '127.0.0.1',
          0,
        );
        const [r1, w1] = await openConnection('127.0.0.1', portOf(server));
        w1.write(enc('ok\n'));
        expect(dec(await r1.readLine())).toBe('ok\n');
        expect(inTask).toBe(true);
        const [r2, w2] = await openConnection('127.0.0.1', portOf(server));
        w2.write(enc('fail\n'));
        expect(dec(await r2.read())).toBe('');
        expect(errors.map((e) => e.message)).toContain('Unhandled exception in client_connected_cb');
        w1.close();
        w2.close();
      }),
    );
  });

  test('a plain (sync) client callback works too', async () => {
    await run(async () => {
      await using server = await startServer(
        (_reader, writer) => {
          writer.write(enc('greeting\n'));
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      expect(dec(await reader.readLine())).toBe('greeting\n');
      expect(dec(await reader.readLine())).toBe('');
      writer.close();
    });
  });

  test('half-close: the server answers after reading to EOF', async () => {
    await run(async () => {
      await using server = await startServer(
        async (reader, writer) => {
          const all = await reader.read();
          writer.write(enc(`got ${all.length} bytes`));
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      writer.write(Buffer.alloc(100_000));
      writer.writeEof();
      expect(dec(await reader.read())).toBe('got 100000 bytes');
      await writer.waitClosed();
    });
  });

  test('drain waits while the peer does not read, and returns once it does', async () => {
    await run(async () => {
      let peerReader: StreamReader | null = null;
      let peerWriter: StreamWriter | null = null;
      const arrived = getRunningLoop().createFuture<void>();
      await using server = await startServer(
        (reader, writer) => {
          peerReader = reader;
          peerWriter = writer;
          reader._transport!.pauseReading();
          arrived.setResult();
        },
        '127.0.0.1',
        0,
      );
      const [, writer] = await openConnection('127.0.0.1', portOf(server));
      await arrived;
      writer.transport.setWriteBufferLimits(64 * 1024);
      const chunk = Buffer.alloc(256 * 1024);
      let blocked = false;
      for (let i = 0; i < 64 && !blocked; i++) {
        writer.write(chunk);
        const draining = createTask(() => writer.drain());
        await sleep(0);
        blocked = !draining.done();
        if (blocked) {
          peerReader!._transport!.resumeReading();
          const consume = createTask(async () => {
            while ((await peerReader!.read(1 << 20)).length > 0);
          });
          await draining;
          consume.cancel();
        }
      }
      expect(blocked).toBe(true);
      writer.close();
      peerWriter!.close();
    });
  });

  test('serveForever: cancelling it closes the server', async () => {
    await run(async () => {
      const server = await startServer(echo, '127.0.0.1', 0, { startServing: false });
      expect(server.isServing()).toBe(false);
      await server.startServing();
      expect(server.isServing()).toBe(true);
      const serving = createTask(() => server.serveForever());
      while (server._serveForeverFut === null) await sleep(0);
      await expect(server.serveForever()).rejects.toThrow(/already being awaited/);
      serving.cancel();
      await expect(serving).rejects.toBeInstanceOf(CancelledError);
      expect(server.isServing()).toBe(false);
      expect(server.sockets).toEqual([]);
      await expect(server.serveForever()).rejects.toThrow(/closed/);
    });
  });
});

describe('faults', () => {
  test('a peer reset mid-read ends the read with the connection error', async () => {
    await run(async () => {
      let serverSock: net.Socket | null = null;
      const accepted = getRunningLoop().createFuture<void>();
      await using server = await startServer(
        (_r, writer) => {
          serverSock = writer.getExtraInfo('socket') as net.Socket;
          accepted.setResult();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      await accepted;
      const reading = createTask(() => reader.readExactly(10));
      await sleep(0);
      serverSock!.resetAndDestroy();
      await expect(reading).rejects.toMatchObject({ code: 'ECONNRESET' });
      await expect(writer.drain()).rejects.toMatchObject({ code: 'ECONNRESET' });
      await expect(writer.waitClosed()).rejects.toMatchObject({ code: 'ECONNRESET' });
    });
  });

  test('a refused connection rejects with the Node error', async () => {
    await run(async () => {
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as net.AddressInfo).port;
      await new Promise((r) => probe.close(r));
      await expect(openConnection('127.0.0.1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });

  test('closing the writer while a read waits ends the read at EOF', async () => {
    await run(async () => {
      await using server = await startServer(
        async (reader, writer) => {
          await reader.read();
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      const reading = createTask(() => reader.read(100));
      await sleep(0);
      writer.close();
      expect(dec(await reading)).toBe('');
      await writer.waitClosed();
      await expect(writer.drain()).rejects.toThrow(/Connection lost/);
    });
  });

  test('bad input: errors name the argument', async () => {
    await run(async () => {
      await expect(openConnection(42 as never, 80)).rejects.toThrow(/host/);
      await expect(openConnection('127.0.0.1', 'x' as never)).rejects.toThrow(/port/);
      await expect(openConnection('127.0.0.1', 80, { limit: 'big' as never })).rejects.toThrow(/limit/);
      await expect(startServer('nope' as never, '127.0.0.1', 0)).rejects.toThrow(/clientConnectedCb/);
      await expect(startServer(echo, '127.0.0.1', 0, { limit: -1 })).rejects.toThrow(/Limit/);
      await using server = await startServer(echo, '127.0.0.1', 0);
      const [, writer] = await openConnection('127.0.0.1', portOf(server));
      expect(() => writer.write('text' as never)).toThrow(/data argument/);
      writer.close();
    });
  });
});

describe('slow reader', () => {
  test('bulk: 16 MiB of random bytes come back intact through read(n) and readExactly', async () => {
    // Large reads are handed over with their buffer, small ones copied out of a reused one:
    // whichever way, what a reader returned must never change under it.
    await run(async () => {
      const payload = crypto.randomBytes(16 * 1024 * 1024);
      await using server = await startServer(echo, '127.0.0.1', 0);
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      const received = createTask(async () => {
        const parts: Uint8Array[] = [];
        let got = 0;
        while (got < payload.length) {
          const part =
            got % 3 === 0
              ? await reader.read(65536)
              : await reader.readExactly(Math.min(1000, payload.length - got));
          parts.push(part);
          got += part.length;
        }
        return parts;
      });
      for (let sent = 0; sent < payload.length; sent += 65536) {
        writer.write(payload.subarray(sent, sent + 65536));
        await writer.drain();
      }
      const parts = await received;
      expect(Buffer.concat(parts).equals(payload)).toBe(true);
      writer.close();
      await writer.waitClosed();
    });
  });

  test('a writer awaiting drain() keeps memory bounded (1 GiB to a slow reader)', async () => {
    await run(async () => {
      const total = 1024 * 1024 * 1024;
      let received = 0;
      await using server = await startServer(
        async (reader, writer) => {
          for (;;) {
            // Slow: 16 KiB at a time, and a loop iteration given away after each read.
            const data = await reader.read(16 * 1024);
            if (data.length === 0) break;
            received += data.length;
            await sleep(0);
          }
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(server));
      const chunk = Buffer.alloc(64 * 1024, 1);
      const before = process.memoryUsage().rss;
      let peak = before;
      let waits = 0;
      for (let sent = 0; sent < total; sent += chunk.length) {
        writer.write(chunk);
        if (writer.transport.getWriteBufferSize() > 64 * 1024) waits++;
        await writer.drain();
        if ((sent & 0xffffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      expect(waits).toBeGreaterThan(100); // the reader was slower: drain() did hold the writer
      writer.writeEof();
      await reader.read();
      expect(received).toBe(total);
      expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    });
  });
});

describe('Unix sockets and TLS', () => {
  test('startUnixServer / openUnixConnection', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-streams-'));
    const file = path.join(dir, 's.sock');
    await run(async () => {
      const server = await startUnixServer(echo, file);
      const [reader, writer] = await openUnixConnection(file);
      writer.write(enc('unix line\n'));
      expect(dec(await reader.readLine())).toBe('unix line\n');
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
    expect(fs.existsSync(file)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  test('TLS via ssl; writer.startTls upgrades a plain connection', async () => {
    await run(async () => {
      await using tlsServer = await startServer(echo, '127.0.0.1', 0, { ssl: { key, cert } });
      const [r, w] = await openConnection('127.0.0.1', portOf(tlsServer), {
        ssl: { ca: cert },
        serverHostname: 'localhost',
      });
      w.write(enc('over tls\n'));
      expect(dec(await r.readLine())).toBe('over tls\n');
      expect(w.canWriteEof()).toBe(false);
      w.close();
      await w.waitClosed();

      await using plain = await startServer(
        async (reader, writer) => {
          expect(dec(await reader.readLine())).toBe('STARTTLS\n');
          writer.write(enc('OK\n'));
          await writer.startTls({ key, cert });
          const line = await reader.readLine();
          writer.write(enc(`secure ${dec(line)}`));
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = await openConnection('127.0.0.1', portOf(plain));
      writer.write(enc('STARTTLS\n'));
      expect(dec(await reader.readLine())).toBe('OK\n');
      await writer.startTls({ ca: cert }, { serverHostname: 'localhost' });
      expect(writer.getExtraInfo('peercert')).not.toBeNull();
      writer.write(enc('hello\n'));
      expect(dec(await reader.readLine())).toBe('secure hello\n');
      await writer[Symbol.asyncDispose]();
      expect(writer.isClosing()).toBe(true);
    });
  });
});

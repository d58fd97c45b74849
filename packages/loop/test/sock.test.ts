import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EventLoop, NotImplementedError, SendfileNotAvailableError } from '@aio/loop';

/** Runs `main` with the loop running (the sock methods need Node's events, not loop time). */
async function withLoop<T>(main: (loop: EventLoop) => Promise<T>): Promise<T> {
  const loop = new EventLoop();
  const running = loop.runForever();
  try {
    return await main(loop);
  } finally {
    loop.stop();
    await running;
    loop.close();
  }
}

/** A raw node:net echo server on 127.0.0.1 (a peer this module did not write). */
async function echoServer(): Promise<[net.Server, number]> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, (server.address() as net.AddressInfo).port];
}

describe('sock* methods (real sockets on 127.0.0.1)', () => {
  test('sockConnect, sockSendall, sockRecv, sockRecvInto; empty at EOF', async () => {
    const [server, port] = await echoServer();
    try {
      await withLoop(async (loop) => {
        const sock = new net.Socket();
        await loop.sockConnect(sock, ['127.0.0.1', port]);
        await loop.sockSendall(sock, Buffer.from('hello sockets'));
        let got = '';
        while (got.length < 13) got += Buffer.from(await loop.sockRecv(sock, 5)).toString();
        expect(got).toBe('hello sockets');
        await loop.sockSendall(sock, Buffer.from('abc'));
        const buf = new Uint8Array(10);
        let n = 0;
        while (n < 3) n += await loop.sockRecvInto(sock, buf.subarray(n));
        expect(Buffer.from(buf.subarray(0, 3)).toString()).toBe('abc');
        sock.end();
        let rest: Uint8Array;
        do rest = await loop.sockRecv(sock, 100);
        while (rest.length > 0);
        expect(rest.length).toBe(0);
        expect((await loop.sockRecv(sock, 0)).length).toBe(0);
      });
    } finally {
      server.close();
    }
  });

  test('a refused connect rejects with Node’s error', async () => {
    const [server, port] = await echoServer();
    server.close();
    await withLoop(async (loop) => {
      await expect(loop.sockConnect(new net.Socket(), ['127.0.0.1', port])).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });

  test('sockAccept queues the connections of a listening net.Server', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await withLoop(async (loop) => {
        const client = net.connect(port, '127.0.0.1');
        const [accepted, peer] = await loop.sockAccept(server);
        expect(peer).toEqual(['127.0.0.1', client.localPort ?? (peer as [string, number])[1]]);
        client.write('first words');
        expect(Buffer.from(await loop.sockRecv(accepted, 100)).toString()).toBe('first words');
        client.destroy();
        accepted.destroy();
        await expect(loop.sockAccept({} as never)).rejects.toThrow(TypeError);
      });
    } finally {
      server.close();
    }
  });

  test('sockSendto, sockRecvfrom, sockRecvfromInto on dgram sockets', async () => {
    const a = dgram.createSocket('udp4');
    const b = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => a.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => b.bind(0, '127.0.0.1', resolve));
    try {
      await withLoop(async (loop) => {
        const to: [string, number] = ['127.0.0.1', a.address().port];
        await expect(loop.sockSendto(b, Buffer.from('datagram one'), to)).resolves.toBe(12);
        const [data, from] = await loop.sockRecvfrom(a, 8);
        expect(Buffer.from(data).toString()).toBe('datagram');
        expect(from).toEqual(['127.0.0.1', b.address().port]);
        await loop.sockSendto(b, Buffer.from('two'), to);
        const buf = new Uint8Array(16);
        const [n] = await loop.sockRecvfromInto(a, buf);
        expect(Buffer.from(buf.subarray(0, n)).toString()).toBe('two');
        await expect(loop.sockSendto(b, Buffer.from('x'), '/tmp/unix')).rejects.toThrow(NotImplementedError);
      });
    } finally {
      a.close();
      b.close();
    }
  });

  test('sockSendfile copies part of a file; fallback: false is refused', async () => {
    const [server, port] = await echoServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-sock-'));
    const file = path.join(dir, 'f.txt');
    fs.writeFileSync(file, '0123456789');
    const fd = fs.openSync(file, 'r');
    try {
      await withLoop(async (loop) => {
        const sock = new net.Socket();
        await loop.sockConnect(sock, ['127.0.0.1', port]);
        await expect(loop.sockSendfile(sock, fd, 2, 5)).resolves.toBe(5);
        let got = '';
        while (got.length < 5) got += Buffer.from(await loop.sockRecv(sock, 10)).toString();
        expect(got).toBe('23456');
        await expect(loop.sockSendfile(sock, fd, 0, null, { fallback: false })).rejects.toBeInstanceOf(
          SendfileNotAvailableError,
        );
        sock.destroy();
      });
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true });
      server.close();
    }
  });

  test('addReader is level-triggered until the data is read or the reader removed; addWriter likewise', async () => {
    const [server, port] = await echoServer();
    try {
      await withLoop(async (loop) => {
        const sock = new net.Socket();
        await loop.sockConnect(sock, ['127.0.0.1', port]);
        const reads: string[] = [];
        let calls = 0;
        const done = new Promise<void>((resolve) => {
          loop.addReader(
            sock,
            (tag: string) => {
              calls++;
              const chunk = sock.read() as Buffer | null;
              if (chunk !== null) reads.push(`${tag}:${chunk}`);
              if (reads.join('').includes('ping')) {
                expect(loop.removeReader(sock)).toBe(true);
                resolve();
              }
            },
            'r',
          );
        });
        sock.write('ping');
        await done;
        expect(reads.join('')).toContain('ping');
        expect(calls).toBeGreaterThan(0);
        expect(loop.removeReader(sock)).toBe(false);

        let writable = 0;
        await new Promise<void>((resolve) =>
          loop.addWriter(sock, () => {
            if (++writable === 3) {
              loop.removeWriter(sock);
              resolve();
            }
          }),
        );
        expect(writable).toBe(3); // called again on each iteration while writable
        expect(loop.removeWriter(sock)).toBe(false);
        sock.destroy();
      });
    } finally {
      server.close();
    }
  });

  test('raw file descriptors and bad arguments', async () => {
    await withLoop(async (loop) => {
      expect(() => loop.addReader(0, () => {})).toThrow(NotImplementedError);
      expect(() => loop.addWriter(1, () => {})).toThrow(NotImplementedError);
      expect(() => loop.removeReader(0)).toThrow(NotImplementedError);
      expect(() => loop.addReader({} as never, () => {})).toThrow(TypeError);
      expect(() => loop.addReader(new net.Socket(), 'x' as never)).toThrow(TypeError);
      await expect(loop.sockRecv({} as never, 1)).rejects.toThrow(TypeError);
      await expect(loop.sockRecv(new net.Socket(), -1)).rejects.toThrow(RangeError);
      await expect(loop.sockSendall(new net.Socket(), 'text' as never)).rejects.toThrow(TypeError);
      await expect(loop.sockRecvfrom({} as never, 1)).rejects.toThrow(TypeError);
      await expect(loop.sockConnect(new net.Socket(), 42 as never)).rejects.toThrow(TypeError);
    });
  });
});

// Interop with a peer this project did not write: CPython's asyncio streams, in a child process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Server } from '@aio/loop';
import { openConnection, type StreamReader, type StreamWriter, startServer } from '@aio/streams';
import { run } from '@aio/tasks';

const python =
  spawnSync('python3', ['-c', 'import asyncio'], { encoding: 'utf8' }).status === 0 ? 'python3' : null;
if (python === null) console.warn('python3 with asyncio not found: interop tests skipped');
const maybe = python === null ? test.skip : test;
const enc = (s: string) => Buffer.from(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();

/** Runs a Python script; resolves with its stdout once it exits 0. */
function runPython(script: string, args: string[] = []): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(python!, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`python exited ${code}: ${err}`)),
    ),
  );
  return { child, done };
}

/** The @aio side of the protocol: lines upper-cased, then a 4-byte-length frame echoed, then half-close. */
async function aioServerSide(reader: StreamReader, writer: StreamWriter) {
  for (;;) {
    const line = await reader.readLine();
    if (dec(line) === 'END\n') break;
    writer.write(enc(dec(line).toUpperCase()));
  }
  const size = Buffer.from(await reader.readExactly(4)).readUInt32BE();
  const frame = await reader.readExactly(size);
  writer.write(frame);
  const rest = await reader.read();
  writer.write(enc(`eof after ${rest.length}\n`));
  await writer.drain();
  writer.close();
}

const PY_CLIENT = `
import asyncio, struct, sys, json
async def main(port):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    out = {}
    writer.write(b'hello\\nworld\\n')
    out['lines'] = [(await reader.readline()).decode(), (await reader.readline()).decode()]
    writer.write(b'END\\n')
    frame = bytes(range(256)) * 40
    writer.write(struct.pack('>I', len(frame)) + frame)
    out['frame_ok'] = (await reader.readexactly(len(frame))) == frame
    writer.write(b'x' * 1000)
    writer.write_eof()
    out['eof_line'] = (await reader.readline()).decode()
    out['at_eof'] = (await reader.read()) == b''
    writer.close()
    await writer.wait_closed()
    print(json.dumps(out))
asyncio.run(main(int(sys.argv[1])))
`;

const PY_SERVER = `
import asyncio, struct, sys
async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if line == b'END\\n':
            break
        writer.write(line.upper())
    size, = struct.unpack('>I', await reader.readexactly(4))
    writer.write(await reader.readexactly(size))
    rest = await reader.read()
    writer.write(b'eof after %d\\n' % len(rest))
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    server.close()
async def main():
    global server
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    try:
        await server.serve_forever()
    except asyncio.CancelledError:
        pass
asyncio.run(main())
`;

describe('CPython asyncio interop', () => {
  maybe('a CPython streams client against an @aio server: lines, exact frames, half-close', async () => {
    let server: Server | null = null;
    await run(async () => {
      server = await startServer(aioServerSide, '127.0.0.1', 0);
      const port = (server.sockets[0]!.getsockname() as [string, number])[1];
      const { done } = runPython(PY_CLIENT, [String(port)]);
      const result = JSON.parse(await done);
      expect(result).toEqual({
        lines: ['HELLO\n', 'WORLD\n'],
        frame_ok: true,
        eof_line: 'eof after 1000\n',
        at_eof: true,
      });
      server.close();
      await server.waitClosed();
    });
  });

  maybe('an @aio client against a CPython streams server', async () => {
    const { child, done } = runPython(PY_SERVER);
    const port = await new Promise<number>((resolve) => {
      child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    });
    await run(async () => {
      const [reader, writer] = await openConnection('127.0.0.1', port);
      writer.write(enc('hello\nworld\n'));
      expect(dec(await reader.readLine())).toBe('HELLO\n');
      expect(dec(await reader.readLine())).toBe('WORLD\n');
      writer.write(enc('END\n'));
      const frame = Buffer.alloc(10_000, 7);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(frame.length);
      writer.writeLines([header, frame]);
      expect(Buffer.compare(Buffer.from(await reader.readExactly(frame.length)), frame)).toBe(0);
      writer.write(Buffer.alloc(1234));
      writer.writeEof();
      expect(dec(await reader.readLine())).toBe('eof after 1234\n');
      expect(dec(await reader.read())).toBe('');
      writer.close();
      await writer.waitClosed();
    });
    await done;
  });
});

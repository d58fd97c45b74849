import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { type EventLoop, Protocol, type ReadTransport, type WriteTransport } from '@aio/loop';
import { useRunningLoop } from './helpers';

/** Records the callbacks it gets. */
class Recorder extends Protocol {
  events: string[] = [];
  data: string[] = [];
  lost!: Promise<Error | null>;
  #lost!: (exc: Error | null) => void;
  constructor() {
    super();
    this.lost = new Promise((resolve) => (this.#lost = resolve));
  }
  override connectionMade(): void {
    this.events.push('made');
  }
  override dataReceived(data: Uint8Array): void {
    this.data.push(Buffer.from(data).toString());
  }
  override eofReceived(): void {
    this.events.push('eof');
  }
  override pauseWriting(): void {
    this.events.push('pause');
  }
  override resumeWriting(): void {
    this.events.push('resume');
  }
  override connectionLost(exc: Error | null): void {
    this.events.push(`lost ${exc === null ? 'null' : exc.message}`);
    this.#lost(exc);
  }
}

describe('connectReadPipe / connectWritePipe', () => {
  const current = useRunningLoop();
  let loop: EventLoop;
  beforeEach(() => {
    loop = current();
  });

  test('a read pipe: data, EOF, then connectionLost(null), in that order', async () => {
    const source = new PassThrough();
    const [transport, protocol] = await loop.connectReadPipe(() => new Recorder(), source);
    expect(transport.getExtraInfo('pipe')).toBe(source);
    expect(transport.isReading()).toBe(true);
    source.write('hello ');
    source.end('pipe');
    await protocol.lost;
    expect(protocol.data.join('')).toBe('hello pipe');
    expect(protocol.events).toEqual(['made', 'eof', 'lost null']);
  });

  test('pauseReading stops data until resumeReading', async () => {
    const source = new PassThrough();
    const [transport, protocol] = await loop.connectReadPipe(() => new Recorder(), source);
    transport.pauseReading();
    transport.pauseReading();
    expect(transport.isReading()).toBe(false);
    source.write('held back');
    await new Promise((resolve) => setImmediate(resolve));
    expect(protocol.data).toEqual([]);
    transport.resumeReading();
    await new Promise((resolve) => setImmediate(resolve));
    expect(protocol.data).toEqual(['held back']);
    (transport as ReadTransport).close();
    expect(await protocol.lost).toBeNull();
  });

  test('a write pipe: writes arrive, writeEof ends the stream, flow control pauses and resumes', async () => {
    const chunks: Buffer[] = [];
    let release: (() => void) | null = null;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        release = done; // held until the test lets it go
      },
    });
    const [transport, protocol] = await loop.connectWritePipe(() => new Recorder(), slow);
    (transport as WriteTransport).setWriteBufferLimits(100);
    expect(transport.getWriteBufferLimits()).toEqual([25, 100]);
    transport.write(Buffer.alloc(60));
    transport.write(Buffer.alloc(60));
    expect(transport.getWriteBufferSize()).toBeGreaterThan(100);
    expect(protocol.events).toEqual(['made', 'pause']);
    for (let i = 0; i < 3 && release !== null; i++) {
      const next = release as () => void;
      release = null;
      next();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(protocol.events).toContain('resume');
    expect(transport.canWriteEof()).toBe(true);
    transport.writeEof();
    expect(transport.isClosing()).toBe(true);
    transport.write(Buffer.from('ignored after EOF'));
    expect(() => transport.write('text' as never)).toThrow(TypeError);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(120);
  });

  test('real OS pipes: a child process’s stdout and stdin by file descriptor and stream', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [, reader] = await loop.connectReadPipe(() => new Recorder(), child.stdout);
    const [writer] = await loop.connectWritePipe(() => new Recorder(), child.stdin);
    writer.write(Buffer.from('through a child\n'));
    writer.writeEof();
    await reader.lost;
    expect(reader.data.join('')).toBe('through a child\n');
    expect(reader.events).toEqual(['made', 'eof', 'lost null']);
  });

  test('regular files and bad arguments are refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-pipe-'));
    const file = path.join(dir, 'regular.txt');
    fs.writeFileSync(file, 'x');
    const fd = fs.openSync(file, 'r');
    try {
      await expect(loop.connectReadPipe(() => new Recorder(), fd)).rejects.toThrow(/only for pipes/);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true });
    }
    await expect(loop.connectReadPipe(() => new Recorder(), {} as never)).rejects.toThrow(TypeError);
    await expect(loop.connectWritePipe(() => new Recorder(), 'x' as never)).rejects.toThrow(TypeError);
    await expect(loop.connectReadPipe(() => new Recorder(), -1)).rejects.toThrow(RangeError);
    await expect(loop.connectWritePipe(5 as never, new PassThrough())).rejects.toThrow(TypeError);
  });
});

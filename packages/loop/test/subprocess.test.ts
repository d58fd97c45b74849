// loop.subprocessExec / subprocessShell with real child processes (Node itself as the child),
// after test_asyncio's test_subprocess transport-level cases.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEVNULL,
  type EventLoop,
  PIPE,
  STDOUT,
  SubprocessProtocol,
  type SubprocessTransport,
  type WriteTransport,
} from '@aio/loop';
import { useRunningLoop } from './helpers';

const node = process.execPath;

/** Records every callback, in order, with the data per pipe. */
class Recorder extends SubprocessProtocol {
  events: string[] = [];
  out: Record<number, string> = { 1: '', 2: '' };
  transport: SubprocessTransport | null = null;
  readonly lost: Promise<Error | null>;
  readonly exited: Promise<void>;
  #lost!: (exc: Error | null) => void;
  #exited!: () => void;

  constructor() {
    super();
    this.lost = new Promise((resolve) => (this.#lost = resolve));
    this.exited = new Promise((resolve) => (this.#exited = resolve));
  }
  override connectionMade(transport: SubprocessTransport): void {
    this.transport = transport;
    this.events.push('made');
  }
  override pipeDataReceived(fd: number, data: Uint8Array): void {
    if (this.events.at(-1) !== `data ${fd}`) this.events.push(`data ${fd}`);
    this.out[fd] += Buffer.from(data).toString();
  }
  override pipeConnectionLost(fd: number, exc: Error | null): void {
    this.events.push(`pipe lost ${fd}${exc === null ? '' : ` ${exc.message}`}`);
  }
  override processExited(): void {
    this.events.push('exited');
    this.#exited();
  }
  override connectionLost(exc: Error | null): void {
    this.events.push('lost');
    this.#lost(exc);
  }
}

describe('loop.subprocessExec / subprocessShell', () => {
  const current = useRunningLoop();
  let loop: EventLoop;
  beforeEach(() => {
    loop = current();
  });

  test('pipes by default: stdin to stdout, stderr, the exit code; connectionMade first, connectionLost last', async () => {
    const script = `process.stdin.pipe(process.stdout); process.stdin.on('end', () => { process.stderr.write('bye'); process.exitCode = 3; });`;
    const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, ['-e', script]);
    expect(transport.getPid()).toBeGreaterThan(0);
    expect(transport.getReturncode()).toBeNull();
    const stdin = transport.getPipeTransport(0) as WriteTransport;
    stdin.write(Buffer.from('hello '));
    stdin.write(Buffer.from('child'));
    stdin.close();
    expect(await protocol.lost).toBeNull();
    expect(transport.getReturncode()).toBe(3);
    expect(protocol.out).toEqual({ 1: 'hello child', 2: 'bye' });
    expect(protocol.events[0]).toBe('made');
    expect(protocol.events.at(-1)).toBe('lost');
    for (const event of ['pipe lost 0', 'pipe lost 1', 'pipe lost 2', 'exited'])
      expect(protocol.events).toContain(event);
    expect(transport.getExtraInfo('subprocess')).toHaveProperty('pid', transport.getPid());
  });

  test('a child that exits at once still gets connectionMade before its output and exit', async () => {
    const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, [
      '-e',
      'console.log("quick")',
    ]);
    await protocol.lost;
    expect(protocol.events.slice(0, 2)).toEqual(['made', 'data 1']);
    expect(protocol.out[1]).toBe('quick\n');
    expect(transport.getReturncode()).toBe(0);
  });

  test('signals: terminate, kill and sendSignal give -N; after the end, sendSignal is ProcessLookupError', async () => {
    const hang = ['-e', 'setInterval(() => {}, 1000)'];
    for (const [stop, code] of [
      [(t: SubprocessTransport) => t.terminate(), -os.constants.signals.SIGTERM],
      [(t: SubprocessTransport) => t.kill(), -os.constants.signals.SIGKILL],
      [(t: SubprocessTransport) => t.sendSignal('SIGINT'), -os.constants.signals.SIGINT],
      [(t: SubprocessTransport) => t.sendSignal(os.constants.signals.SIGHUP), -os.constants.signals.SIGHUP],
    ] as const) {
      class SignalAfterExit extends Recorder {
        override processExited(): void {
          // Exited, not finished yet: a signal is ignored (the process is gone).
          this.transport!.sendSignal('SIGTERM');
          super.processExited();
        }
      }
      const [transport, protocol] = await loop.subprocessExec(() => new SignalAfterExit(), node, hang, {
        stdin: DEVNULL,
      });
      stop(transport);
      await protocol.lost;
      expect(transport.getReturncode()).toBe(code);
      expect(protocol.events).toContain('exited');
      expect(() => transport.kill()).toThrow(expect.objectContaining({ name: 'ProcessLookupError' }));
    }
  });

  test('bad signals are refused', async () => {
    const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, ['-e', '']);
    expect(() => transport.sendSignal('SIGNOPE' as never)).toThrow(TypeError);
    expect(() => transport.sendSignal(12345)).toThrow(RangeError);
    await protocol.lost;
  });

  test('close() closes the pipes and kills a running child', async () => {
    const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, [
      '-e',
      'setInterval(() => {}, 1000)',
    ]);
    transport.close();
    expect(transport.isClosing()).toBe(true);
    await protocol.lost;
    expect(transport.getReturncode()).toBe(-os.constants.signals.SIGKILL);
    transport.close(); // twice: nothing
  });

  test('stderr=STDOUT joins both into the stdout pipe, in the order written', async () => {
    const script = 'process.stdout.write("a"); process.stderr.write("b"); process.stdout.write("c")';
    const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, ['-e', script], {
      stderr: STDOUT,
    });
    await protocol.lost;
    expect(transport.getPipeTransport(2)).toBeNull();
    expect(protocol.out[1].split('').sort().join('')).toBe('abc');
    expect(transport.getPid()).toBeGreaterThan(0);
    // The shell that joins them is gone (exec): a missing program is still ENOENT.
    await expect(
      loop.subprocessExec(() => new Recorder(), '/no/such/program', [], { stderr: STDOUT }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      loop.subprocessExec(() => new Recorder(), 'no-such-program-aio', [], { stderr: STDOUT }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('DEVNULL, a file descriptor, stderr=STDOUT to a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aio-subprocess-'));
    const file = path.join(dir, 'out.txt');
    const fd = fs.openSync(file, 'w');
    try {
      const script = 'process.stdout.write("to the file "); process.stderr.write("both")';
      const [transport, protocol] = await loop.subprocessExec(() => new Recorder(), node, ['-e', script], {
        stdin: DEVNULL,
        stdout: fd,
        stderr: STDOUT,
      });
      expect(transport.getPipeTransport(0)).toBeNull();
      expect(transport.getPipeTransport(1)).toBeNull();
      await protocol.lost;
      expect(fs.readFileSync(file, 'utf8')).toBe('to the file both');
      expect(protocol.events).toEqual(['made', 'exited', 'lost']);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('cwd, env (replacing the environment) and argv0', async () => {
    const dir = fs.realpathSync(os.tmpdir());
    const script =
      'console.log(JSON.stringify([process.cwd(), process.env.ONLY, process.env.HOME ?? null, process.argv0]))';
    const [, protocol] = await loop.subprocessExec(() => new Recorder(), node, ['-e', script], {
      cwd: dir,
      env: { ONLY: 'this' },
      argv0: 'renamed',
    });
    await protocol.lost;
    expect(JSON.parse(protocol.out[1])).toEqual([dir, 'this', null, 'renamed']);
  });

  test('subprocessShell runs the command with /bin/sh', async () => {
    const [transport, protocol] = await loop.subprocessShell(
      () => new Recorder(),
      'echo "$GREETING" world; echo oops >&2; exit 7',
      { env: { GREETING: 'hello' }, stderr: STDOUT },
    );
    await protocol.lost;
    expect(protocol.out[1]).toBe('hello world\noops\n');
    expect(transport.getReturncode()).toBe(7);
  });

  test('a large output flows through the pipe whole', async () => {
    const size = 4 * 1024 * 1024;
    const [, protocol] = await loop.subprocessExec(() => new Recorder(), node, [
      '-e',
      `process.stdout.write('x'.repeat(${size}))`,
    ]);
    await protocol.lost;
    expect(protocol.out[1].length).toBe(size);
  });

  test('pipe chunks a protocol keeps stay intact (large reads are handed over, small ones copied)', async () => {
    const payload = crypto.randomBytes(4 * 1024 * 1024);
    class Keeper extends Recorder {
      chunks: Uint8Array[] = [];
      override pipeDataReceived(fd: number, data: Uint8Array): void {
        expect(fd).toBe(1);
        this.chunks.push(data);
      }
    }
    const [transport, protocol] = await loop.subprocessExec(() => new Keeper(), 'cat', []);
    const stdin = transport.getPipeTransport(0) as WriteTransport;
    stdin.write(payload.subarray(0, 10));
    stdin.write(payload.subarray(10));
    stdin.writeEof();
    await protocol.lost;
    expect(Buffer.concat(protocol.chunks).equals(payload)).toBe(true);
    expect(new Set(protocol.chunks.map((c) => c.buffer)).size).toBeGreaterThan(1);
  });

  test('the stdin pipe tells the protocol to pause and resume writing', async () => {
    const paused: string[] = [];
    class Flow extends Recorder {
      override pauseWriting(): void {
        paused.push('pause');
      }
      override resumeWriting(): void {
        paused.push('resume');
      }
    }
    const [transport, protocol] = await loop.subprocessExec(() => new Flow(), node, [
      '-e',
      'process.stdin.resume(); process.stdin.on("end", () => {})',
    ]);
    const stdin = transport.getPipeTransport(0) as WriteTransport;
    stdin.setWriteBufferLimits(1024);
    stdin.write(Buffer.alloc(1024 * 1024));
    expect(paused).toEqual(['pause']);
    stdin.close();
    await protocol.lost;
    expect(paused).toEqual(['pause', 'resume']);
  });

  test('spawn errors reject with Node’s error; the protocol factory is not kept', async () => {
    await expect(loop.subprocessExec(() => new Recorder(), '/no/such/program')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(
      loop.subprocessExec(() => new Recorder(), node, ['-e', ''], { cwd: '/no/such/dir' }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('bad arguments: clear errors naming them', async () => {
    const make = () => new Recorder();
    await expect(loop.subprocessExec(make, 42 as never)).rejects.toThrow(/program/);
    await expect(loop.subprocessExec(make, '')).rejects.toThrow(TypeError);
    await expect(loop.subprocessExec(make, node, 'x' as never)).rejects.toThrow(/args/);
    await expect(loop.subprocessExec(make, node, [1] as never)).rejects.toThrow(/args/);
    await expect(loop.subprocessExec(null as never, node)).rejects.toThrow(/protocolFactory/);
    await expect(loop.subprocessExec(make, node, [], { stdin: 'x' as never })).rejects.toThrow(/opts.stdin/);
    await expect(loop.subprocessExec(make, node, [], { stdout: -7 })).rejects.toThrow(RangeError);
    await expect(loop.subprocessExec(make, node, [], { stdout: STDOUT as never })).rejects.toThrow(
      /opts.stdout/,
    );
    await expect(loop.subprocessExec(make, node, [], { shell: true } as never)).rejects.toThrow(/opts.shell/);
    await expect(loop.subprocessExec(make, node, [], 5 as never)).rejects.toThrow(/opts/);
    await expect(loop.subprocessShell(make, 5 as never)).rejects.toThrow(/cmd/);
    expect(PIPE).toBe(-1);
  });

  test('a closed loop refuses', async () => {
    const { EventLoop: Loop } = await import('@aio/loop');
    const closed = new Loop();
    closed.close();
    await expect(closed.subprocessExec(() => new Recorder(), node)).rejects.toThrow(/closed/);
  });
});

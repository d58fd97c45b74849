// createSubprocessExec / createSubprocessShell and Process, with real child processes (Node itself
// as the child), after test_asyncio's test_subprocess.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import {
  CancelledError,
  DEVNULL,
  EventLoop,
  PIPE,
  STDOUT,
  TimeoutError,
  VirtualTimeEventLoop,
} from '@aio/loop';
import { createSubprocessExec, createSubprocessShell, type Process } from '@aio/subprocess';
import { createTask, run, sleep, timeout } from '@aio/tasks';

const node = process.execPath;
const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString());
const bytes = (s: string) => new TextEncoder().encode(s);
/** A child that copies its stdin to its stdout. */
const cat = ['-e', 'process.stdin.pipe(process.stdout)'];
/** A child that runs until it is killed. */
const hang = ['-e', 'setInterval(() => {}, 1000)'];

/** Runs `main` on a real loop (children are real I/O). */
const onLoop = <T>(main: () => Promise<T>) => run(main, { loopFactory: () => new EventLoop() });
/** Runs `main` on the virtual-time loop: a timeout fires as soon as the loop would wait for it. */
const onVirtualTime = <T>(main: () => Promise<T>) =>
  run(main, { loopFactory: () => new VirtualTimeEventLoop() });

describe('createSubprocessExec and Process', () => {
  test('communicate: input in, stdout and stderr out, then the returncode', async () => {
    await onLoop(async () => {
      const script = `let s=''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => { process.stdout.write(s.toUpperCase()); process.stderr.write('done'); process.exit(4); });`;
      const proc = await createSubprocessExec(node, ['-e', script], {
        stdin: PIPE,
        stdout: PIPE,
        stderr: PIPE,
      });
      expect(proc.pid).toBeGreaterThan(0);
      expect(proc.returncode).toBeNull();
      const [out, err] = await proc.communicate(bytes('shout'));
      expect([text(out), text(err)]).toEqual(['SHOUT', 'done']);
      expect(proc.returncode).toBe(4);
      expect(await proc.wait()).toBe(4);
    });
  });

  test('stdio is inherited by default: no streams, wait() gives the code', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, ['-e', 'process.exit(2)']);
      expect([proc.stdin, proc.stdout, proc.stderr]).toEqual([null, null, null]);
      expect(await proc.wait()).toBe(2);
      expect(await proc.communicate()).toEqual([null, null]);
    });
  });

  test('a megabyte each way: communicate writes with drain and reads to the end', async () => {
    await onLoop(async () => {
      const input = Buffer.alloc(1024 * 1024, 'ab');
      const proc = await createSubprocessExec(node, cat, { stdin: PIPE, stdout: PIPE });
      const [out, err] = await proc.communicate(input);
      expect(err).toBeNull();
      expect(Buffer.compare(Buffer.from(out!), input)).toBe(0);
      expect(proc.returncode).toBe(0);
    });
  });

  test('a child that exits without reading its input: communicate ignores the broken pipe', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, ['-e', 'process.exit(0)'], { stdin: PIPE, stdout: PIPE });
      const [out] = await proc.communicate(Buffer.alloc(4 * 1024 * 1024));
      expect(text(out)).toBe('');
      expect(proc.returncode).toBe(0);
    });
  });

  test('writing to a child that is gone: drain() rejects with the broken pipe', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, ['-e', ''], { stdin: PIPE });
      await proc.wait();
      const drain = async () => {
        for (;;) {
          proc.stdin!.write(Buffer.alloc(1024 * 1024));
          await proc.stdin!.drain();
        }
      };
      await expect(drain()).rejects.toMatchObject({ code: expect.stringMatching(/^(EPIPE|ECONNRESET)$/) });
    });
  });

  test('empty input closes stdin at once; DEVNULL outputs give null', async () => {
    await onLoop(async () => {
      const script =
        'let n = 0; process.stdin.on("data", d => n += d.length); process.stdin.on("end", () => { console.log(n); console.error("e") })';
      const counted = await createSubprocessExec(node, ['-e', script], {
        stdin: PIPE,
        stdout: PIPE,
        stderr: DEVNULL,
      });
      const [out, err] = await counted.communicate(new Uint8Array(0));
      expect([text(out), err]).toEqual(['0\n', null]);
      const silent = await createSubprocessExec(node, ['-e', script], {
        stdin: PIPE,
        stdout: DEVNULL,
        stderr: PIPE,
      });
      expect((await silent.communicate(bytes('abc'))).map(text)).toEqual([null, 'e\n']);
    });
  });

  test('streaming: stdin writer (drain, close, waitClosed) and stdout lines as they come', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, cat, { stdin: PIPE, stdout: PIPE });
      const lines: string[] = [];
      for (const word of ['one', 'two', 'three']) {
        proc.stdin!.write(bytes(`${word}\n`));
        await proc.stdin!.drain();
        lines.push(text(await proc.stdout!.readLine())!);
      }
      proc.stdin!.close();
      await proc.stdin!.waitClosed();
      expect(lines).toEqual(['one\n', 'two\n', 'three\n']);
      expect(await proc.stdout!.read()).toHaveLength(0);
      expect(await proc.wait()).toBe(0);
    });
  });

  test('stderr: STDOUT joins them; DEVNULL gives the child an empty stdin', async () => {
    await onLoop(async () => {
      const joined = await createSubprocessExec(node, ['-e', 'console.log("out"); console.error("err")'], {
        stdout: PIPE,
        stderr: STDOUT,
      });
      const [out, err] = await joined.communicate();
      expect(err).toBeNull();
      expect(text(out)!.split('\n').sort()).toEqual(['', 'err', 'out']);

      const script =
        'let n = 0; process.stdin.on("data", d => n += d.length); process.stdin.on("end", () => console.log(n))';
      const empty = await createSubprocessExec(node, ['-e', script], { stdin: DEVNULL, stdout: PIPE });
      expect(text((await empty.communicate())[0])).toBe('0\n');
    });
  });

  test('several wait() calls all get the returncode; output stays readable after the exit', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, ['-e', 'console.log("kept"); process.exit(5)'], {
        stdout: PIPE,
      });
      const waits = await Promise.all([proc.wait(), proc.wait(), createTask(() => proc.wait())]);
      expect(waits).toEqual([5, 5, 5]);
      expect(text(await proc.stdout!.read())).toBe('kept\n');
    });
  });

  test('a reader that does not keep up pauses the pipe: the buffer stays bounded', async () => {
    await onLoop(async () => {
      const size = 8 * 1024 * 1024;
      const proc = await createSubprocessExec(node, ['-e', `process.stdout.write(Buffer.alloc(${size}))`], {
        stdout: PIPE,
        limit: 64 * 1024,
      });
      let total = 0;
      let largest = 0;
      for (;;) {
        await sleep(0); // a slow reader: the child writes faster than this reads
        largest = Math.max(largest, proc.stdout!._size);
        const chunk = await proc.stdout!.read(16 * 1024);
        if (chunk.length === 0) break;
        total += chunk.length;
      }
      expect(total).toBe(size);
      // Reading pauses above twice the limit; what is in flight meanwhile adds a pipe's worth.
      expect(largest).toBeLessThan(1024 * 1024);
      expect(await proc.wait()).toBe(0);
    });
  });

  test('terminate, kill and sendSignal: the returncode is -N', async () => {
    await onLoop(async () => {
      const stops: [(p: Process) => void, number][] = [
        [(p) => p.terminate(), os.constants.signals.SIGTERM],
        [(p) => p.kill(), os.constants.signals.SIGKILL],
        [(p) => p.sendSignal('SIGINT'), os.constants.signals.SIGINT],
      ];
      for (const [stop, signal] of stops) {
        const proc = await createSubprocessExec(node, hang);
        stop(proc);
        expect(await proc.wait()).toBe(-signal);
      }
    });
  });

  test('cancelling wait() stops waiting only: the child runs on', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, hang);
      const waiting = createTask(() => proc.wait());
      await sleep(0);
      waiting.cancel('enough');
      await expect(waiting).rejects.toThrow(CancelledError);
      expect(proc.returncode).toBeNull();
      proc.kill();
      expect(await proc.wait()).toBe(-os.constants.signals.SIGKILL);
    });
  });

  test('a timeout around communicate() ends as TimeoutError; the child runs on until killed', async () => {
    await onVirtualTime(async () => {
      const proc = await createSubprocessExec(node, hang, { stdout: PIPE });
      await expect(timeout(5).run(() => proc.communicate())).rejects.toThrow(TimeoutError);
      expect(proc.returncode).toBeNull();
      proc.kill();
      expect(await proc.wait()).toBe(-os.constants.signals.SIGKILL);
    });
  });

  test('await using kills a running child and waits for it', async () => {
    await onLoop(async () => {
      let kept: Process | undefined;
      {
        await using proc = await createSubprocessExec(node, hang);
        kept = proc;
      }
      expect(kept.returncode).toBe(-os.constants.signals.SIGKILL);
      {
        await using done = await createSubprocessExec(node, ['-e', '']);
        await done.wait();
      } // exited already: nothing to kill
    });
  });

  test('cancelled while the child starts: the wait ends at once and the child is killed', async () => {
    const marker = `aio-cancelled-start-${process.pid}-${Date.now()}`;
    /** Live processes (not zombies) whose command line holds the marker. */
    const running = () =>
      execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(marker) && !line.trim().startsWith('Z'));
    await onLoop(async () => {
      // The first step of the task spawns the child (synchronously); then it is cancelled.
      const starting = createTask(() =>
        createSubprocessExec(node, ['-e', `setInterval(() => {}, 1000) // ${marker}`]),
      );
      await sleep(0);
      starting.cancel();
      await expect(starting).rejects.toThrow(CancelledError);
      // Polled (real time): the kill lands on its own schedule.
      while (running().length > 0) await sleep(0.01);
    });
    expect(running()).toEqual([]);
  });

  test('limit: a line longer than the limit is refused (RangeError, Python’s ValueError)', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessExec(node, ['-e', 'console.log("x".repeat(100))'], {
        stdout: PIPE,
        limit: 10,
      });
      await expect(proc.stdout!.readLine()).rejects.toThrow(RangeError);
      proc.kill();
      await proc.wait();
    });
  });

  test('errors: a missing program rejects with ENOENT; bad arguments name themselves', async () => {
    await onLoop(async () => {
      await expect(createSubprocessExec('/no/such/program')).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(createSubprocessExec(5 as never)).rejects.toThrow(/program/);
      await expect(createSubprocessExec(node, 'x' as never)).rejects.toThrow(/args/);
      await expect(createSubprocessExec(node, [], null as never)).rejects.toThrow(/opts/);
      await expect(createSubprocessExec(node, [], { stdout: 'pipe' as never })).rejects.toThrow(
        /opts.stdout/,
      );
      await expect(createSubprocessExec(node, [], { limit: -1 })).rejects.toThrow(/limit/);
      await expect(createSubprocessShell(7 as never)).rejects.toThrow(/cmd/);
      // Pipes carry bytes: Python's text-mode options are refused.
      for (const option of ['text', 'encoding', 'errors'])
        await expect(createSubprocessExec(node, [], { [option]: 'utf-8' } as never)).rejects.toThrow(
          new RegExp(`opts.${option}`),
        );
      const proc = await createSubprocessExec(node, cat, { stdin: PIPE, stdout: PIPE });
      await expect(proc.communicate('text' as never)).rejects.toThrow(/input/);
      proc.kill();
      await proc.wait();
    });
    // Without a running loop.
    await expect(createSubprocessExec(node)).rejects.toThrow(/no running event loop/);
  });
});

describe('createSubprocessShell', () => {
  test('runs the command with the shell, with the given environment', async () => {
    await onLoop(async () => {
      const proc = await createSubprocessShell('echo "$WHO" | tr a-z A-Z; exit 3', {
        stdout: PIPE,
        env: { WHO: 'world', PATH: process.env.PATH },
      });
      const [out] = await proc.communicate();
      expect(text(out)).toBe('WORLD\n');
      expect(proc.returncode).toBe(3);
      expect(String(proc)).toBe(`<Process ${proc.pid}>`);
    });
  });
});

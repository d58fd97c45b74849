// Pipe throughput: `size` MiB written to `cat` in 64 KiB writes with drain while its output is
// read back (@aio: createSubprocessExec with PIPEs; raw: child_process.spawn streams). MiB/s.
import { spawn } from 'node:child_process';
import { createSubprocessExec, PIPE } from '@aio/subprocess';
import { gather, run } from '@aio/tasks';
import { size, variant } from './timing.mjs';

const CHUNK = 64 * 1024;
const total = size * 1024 * 1024;
const chunk = Buffer.alloc(CHUNK, 120);

async function aio() {
  return run(async () => {
    const started = performance.now();
    const proc = await createSubprocessExec('cat', [], { stdin: PIPE, stdout: PIPE });
    const write = async () => {
      for (let sent = 0; sent < total; sent += CHUNK) {
        proc.stdin.write(chunk);
        await proc.stdin.drain();
      }
      proc.stdin.close();
    };
    const read = async () => {
      let received = 0;
      for (;;) {
        const data = await proc.stdout.read(1024 * 1024);
        if (data.length === 0) return received;
        received += data.length;
      }
    };
    const [, received] = await gather([write, read]);
    await proc.wait();
    if (received !== total) throw new Error(`received ${received} of ${total} bytes`);
    return (performance.now() - started) / 1000;
  });
}

async function raw() {
  const started = performance.now();
  const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const done = new Promise((resolve) => child.on('exit', resolve));
  let received = 0;
  child.stdout.on('data', (data) => {
    received += data.length;
  });
  const ended = new Promise((resolve) => child.stdout.on('end', resolve));
  for (let sent = 0; sent < total; sent += CHUNK) {
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  await ended;
  await done;
  if (received !== total) throw new Error(`received ${received} of ${total} bytes`);
  return (performance.now() - started) / 1000;
}

const seconds = variant === 'aio' ? await aio() : await raw();
console.log(JSON.stringify({ value: size / seconds }));

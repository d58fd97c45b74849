// Process start-up: `size` children of /bin/true started and waited for one after the other
// (@aio: createSubprocessExec + wait; raw: child_process.spawn + 'exit').
import { spawn } from 'node:child_process';
import { createSubprocessExec } from '@aio/subprocess';
import { run } from '@aio/tasks';
import { report, size, variant } from './timing.mjs';

await report(async () => {
  if (variant === 'aio') {
    await run(async () => {
      for (let i = 0; i < size; i++) {
        const proc = await createSubprocessExec('/bin/true');
        await proc.wait();
      }
    });
  } else {
    for (let i = 0; i < size; i++) {
      await new Promise((resolve, reject) => {
        const child = spawn('/bin/true', [], { stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    }
  }
});

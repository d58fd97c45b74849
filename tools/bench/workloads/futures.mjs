import { getRunningLoop } from '@aio/loop';
import { run } from '@aio/tasks';
import { report, size, variant } from './timing.mjs';

await report(async () => {
  if (variant === 'aio') {
    await run(async () => {
      const loop = getRunningLoop();
      for (let i = 0; i < size; i++) {
        const fut = loop.createFuture();
        loop.callSoon(() => fut.setResult(i));
        await fut;
      }
    });
  } else {
    for (let i = 0; i < size; i++) await new Promise((resolve) => setImmediate(() => resolve(i)));
  }
});

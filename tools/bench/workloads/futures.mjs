import { getRunningLoop } from '@aio/loop';
import { run } from '@aio/tasks';
import { inOwnContext, resolvedNextIteration } from './floor.mjs';
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
  } else if (variant === 'floor') {
    await inOwnContext(async () => {
      for (let i = 0; i < size; i++) await resolvedNextIteration(i);
    });
  } else {
    for (let i = 0; i < size; i++) await new Promise((resolve) => setImmediate(() => resolve(i)));
  }
});

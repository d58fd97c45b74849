import { gather, run, sleep } from '@aio/tasks';
import { inOwnContext, nextIteration } from './floor.mjs';
import { report, size, variant } from './timing.mjs';

await report(async () => {
  if (variant === 'aio') {
    const worker = async () => {
      for (let i = 0; i < 10; i++) await sleep(0);
    };
    await run(() => gather(Array.from({ length: size }, () => worker)));
  } else if (variant === 'floor') {
    const worker = async () => {
      for (let i = 0; i < 10; i++) await nextIteration();
    };
    await Promise.all(Array.from({ length: size }, () => inOwnContext(worker)));
  } else {
    // raw: the plain Node way to give the event loop a turn, as sleep(0) does.
    // microtask: `await null` only reschedules the function on the microtask queue, so I/O and
    // timers never get a turn: a lower bound for comparison, not the same work.
    const yieldOnce = variant === 'raw' ? () => new Promise((resolve) => setImmediate(resolve)) : () => null;
    const worker = async () => {
      for (let i = 0; i < 10; i++) await yieldOnce();
    };
    await Promise.all(Array.from({ length: size }, worker));
  }
});

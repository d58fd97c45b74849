import { Future } from '@aio/futures';
import { createTask, run, sleep } from '@aio/tasks';
import { inOwnContext } from './floor.mjs';
import { size, variant } from './timing.mjs';

// Heap bytes held per pending task (or pending async function), after a full GC.
function heapUsed() {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

let perTask;
if (variant === 'aio') {
  await run(async () => {
    const fut = new Future();
    const before = heapUsed();
    // One coroutine function for all, as the Python side (and the raw one) share theirs.
    const waiter = async () => await fut;
    const tasks = Array.from({ length: size }, () => createTask(waiter));
    await sleep(0);
    await sleep(0);
    perTask = (heapUsed() - before) / size;
    fut.setResult(null);
    for (const t of tasks) await t;
  });
} else {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const before = heapUsed();
  const waiter = async () => await gate;
  const pending = Array.from({ length: size }, variant === 'floor' ? () => inOwnContext(waiter) : waiter);
  perTask = (heapUsed() - before) / size;
  release();
  await Promise.all(pending);
}
console.log(JSON.stringify({ value: perTask }));

// The floors: the least work a Node program can do to run the benchmarks' coroutines the way
// @aio must, with no @aio in it. Each coroutine runs in a context of its own (an
// AsyncLocalStorage store, which is how @aio knows the current task across native awaits), and
// each await is woken by a loop that runs its ready callbacks in batches.
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage();

/** Runs `fn` in a context of its own, as a task runs its coroutine. */
export function inOwnContext(fn) {
  return storage.run({ task: fn }, fn);
}

let ready = [];
let scheduled = false;
let captured;
const capture = (resolve) => {
  captured = resolve;
};
const runBatch = () => {
  scheduled = false;
  const batch = ready;
  ready = [];
  for (let i = 0; i < batch.length; i++) batch[i]();
};

// The next batch runs once every microtask has run (the woken coroutines' steps), as @aio's does:
// a tick queued from a microtask runs when the microtask queue is empty. (Unlike @aio, this loop
// never gives Node's I/O a turn in between: it is a floor, not a loop.)
const settled = Promise.resolve();
const afterMicrotasks = () => process.nextTick(runBatch);

/** Runs `fn` on the loop's next iteration. */
export function callSoon(fn) {
  ready.push(fn);
  if (!scheduled) {
    scheduled = true;
    settled.then(afterMicrotasks);
  }
}

/** A promise that the loop resolves on its next iteration (with `value`): `sleep(0)`. */
export function nextIteration(value) {
  const promise = new Promise(capture);
  const resolve = captured;
  callSoon(() => resolve(value));
  return promise;
}

/**
 * A promise resolved (with `value`) by a callback on the loop's next iteration, whose awaiter
 * is woken one iteration later, as asyncio wakes the tasks awaiting a future.
 */
export function resolvedNextIteration(value) {
  const promise = new Promise(capture);
  const resolve = captured;
  callSoon(() => callSoon(() => resolve(value)));
  return promise;
}

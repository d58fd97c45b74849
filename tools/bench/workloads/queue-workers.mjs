// Shared by queue1 and queue10: `workers` producers and as many consumers move `size` integers
// through one Queue(100); each producer puts size/workers of them, each consumer gets as many.
import { Queue } from '@aio/queues';
import { gather, run } from '@aio/tasks';
import { inOwnContext, nextIteration } from './floor.mjs';
import { report, size, variant } from './timing.mjs';

/**
 * How a blocked put/get is woken once the queue changes, by variant. @aio (as asyncio) wakes it
 * through the event loop; `raw` does so with `setImmediate`; `floor` through floor.mjs's batched
 * loop (each role also runs in a context of its own, see floor.mjs); `microtask` resolves it at
 * once, which never gives the event loop a turn: a lower bound, not the same work.
 */
const wakers = {
  raw: (resolve) => setImmediate(resolve),
  floor: (resolve) => nextIteration().then(resolve),
  microtask: (resolve) => resolve(),
};

const RESOLVED = Promise.resolve();

/**
 * The smallest bounded queue on native promises (FIFO waiters, no cancellation). As @aio's, a
 * put or get that need not wait settles at once, without an async function.
 */
class RawQueue {
  #items = [];
  #getters = [];
  #putters = [];
  #maxsize;
  #wake;

  constructor(maxsize, wake) {
    this.#maxsize = maxsize;
    this.#wake = wake;
  }

  put(item) {
    if (this.#items.length >= this.#maxsize) return this.#putLater(item);
    this.#items.push(item);
    this.#wakeNext(this.#getters);
    return RESOLVED;
  }

  get() {
    if (this.#items.length === 0) return this.#getLater();
    const item = this.#items.shift();
    this.#wakeNext(this.#putters);
    return Promise.resolve(item);
  }

  async #putLater(item) {
    while (this.#items.length >= this.#maxsize) await new Promise((resolve) => this.#putters.push(resolve));
    return this.put(item);
  }

  async #getLater() {
    while (this.#items.length === 0) await new Promise((resolve) => this.#getters.push(resolve));
    return this.get();
  }

  #wakeNext(line) {
    const resolve = line.shift();
    if (resolve !== undefined) this.#wake(resolve);
  }
}

function roles(queue, workers) {
  const each = Math.floor(size / workers);
  const producer = async () => {
    for (let i = 0; i < each; i++) await queue.put(i);
  };
  const consumer = async () => {
    for (let i = 0; i < each; i++) await queue.get();
  };
  const all = [];
  for (let w = 0; w < workers; w++) all.push(producer, consumer);
  return all;
}

/** Times the workload in the variant given on the command line and prints run.mjs's line. */
export function benchQueue(workers) {
  return report(async () => {
    if (variant === 'aio') {
      await run(() => gather(roles(new Queue(100), workers)));
      return;
    }
    const all = roles(new RawQueue(100, wakers[variant]), workers);
    await Promise.all(all.map((role) => (variant === 'floor' ? inOwnContext(role) : role())));
  });
}

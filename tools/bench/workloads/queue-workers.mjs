// Shared by queue1 and queue10: `workers` producers and as many consumers move `size` integers
// through one Queue(100); each producer puts size/workers of them, each consumer gets as many.
import { Queue } from '@aio/queues';
import { gather, run } from '@aio/tasks';
import { report, size, variant } from './timing.mjs';

/** The floor: the smallest bounded queue on native promises (FIFO waiters, no cancellation). */
class RawQueue {
  #items = [];
  #getters = [];
  #putters = [];
  #maxsize;

  constructor(maxsize) {
    this.#maxsize = maxsize;
  }

  async put(item) {
    while (this.#items.length >= this.#maxsize) await new Promise((resolve) => this.#putters.push(resolve));
    this.#items.push(item);
    this.#getters.shift()?.();
  }

  async get() {
    while (this.#items.length === 0) await new Promise((resolve) => this.#getters.push(resolve));
    const item = this.#items.shift();
    this.#putters.shift()?.();
    return item;
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
    if (variant === 'aio') await run(() => gather(roles(new Queue(100), workers)));
    else await Promise.all(roles(new RawQueue(100), workers).map((role) => role()));
  });
}

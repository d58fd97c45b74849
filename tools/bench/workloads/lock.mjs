// Lock contention: `size` tasks each take one shared Lock 100 times, yielding once inside.
import { Lock } from '@aio/sync';
import { gather, run, sleep } from '@aio/tasks';
import { inOwnContext, nextIteration } from './floor.mjs';
import { report, size, variant } from './timing.mjs';

const ROUNDS = 100;

/**
 * Per variant: how the lock wakes the next waiter, and the `sleep(0)` inside. @aio (as asyncio)
 * does both through the event loop, so the holder's yield lets the woken waiter run: one loop
 * iteration per acquisition at least. `raw` yields with `setImmediate`; `floor` through
 * floor.mjs's batched loop (each worker also in a context of its own, see floor.mjs);
 * `microtask` resolves at once and awaits `null`, which never gives the event loop a turn: a
 * lower bound, not the same work.
 */
const variants = {
  raw: {
    wake: (resolve) => setImmediate(resolve),
    yieldOnce: () => new Promise((resolve) => setImmediate(resolve)),
  },
  floor: { wake: (resolve) => nextIteration().then(resolve), yieldOnce: () => nextIteration() },
  microtask: { wake: (resolve) => resolve(), yieldOnce: () => null },
};

/** A FIFO lock on native promises (no cancellation), handed straight to the next waiter. */
class RawLock {
  #locked = false;
  #waiters = [];
  #wake;

  constructor(wake) {
    this.#wake = wake;
  }

  acquire() {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release() {
    const next = this.#waiters.shift();
    if (next === undefined) this.#locked = false;
    else this.#wake(next);
  }
}

await report(async () => {
  if (variant === 'aio') {
    const lock = new Lock();
    const worker = async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await lock.acquire();
        try {
          await sleep(0);
        } finally {
          lock.release();
        }
      }
    };
    await run(() => gather(Array.from({ length: size }, () => worker)));
  } else {
    const { wake, yieldOnce } = variants[variant];
    const lock = new RawLock(wake);
    const worker = async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await lock.acquire();
        try {
          await yieldOnce();
        } finally {
          lock.release();
        }
      }
    };
    const workers = Array.from({ length: size }, () => worker);
    await Promise.all(workers.map((w) => (variant === 'floor' ? inOwnContext(w) : w())));
  }
});

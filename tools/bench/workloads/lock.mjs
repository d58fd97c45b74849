// Lock contention: `size` tasks each take one shared Lock 100 times, yielding once inside.
import { Lock } from '@aio/sync';
import { gather, run, sleep } from '@aio/tasks';
import { report, size, variant } from './timing.mjs';

const ROUNDS = 100;

/** The floor: a FIFO lock on native promises (no cancellation, no loop). */
class RawLock {
  #locked = false;
  #waiters = [];

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
    else next();
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
    const lock = new RawLock();
    const worker = async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await lock.acquire();
        try {
          await null;
        } finally {
          lock.release();
        }
      }
    };
    await Promise.all(Array.from({ length: size }, worker));
  }
});

/** Shared by the tests: the virtual-time loop, and reproducible randomness for the storms. */
import { VirtualTimeEventLoop } from '@aio/loop';
import { run } from '@aio/tasks';

/** Runs `main` as the main task of a fresh virtual-time loop. */
export function inLoop<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeEventLoop() });
}

/** A seeded xorshift32 generator in [0, 1). */
export function seeded(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

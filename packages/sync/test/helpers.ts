/** Shared by the tests: run on the virtual-time loop, and let the loop turn a few times. */
import { VirtualTimeEventLoop } from '@aio/loop';
import { run, sleep } from '@aio/tasks';

/** Runs `main` as the main task of a fresh virtual-time loop. */
export function inLoop<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { loopFactory: () => new VirtualTimeEventLoop() });
}

/**
 * Lets the loop run `n` iterations. Where asyncio needs one `sleep(0)` for a woken task to get
 * as far as the next test line, an @aio task may need a few: each native `await` between its
 * wake-up and that point is one more microtask.
 */
export async function settle(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

/** A seeded pseudo-random generator (mulberry32): the storms are random but reproducible. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

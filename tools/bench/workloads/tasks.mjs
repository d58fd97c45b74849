import { gather, run, sleep } from '@aio/tasks';
import { report, size, variant } from './timing.mjs';

await report(async () => {
  if (variant === 'aio') {
    const worker = async () => {
      for (let i = 0; i < 10; i++) await sleep(0);
    };
    await run(() => gather(Array.from({ length: size }, () => worker)));
  } else {
    const worker = async () => {
      for (let i = 0; i < 10; i++) await null;
    };
    await Promise.all(Array.from({ length: size }, worker));
  }
});

import { EventLoop } from '@aio/loop';
import { report, size, variant } from './timing.mjs';

const delays = Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) / 20000); // ≤ 0.05 s

await report(async () => {
  let fired = 0;
  if (variant === 'aio') {
    const loop = new EventLoop();
    for (const d of delays) loop.callLater(d, () => ++fired === size && loop.stop());
    await loop.runForever();
    loop.close();
  } else {
    await new Promise((resolve) => {
      for (const d of delays) setTimeout(() => ++fired === size && resolve(), d * 1000);
    });
  }
});

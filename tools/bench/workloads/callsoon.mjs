import { EventLoop } from '@aio/loop';
import { report, size, variant } from './timing.mjs';

await report(async () => {
  let n = 0;
  if (variant === 'aio') {
    const loop = new EventLoop();
    const step = () => (++n < size ? loop.callSoon(step) : loop.stop());
    loop.callSoon(step);
    await loop.runForever();
    loop.close();
  } else {
    await new Promise((resolve) => {
      const step = () => (++n < size ? setImmediate(step) : resolve());
      setImmediate(step);
    });
  }
});

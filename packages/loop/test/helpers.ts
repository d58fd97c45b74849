// Shared by the @aio/loop tests.
import { EventLoop } from '@aio/loop';

/**
 * Gives each test of the enclosing `describe` a fresh EventLoop that is running (for tests
 * driven by real I/O rather than by loop callbacks), stopped and closed after the test.
 */
export function useRunningLoop(): () => EventLoop {
  let loop: EventLoop;
  let running: Promise<void>;
  beforeEach(() => {
    loop = new EventLoop();
    running = loop.runForever();
  });
  afterEach(async () => {
    loop.stop();
    await running;
    loop.close();
  });
  return () => loop;
}

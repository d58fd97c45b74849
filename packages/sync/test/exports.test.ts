import * as pkg from '@aio/sync';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/sync exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual(
    ['Barrier', 'BoundedSemaphore', 'BrokenBarrierError', 'Condition', 'Event', 'Lock', 'Semaphore'].sort(),
  );
});

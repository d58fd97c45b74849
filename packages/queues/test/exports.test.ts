import * as pkg from '@aio/queues';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/queues exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual(
    ['LifoQueue', 'PriorityQueue', 'Queue', 'QueueEmpty', 'QueueFull', 'QueueShutDown'].sort(),
  );
});

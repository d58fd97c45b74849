import * as pkg from '@aio/futures';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/futures exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([
    'ConcurrentFuture',
    'Future',
    'chainFuture',
    'futureAddToAwaitedBy',
    'futureDiscardFromAwaitedBy',
    'isFuture',
    'wrapFuture',
  ]);
});

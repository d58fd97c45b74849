import * as pkg from '@aio/loop';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/loop exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([]);
});

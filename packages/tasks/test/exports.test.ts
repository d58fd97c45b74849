import * as pkg from '@aio/tasks';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/tasks exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([]);
});

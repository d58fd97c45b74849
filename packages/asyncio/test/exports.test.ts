import * as pkg from '@aio/asyncio';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/asyncio exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([]);
});

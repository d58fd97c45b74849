import * as pkg from '@aio/policies';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/policies exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([
    'AbstractEventLoopPolicy',
    'DefaultEventLoopPolicy',
    'getEventLoop',
    'getEventLoopPolicy',
    'newEventLoop',
    'setEventLoop',
    'setEventLoopPolicy',
  ]);
});

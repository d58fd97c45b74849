import * as pkg from '@aio/streams';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/streams exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([
    'DEFAULT_LIMIT',
    'FlowControl',
    'IncompleteReadError',
    'LimitOverrunError',
    'StreamReader',
    'StreamReaderProtocol',
    'StreamWriter',
    'openConnection',
    'openUnixConnection',
    'startServer',
    'startUnixServer',
  ]);
});

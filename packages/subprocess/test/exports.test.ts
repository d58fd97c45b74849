import * as pkg from '@aio/subprocess';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/subprocess exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([
    'DEVNULL',
    'PIPE',
    'Process',
    'STDOUT',
    'SubprocessStreamProtocol',
    'createSubprocessExec',
    'createSubprocessShell',
  ]);
});

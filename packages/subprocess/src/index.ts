/**
 * @aio/subprocess: child processes with stream pipes (Python's `asyncio.subprocess`):
 * `createSubprocessExec`/`createSubprocessShell` give a `Process` whose stdin, stdout and
 * stderr are @aio/streams writers and readers.
 */
export { DEVNULL, PIPE, STDOUT } from '@aio/loop';
export { createSubprocessExec, createSubprocessShell, type ProcessOptions } from './create-subprocess';
export { Process } from './process';
export { SubprocessStreamProtocol } from './subprocess-stream-protocol';

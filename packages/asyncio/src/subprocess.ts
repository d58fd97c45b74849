/** The `subprocess` namespace of the umbrella, as Python's `asyncio.subprocess` module. */
export { createSubprocessExec, createSubprocessShell, DEVNULL, PIPE, Process, STDOUT } from '@aio/subprocess';

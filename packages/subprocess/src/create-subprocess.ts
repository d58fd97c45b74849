/** `createSubprocessExec`/`createSubprocessShell`: start a child process with stream pipes. */
import {
  type AbstractEventLoop,
  getRunningLoop,
  type SubprocessOptions,
  type SubprocessTransport,
} from '@aio/loop';
import { Process } from './process';
import { SubprocessStreamProtocol } from './subprocess-stream-protocol';

/** Options of `createSubprocessExec`/`createSubprocessShell`: stdio defaults to `null` (inherited). */
export type ProcessOptions = SubprocessOptions & {
  /** The line-length limit of the stdout/stderr readers (default 64 KiB). */
  limit?: number;
};

/** The child the loop starts with `start`, as a Process with stream pipes. */
async function startProcess(
  opts: ProcessOptions | undefined,
  start: (
    loop: AbstractEventLoop,
    protocolFactory: () => SubprocessStreamProtocol,
    loopOpts: SubprocessOptions,
  ) => Promise<[SubprocessTransport, SubprocessStreamProtocol]>,
): Promise<Process> {
  const loop = getRunningLoop();
  if (opts !== undefined && (opts === null || typeof opts !== 'object'))
    throw new TypeError(`opts must be an options object, got ${opts === null ? 'null' : typeof opts}`);
  const { limit, stdin = null, stdout = null, stderr = null, ...rest } = opts ?? {};
  if (limit !== undefined && (typeof limit !== 'number' || Number.isNaN(limit) || limit <= 0))
    throw new RangeError(`opts.limit must be a positive number of bytes, got ${String(limit)}`);
  const loopOpts = { stdin, stdout, stderr, ...rest };
  const [transport, protocol] = await start(loop, () => new SubprocessStreamProtocol(limit, loop), loopOpts);
  return new Process(transport, protocol, loop);
}

/**
 * Runs `program` with `args` (no shell) on the running loop. Its stdin, stdout and stderr are
 * inherited unless given as `PIPE` (then `proc.stdin`/`stdout`/`stderr` are streams),
 * `DEVNULL`, a file descriptor or a stream; `stderr: STDOUT` joins stderr to stdout.
 *
 * @example
 * const proc = await createSubprocessExec('git', ['status', '--short'], { stdout: PIPE });
 * for await (const line of proc.stdout!) console.log(new TextDecoder().decode(line));
 * await proc.wait();
 *
 * @throws (rejects) Node's spawn error (`code: 'ENOENT'`...) when the program cannot start;
 * TypeError/RangeError for bad arguments; RuntimeError without a running loop.
 *
 * **Cancellation**: cancelled while the child starts, the call ends at once and the child is killed.
 */
export async function createSubprocessExec(
  program: string,
  args: readonly string[] = [],
  opts?: ProcessOptions,
): Promise<Process> {
  return startProcess(opts, (loop, factory, loopOpts) =>
    loop.subprocessExec(factory, program, args, loopOpts),
  );
}

/**
 * Runs `cmd` with the system shell (`/bin/sh -c`; `%ComSpec%` on Windows) on the running loop,
 * with the options of `createSubprocessExec`. Quote what you interpolate into `cmd`.
 *
 * @example
 * const proc = await createSubprocessShell('ls | wc -l', { stdout: PIPE });
 * const [out] = await proc.communicate();
 *
 * **Cancellation**: as `createSubprocessExec`.
 */
export async function createSubprocessShell(cmd: string, opts?: ProcessOptions): Promise<Process> {
  return startProcess(opts, (loop, factory, loopOpts) => loop.subprocessShell(factory, cmd, loopOpts));
}

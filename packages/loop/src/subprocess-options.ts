/** The options of `loop.subprocessExec`/`subprocessShell` and Python's `subprocess` constants. */
import type stream from 'node:stream';

/** A new pipe between the loop and the child (`subprocess.PIPE`). */
export const PIPE = -1 as const;
/** For `stderr`: the child's stderr goes where its stdout goes (`subprocess.STDOUT`). */
export const STDOUT = -2 as const;
/** The null device (`subprocess.DEVNULL`). */
export const DEVNULL = -3 as const;

/**
 * Where a standard stream of the child goes: `PIPE`, `DEVNULL`, `null` (inherited from this
 * process), a file descriptor, or a Node stream backed by a file descriptor.
 */
export type Stdio = typeof PIPE | typeof DEVNULL | null | number | stream.Stream;

/** Options of `loop.subprocessExec`/`subprocessShell` (stdio defaults to `PIPE` there). */
export interface SubprocessOptions {
  stdin?: Stdio;
  stdout?: Stdio;
  /** `STDOUT` sends the child's stderr where its stdout goes. */
  stderr?: Stdio | typeof STDOUT;
  cwd?: string | URL;
  /** The child's whole environment (it replaces this process's, as in Python). */
  env?: Record<string, string | undefined>;
  /** Runs the child in a new session (`setsid`; Node's `detached`). */
  startNewSession?: boolean;
  uid?: number;
  gid?: number;
  /** `argv[0]` as the child sees it. */
  argv0?: string;
  /** Hides the console window on Windows. */
  windowsHide?: boolean;
}

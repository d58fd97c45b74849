/** `Process`: a child process with stream pipes (asyncio's `asyncio.subprocess.Process`). */
import { type AbstractEventLoop, logger, type SubprocessTransport } from '@aio/loop';
import type { StreamReader, StreamWriter } from '@aio/streams';
import { gather } from '@aio/tasks';
import type { SubprocessStreamProtocol } from './subprocess-stream-protocol';

/** Errors `communicate()` ignores on stdin: the child may exit without reading its input. */
function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET';
}

/**
 * A running child process; made by `createSubprocessExec`/`createSubprocessShell`.
 * `await using proc = ...` kills it if it still runs, then waits for it.
 *
 * @example
 * const proc = await createSubprocessExec('ls', ['-l'], { stdout: PIPE });
 * const [out] = await proc.communicate();
 * console.log(proc.returncode, new TextDecoder().decode(out!));
 */
export class Process implements AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** The child's stdin, when it is a pipe (`stdin: PIPE`). */
  readonly stdin: StreamWriter | null;
  /** The child's stdout, when it is a pipe. */
  readonly stdout: StreamReader | null;
  /** The child's stderr, when it is a pipe. */
  readonly stderr: StreamReader | null;
  /** @internal */ readonly _transport: SubprocessTransport;
  /** @internal */ readonly _protocol: SubprocessStreamProtocol;
  /** @internal */ readonly _loop: AbstractEventLoop;

  constructor(transport: SubprocessTransport, protocol: SubprocessStreamProtocol, loop: AbstractEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    this._loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid();
  }

  /** The exit code, `-N` if a signal N ended the child, or `null` while it runs. */
  get returncode(): number | null {
    return this._transport.getReturncode();
  }

  /**
   * Waits until the child exits; returns its returncode. With `stdout`/`stderr` pipes that
   * nobody reads, a child writing a lot blocks and never exits: use `communicate()` then.
   *
   * **Cancellation**: stops waiting; the child keeps running.
   */
  async wait(): Promise<number> {
    const returncode = this.returncode;
    if (returncode !== null) return returncode;
    return await this._protocol._waitExited();
  }

  /**
   * Writes `input` to stdin (then closes it), reads stdout and stderr to their end, and waits
   * for the child to exit. Returns `[stdout, stderr]` (`null` for those that are not pipes).
   * A child that exits without reading its input is not an error.
   *
   * @example
   * const [out] = await proc.communicate(new TextEncoder().encode('input'));
   *
   * **Cancellation**: stops writing and reading (what was read is lost); the child keeps
   * running: kill it, or wrap it in a timeout and kill it on `TimeoutError`.
   */
  async communicate(
    input: Uint8Array | null = null,
  ): Promise<[stdout: Uint8Array | null, stderr: Uint8Array | null]> {
    if (input !== null && !(input instanceof Uint8Array))
      throw new TypeError(`input must be a Uint8Array or null, got ${typeof input}`);
    const [, stdout, stderr] = await gather([
      () => this.#feedStdin(input),
      () => this.#readStream(1),
      () => this.#readStream(2),
    ] as const);
    await this.wait();
    return [stdout, stderr];
  }

  /** Sends `signal` (a name like `'SIGINT'` or a number) to the child. */
  sendSignal(signal: NodeJS.Signals | number): void {
    this._transport.sendSignal(signal);
  }

  /** Asks the child to stop: SIGTERM (on Windows, Node ends it). */
  terminate(): void {
    this._transport.terminate();
  }

  /** Kills the child: SIGKILL. */
  kill(): void {
    this._transport.kill();
  }

  /** Kills the child if it is still running, then waits for it (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.returncode === null) {
      try {
        this.kill();
      } catch (error) {
        // Gone already (ProcessLookupError): there is nothing left to kill.
        logger.debug('dispose: kill failed', error);
      }
    }
    await this.wait();
  }

  toString(): string {
    return `<Process ${this.pid}>`;
  }

  async #feedStdin(input: Uint8Array | null): Promise<void> {
    const stdin = this.stdin;
    if (stdin === null) return;
    if (input !== null && input.byteLength > 0) stdin.write(input);
    try {
      await stdin.drain();
    } catch (error) {
      if (!isBrokenPipe(error)) throw error;
    }
    stdin.close();
  }

  async #readStream(fd: 1 | 2): Promise<Uint8Array | null> {
    const stream = fd === 1 ? this.stdout : this.stderr;
    if (stream === null) return null;
    const output = await stream.read();
    this._transport.getPipeTransport(fd)?.close();
    return output;
  }
}

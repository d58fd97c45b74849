/**
 * Subprocess transports: `loop.subprocessExec`/`subprocessShell` over `child_process.spawn`
 * (asyncio's `base_subprocess`). The child's pipes are pipe transports (see pipes.ts) whose
 * protocols forward to the subprocess protocol; its callbacks run from the loop, in the context
 * that started the child: `connectionMade` first, then pipe data, pipe ends and `processExited`
 * in the order they happened, and `connectionLost` last, once the child exited and every pipe
 * closed.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stream from 'node:stream';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import { type Context, copyContext, runInContext } from '../context';
import { NotImplementedError } from '../errors';
import { logger } from '../logger';
import { type BaseProtocol, Protocol, type SubprocessProtocol } from '../protocols';
import { DEVNULL, PIPE, STDOUT, type SubprocessOptions } from '../subprocess-options';
import { type ReadTransport, SubprocessTransport, type WriteTransport } from '../transports';
import { checkFactory, checkLoopOpen, checkOptions, makeProtocol } from './connect';
import { connectReadPipe, connectWritePipe } from './pipes';
import { waitFor } from './waiter';

/** Python's `ProcessLookupError`, as a Node-style system error. */
function processLookupError(): Error {
  return Object.assign(new Error('No such process'), { code: 'ESRCH', name: 'ProcessLookupError' });
}

/** Node's stdio entry for one of `opts.stdin/stdout/stderr`. */
function stdioEntry(value: unknown, name: string): 'pipe' | 'ignore' | 'inherit' | number | stream.Stream {
  if (value === undefined || value === PIPE) return 'pipe';
  if (value === DEVNULL) return 'ignore';
  if (value === null) return 'inherit';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(
        `opts.${name} must be PIPE, DEVNULL, null, a file descriptor or a stream, got ${value}`,
      );
    return value;
  }
  if (value instanceof stream.Stream) return value;
  throw new TypeError(
    `opts.${name} must be PIPE, DEVNULL, null, a file descriptor or a stream, got ${describe(value)}`,
  );
}

/** Where the child's stderr goes for `stderr: STDOUT`, when its stdout is not a new pipe. */
function sameAsStdout(
  stdout: 'ignore' | 'inherit' | number | stream.Stream,
): 'ignore' | number | stream.Stream {
  return stdout === 'inherit' ? 1 : stdout;
}

/** `program` as `execvp` would find it, or a spawn-like ENOENT error. */
function findProgram(program: string, env: Record<string, string | undefined>): string {
  const candidates = program.includes('/')
    ? [program]
    : (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir || '.', program));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw Object.assign(new Error(`spawn ${program} ENOENT`), {
    code: 'ENOENT',
    errno: -os.constants.errno.ENOENT,
    syscall: `spawn ${program}`,
    path: program,
  });
}

/** A signal given by name or number, as a name Node's `kill()` takes. */
function signalName(signal: unknown): NodeJS.Signals {
  if (typeof signal === 'string' && signal in os.constants.signals) return signal as NodeJS.Signals;
  if (typeof signal === 'number') {
    for (const [name, number] of Object.entries(os.constants.signals)) {
      if (number === signal) return name as NodeJS.Signals;
    }
    throw new RangeError(`signal ${signal} is not a signal number of this system`);
  }
  throw new TypeError(`signal must be a signal name or number, got ${describe(signal)}`);
}

/** The returncode asyncio gives: the exit code, or `-N` for a child killed by signal N. */
function returncodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return -(os.constants.signals[signal as NodeJS.Signals] ?? 0);
}

/** The protocol of one of the child's pipes: it tells the subprocess transport. */
class ChildPipeProtocol extends Protocol {
  pipe: ReadTransport | WriteTransport | null = null;
  lost = false;

  constructor(
    readonly owner: ChildProcessTransport,
    readonly fd: number,
  ) {
    super();
  }

  override connectionMade(transport: ReadTransport | WriteTransport): void {
    this.pipe = transport;
  }

  override dataReceived(data: Uint8Array): void {
    this.owner._pipeDataReceived(this.fd, data);
  }

  override connectionLost(exc: Error | null): void {
    this.lost = true;
    this.owner._pipeConnectionLost(this.fd, exc);
  }

  override pauseWriting(): void {
    this.owner._protocol?.pauseWriting();
  }

  override resumeWriting(): void {
    this.owner._protocol?.resumeWriting();
  }
}

/** The transport of a child process. */
class ChildProcessTransport extends SubprocessTransport {
  readonly #loop: AbstractEventLoop;
  #child: ChildProcess | null;
  /** @internal Cleared once `connectionLost` ran. */
  _protocol: SubprocessProtocol | null;
  readonly #ctx: Context;
  readonly #pipes = new Map<number, ChildPipeProtocol>();
  /** Protocol calls held until `connectionMade` has been scheduled. */
  #pending: (() => void)[] | null = [];
  /** Protocol calls scheduled on the loop and not run yet. */
  #queued = 0;
  #returncode: number | null = null;
  #finished = false;
  #closed = false;
  readonly #pid: number;

  constructor(loop: AbstractEventLoop, child: ChildProcess, protocol: SubprocessProtocol, ctx: Context) {
    super({ subprocess: child });
    this.#loop = loop;
    this.#child = child;
    this._protocol = protocol;
    this.#ctx = ctx;
    this.#pid = child.pid!;
    child.on('exit', (code, signal) => this.#exited(returncodeOf(code, signal)));
    // A failed kill() is reported as an 'error' event: the transport's callers get no event, and
    // a signal to a child that is gone is not an error here (Python ignores it too).
    child.on('error', (error) => logger.debug('child process error', error));
  }

  /** @internal Connects the child's pipes, then schedules `connectionMade` and what happened meanwhile. */
  async _connectPipes(): Promise<void> {
    const child = this.#child!;
    const connect = async (fd: number, pipe: stream.Readable | stream.Writable | null) => {
      if (pipe === null) return;
      const proto = new ChildPipeProtocol(this, fd);
      this.#pipes.set(fd, proto);
      if (fd === 0) await connectWritePipe(this.#loop, () => proto, pipe as stream.Writable);
      else await connectReadPipe(this.#loop, () => proto, pipe as stream.Readable);
    };
    await connect(0, child.stdin);
    await connect(1, child.stdout);
    await connect(2, child.stderr);
    const protocol = this._protocol!;
    this.#callSoon(() => protocol.connectionMade(this));
    const pending = this.#pending ?? [];
    this.#pending = null;
    for (const call of pending) this.#callSoon(call);
  }

  #callSoon(call: () => void): void {
    this.#queued++;
    this.#loop.callSoon(
      () => {
        this.#queued--;
        call();
      },
      { context: this.#ctx },
    );
  }

  /** A protocol call: from the loop, or held until `connectionMade` is scheduled. */
  #call(call: () => void): void {
    if (this.#pending !== null) this.#pending.push(call);
    else if (!this.#loop.isClosed()) this.#callSoon(call);
  }

  /**
   * @internal Pipe data goes to the protocol at once when no earlier call is still queued:
   * then a protocol that pauses reading stops the pipe before more data is read (Node reads
   * a pipe in bigger gulps than a selector loop, which would pile up queued deliveries).
   */
  _pipeDataReceived(fd: number, data: Uint8Array): void {
    const protocol = this._protocol;
    if (protocol === null) return;
    if (this.#pending === null && this.#queued === 0)
      runInContext(this.#ctx, null, () => protocol.pipeDataReceived(fd, data), undefined);
    else this.#call(() => protocol.pipeDataReceived(fd, data));
  }

  /** @internal */
  _pipeConnectionLost(fd: number, exc: Error | null): void {
    const protocol = this._protocol;
    if (protocol !== null) this.#call(() => protocol.pipeConnectionLost(fd, exc));
    this.#tryFinish();
  }

  #exited(returncode: number): void {
    if (this.#returncode !== null) return;
    this.#returncode = returncode;
    const protocol = this._protocol;
    if (protocol !== null) this.#call(() => protocol.processExited());
    this.#tryFinish();
  }

  /** `connectionLost` once the child exited and every pipe closed. */
  #tryFinish(): void {
    if (this.#finished || this.#returncode === null) return;
    for (const pipe of this.#pipes.values()) if (!pipe.lost) return;
    this.#finished = true;
    this.#call(() => {
      try {
        this._protocol?.connectionLost(null);
      } finally {
        this._protocol = null;
        this.#child = null;
      }
    });
  }

  override getPid(): number {
    return this.#pid;
  }

  override getReturncode(): number | null {
    return this.#returncode;
  }

  override getPipeTransport(fd: number): WriteTransport | ReadTransport | null {
    return this.#pipes.get(fd)?.pipe ?? null;
  }

  override sendSignal(signal: NodeJS.Signals | number): void {
    const name = signalName(signal);
    const child = this.#child;
    if (child === null) throw processLookupError();
    if (this.#returncode === null) child.kill(name);
  }

  override terminate(): void {
    this.sendSignal('SIGTERM');
  }

  override kill(): void {
    this.sendSignal('SIGKILL');
  }

  override isClosing(): boolean {
    return this.#closed;
  }

  /** Closes the pipes and kills the child if it is still running. */
  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const proto of this.#pipes.values()) proto.pipe?.close();
    const child = this.#child;
    if (child !== null && this.#returncode === null) {
      if (this.#loop.getDebug()) logger.warn(`Close running child process: kill ${this}`);
      child.kill('SIGKILL');
    }
  }

  override setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol as SubprocessProtocol;
  }

  override getProtocol(): BaseProtocol {
    return this._protocol as BaseProtocol;
  }

  override toString(): string {
    const state = this.#closed
      ? ' closed'
      : this.#returncode === null
        ? ' running'
        : ` returncode=${this.#returncode}`;
    return `<ChildProcessTransport pid=${this.#pid}${state}>`;
  }
}

/**
 * What `spawn` is given for `opts`. `shellCommand` is the command of `subprocessShell` (then
 * `program` is the shell and `args` its arguments).
 */
function spawnArguments(
  program: string,
  args: readonly string[],
  opts: SubprocessOptions,
  shellCommand: string | null,
): [string, readonly string[], StdioOptions] {
  const stdin = stdioEntry(opts.stdin, 'stdin');
  const stdout = stdioEntry(opts.stdout, 'stdout');
  if (opts.stderr !== STDOUT) return [program, args, [stdin, stdout, stdioEntry(opts.stderr, 'stderr')]];
  if (stdout !== 'pipe') return [program, args, [stdin, stdout, sameAsStdout(stdout)]];
  // One pipe for both: Node makes a pipe per stream only, so a shell joins them in the child
  // (`exec` keeps the child's pid that of the program).
  if (process.platform === 'win32') {
    throw new NotImplementedError('stderr=STDOUT with stdout=PIPE is not supported on Windows');
  }
  const joined =
    shellCommand === null
      ? ['-c', 'exec "$0" "$@" 2>&1', program, ...args]
      : ['-c', `exec 2>&1\n${shellCommand}`];
  return ['/bin/sh', joined, [stdin, 'pipe', 'ignore']];
}

/**
 * Starts the child and waits until it runs and its pipes are connected (or rejects with the
 * spawn error). Cancelling the wait (with @aio/futures loaded) kills the child, as asyncio does.
 */
async function start<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  program: string,
  args: readonly string[],
  opts: SubprocessOptions,
  shellCommand: string | null,
): Promise<[SubprocessTransport, P]> {
  checkLoopOpen(loop);
  checkFactory(protocolFactory);
  const env = opts.env ?? process.env;
  const [file, argv, stdio] = spawnArguments(program, args, opts, shellCommand);
  // A shell joining stderr to stdout would turn a missing program into exit status 127.
  if (file !== program && shellCommand === null) findProgram(program, env);
  const ctx = copyContext();
  const protocol = makeProtocol(protocolFactory, ctx);
  let child: ChildProcess | null = null;
  let transport: ChildProcessTransport | null = null;
  let abandoned = false;
  return waitFor<[SubprocessTransport, P]>(
    loop,
    (resolve, reject) => {
      const spawned = spawn(file, argv, {
        stdio,
        cwd: opts.cwd,
        env,
        detached: opts.startNewSession ?? false,
        uid: opts.uid,
        gid: opts.gid,
        argv0: opts.argv0,
        windowsHide: opts.windowsHide,
        windowsVerbatimArguments: shellCommand !== null && process.platform === 'win32',
      });
      child = spawned;
      spawned.once('error', reject);
      spawned.once('spawn', () => {
        spawned.off('error', reject);
        if (abandoned) return;
        const made = new ChildProcessTransport(loop, spawned, protocol, ctx);
        transport = made;
        made._connectPipes().then(() => resolve([made, protocol]), reject);
      });
    },
    () => {
      // The wait failed or was cancelled: nothing may keep running.
      abandoned = true;
      if (transport !== null) {
        (transport as ChildProcessTransport).close();
      } else if (child !== null) {
        const spawned = child as ChildProcess;
        spawned.kill('SIGKILL');
        for (const pipe of spawned.stdio) pipe?.destroy();
      }
    },
  );
}

/** Checks the options object of a subprocess call. */
function checkSubprocessOptions(opts: unknown): SubprocessOptions {
  checkOptions(opts);
  const given = (opts ?? {}) as Record<string, unknown>;
  // Python's subprocess_exec refuses these: the pipes carry bytes, unbuffered, without a shell.
  for (const refused of ['shell', 'text', 'encoding', 'errors', 'universalNewlines', 'bufsize']) {
    if (given[refused] !== undefined)
      throw new RangeError(`opts.${refused} is not supported by subprocesses`);
  }
  return given as SubprocessOptions;
}

/** `loop.subprocessExec()`: runs `program` with `args` (no shell). */
export async function subprocessExec<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  program: string,
  args: readonly string[] = [],
  opts?: SubprocessOptions,
): Promise<[SubprocessTransport, P]> {
  if (typeof program !== 'string' || program === '')
    throw new TypeError(`program must be a non-empty string, got ${describe(program)}`);
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string'))
    throw new TypeError(`args must be an array of strings, got ${describe(args)}`);
  return start(loop, protocolFactory, program, args, checkSubprocessOptions(opts), null);
}

/** `loop.subprocessShell()`: runs `cmd` with the system shell (`/bin/sh -c`, `%ComSpec%` on Windows). */
export async function subprocessShell<P extends SubprocessProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  cmd: string,
  opts?: SubprocessOptions,
): Promise<[SubprocessTransport, P]> {
  if (typeof cmd !== 'string' || cmd === '')
    throw new TypeError(`cmd must be a non-empty string, got ${describe(cmd)}`);
  const windows = process.platform === 'win32';
  const shell = windows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
  const args = windows ? ['/d', '/s', '/c', `"${cmd}"`] : ['-c', cmd];
  return start(loop, protocolFactory, shell, args, checkSubprocessOptions(opts), cmd);
}

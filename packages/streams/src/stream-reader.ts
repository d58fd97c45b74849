/**
 * `StreamReader`: buffered reading from a connection (asyncio's `StreamReader`). A protocol
 * feeds it (`feedData`, `feedEof`, `setException`); tasks read from it (`read`, `readLine`,
 * `readExactly`, `readUntil`, `for await`). One task may wait for data at a time.
 *
 * The buffer is one growable byte array with a read and a write offset: feeding copies the
 * chunk in once, reading copies the answer out once; nothing else is allocated per chunk.
 */
import {
  _getRunningLoop,
  type AbstractEventLoop,
  type AbstractFuture,
  getRunningLoop,
  NotImplementedError,
  type ReadTransport,
  RuntimeError,
} from '@aio/loop';
import { IncompleteReadError, LimitOverrunError } from './errors';
import { describe } from './internal/describe';

/** The default `limit` (64 KiB): the longest line, and half the buffered bytes before reading pauses. */
export const DEFAULT_LIMIT = 65536;

const NEWLINE = new Uint8Array([10]);
const EMPTY = Buffer.alloc(0);
const MIN_CAPACITY = 1024;
const READ_SOME = 0;
const READ_EXACTLY = 1;

function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || Number.isNaN(limit))
    throw new TypeError(`limit must be a number, got ${describe(limit)}`);
  if (limit <= 0) throw new RangeError('Limit cannot be <= 0');
  return limit;
}

/** Checks an optional `limit` option, giving the default. */
export function limitOption(opts: { limit?: unknown } | undefined): number {
  return opts?.limit === undefined ? DEFAULT_LIMIT : checkLimit(opts.limit);
}

/**
 * Reads bytes from a connection: made by `openConnection`/`startServer`, or by hand for a
 * protocol of your own. Bytes are `Uint8Array` (Node `Buffer`s).
 *
 * @example
 * const [reader, writer] = await openConnection('127.0.0.1', 8888);
 * const header = await reader.readExactly(4);
 * for await (const line of reader) console.log(line.toString());
 *
 * **Cancellation**: every read is cancel-safe: a read cancelled while waiting consumes
 * nothing, so the bytes it would have returned stay in the buffer for the next read.
 */
export class StreamReader implements AsyncIterable<Uint8Array> {
  /** @internal */ _limit: number;
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _buf: Buffer = EMPTY;
  /** @internal First unread byte. */ _start = 0;
  /** @internal One past the last unread byte. */ _end = 0;
  /** @internal */ _eof = false;
  /** @internal What a waiting `_waitForData` awaits. */
  _waiter: AbstractFuture<void> | null = null;
  /**
   * @internal A `read(n)` or `readExactly(n)` waiting for data: its future is completed with the
   * bytes by `feedData`/`feedEof` directly (no task step in between). Kind: `READ_SOME` or
   * `READ_EXACTLY`; `_pendingSize` is its `n`.
   */
  _pending: AbstractFuture<Uint8Array> | null = null;
  /** @internal */ _pendingKind = READ_SOME;
  /** @internal */ _pendingSize = 0;
  /** @internal */ _exception: unknown = null;
  /** @internal */ _transport: ReadTransport | null = null;
  /** @internal */ _paused = false;

  constructor(opts?: { limit?: number; loop?: AbstractEventLoop }) {
    if (opts !== undefined && (opts === null || typeof opts !== 'object'))
      throw new TypeError(`opts must be an options object, got ${describe(opts)}`);
    this._limit = limitOption(opts);
    this._loop = opts?.loop ?? _getRunningLoop();
  }

  /** The line-length limit. */
  get limit(): number {
    return this._limit;
  }

  /** Bytes buffered and not read yet. */
  get _size(): number {
    return this._end - this._start;
  }

  /** The error set by `setException`, or `null`. */
  exception(): unknown {
    return this._exception;
  }

  /** Makes every read (now waiting, or later) fail with `exc`. */
  setException(exc: unknown): void {
    this._exception = exc;
    const pending = this._pending;
    if (pending !== null) {
      this._pending = null;
      if (!pending.done()) pending.setException(exc);
    }
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.done()) waiter.setException(exc);
    }
  }

  /** @internal Wakes the read waiting for data or EOF. */
  _wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /** Gives the reader its transport, so that it can pause reading when its buffer is full. */
  setTransport(transport: ReadTransport): void {
    if (this._transport !== null) throw new RuntimeError('Transport already set');
    this._transport = transport;
  }

  /** @internal */
  _maybeResumeTransport(): void {
    if (this._paused && this._size <= this._limit) {
      this._paused = false;
      this._transport?.resumeReading();
    }
  }

  /** Marks the end of the data: reads return what is left, then EOF. */
  feedEof(): void {
    this._eof = true;
    if (this._pending !== null) this._servePending();
    this._wakeupWaiter();
  }

  /** Whether the buffer is empty and `feedEof` was called. */
  atEof(): boolean {
    return this._eof && this._end === this._start;
  }

  /** Appends `data` (copied) to the buffer; pauses the transport past twice the limit. */
  feedData(data: Uint8Array): void {
    this._feed(data, false);
  }

  /**
   * @internal `feedData`; `owned` says the chunk is ours to keep (the transport handed it
   * over): a waiting read that takes all of it gets it as it is, not a copy.
   */
  _feed(data: Uint8Array, owned: boolean): void {
    if (this._eof) throw new RuntimeError('feedData after feedEof');
    if (!(data instanceof Uint8Array))
      throw new TypeError(`data must be a Uint8Array, got ${describe(data)}`);
    const n = data.length;
    if (n === 0) return;
    let offset = 0;
    if (this._pending !== null && this._end === this._start) offset = this._serveFromChunk(data, owned);
    if (offset < n) {
      if (this._buf.length - this._end < n - offset) this._makeRoom(n - offset);
      this._buf.set(offset === 0 ? data : data.subarray(offset), this._end);
      this._end += n - offset;
      if (this._pending !== null) this._servePending();
      else if (this._waiter !== null) this._wakeupWaiter();
    }
    if (this._transport !== null && !this._paused && this._end - this._start > 2 * this._limit) {
      try {
        this._transport.pauseReading();
        this._paused = true;
      } catch (error) {
        // The transport cannot pause: buffer everything, and stop trying.
        if (!(error instanceof NotImplementedError)) throw error;
        this._transport = null;
      }
    }
  }

  /** @internal Room for `n` more bytes: move the unread bytes to the front, or grow. */
  _makeRoom(n: number): void {
    const size = this._end - this._start;
    const buf = this._buf;
    if (size + n <= buf.length && this._start >= size) {
      buf.copy(buf, 0, this._start, this._end);
    } else {
      let capacity = Math.max(buf.length * 2, MIN_CAPACITY);
      while (capacity < size + n) capacity *= 2;
      const grown = Buffer.allocUnsafeSlow(capacity);
      buf.copy(grown, 0, this._start, this._end);
      this._buf = grown;
    }
    this._start = 0;
    this._end = size;
  }

  /** @internal Removes and returns the first `n` buffered bytes (a copy). */
  _take(n: number): Buffer {
    const start = this._start;
    const out = Buffer.allocUnsafe(n);
    this._buf.copy(out, 0, start, start + n);
    this._consume(n);
    return out;
  }

  /** @internal Drops the first `n` buffered bytes. */
  _consume(n: number): void {
    this._start += n;
    if (this._start === this._end) this._start = this._end = 0;
  }

  /** @internal Completes the waiting `read(n)`/`readExactly(n)` if the buffer (or EOF) now allows. */
  _servePending(): void {
    const pending = this._pending!;
    if (pending.done()) {
      // Cancelled: it consumed nothing.
      this._pending = null;
      return;
    }
    const size = this._end - this._start;
    if (this._pendingKind === READ_EXACTLY) {
      const n = this._pendingSize;
      if (size >= n) {
        this._pending = null;
        pending.setResult(this._take(n));
        this._maybeResumeTransport();
      } else if (this._eof) {
        this._pending = null;
        pending.setException(new IncompleteReadError(this._take(size), n));
      }
    } else if (size > 0 || this._eof) {
      this._pending = null;
      pending.setResult(this._take(Math.min(this._pendingSize, size)));
      this._maybeResumeTransport();
    }
  }

  /**
   * @internal The buffer is empty and a read waits: answer it from `data` itself (one copy, not
   * two). Returns how many bytes of `data` were used.
   */
  _serveFromChunk(data: Uint8Array, owned: boolean): number {
    const pending = this._pending!;
    if (pending.done()) {
      this._pending = null;
      return 0;
    }
    const n =
      this._pendingKind === READ_EXACTLY ? this._pendingSize : Math.min(this._pendingSize, data.length);
    if (data.length < n) return 0;
    this._pending = null;
    if (owned && n === data.length) {
      pending.setResult(data);
    } else {
      const out = Buffer.allocUnsafe(n);
      out.set(n === data.length ? data : data.subarray(0, n));
      pending.setResult(out);
    }
    return n;
  }

  /** @internal A future that `_servePending` completes with `n` bytes (`kind` says how). */
  _waitPending(kind: number, n: number, funcName: string): Promise<Uint8Array> {
    if ((this._waiter !== null && !this._waiter.done()) || (this._pending !== null && !this._pending.done()))
      return Promise.reject(
        new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`),
      );
    // Waiting while paused would wait forever (readExactly(n) with n > limit).
    if (this._paused) {
      this._paused = false;
      this._transport?.resumeReading();
    }
    let loop = this._loop;
    if (loop === null) {
      try {
        loop = this._loop = getRunningLoop();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const fut = loop.createFuture<Uint8Array>();
    this._pending = fut;
    this._pendingKind = kind;
    this._pendingSize = n;
    // A Future is Promise-compatible (then/catch/finally); a Task awaiting it can cancel it.
    return fut as unknown as Promise<Uint8Array>;
  }

  /** @internal Waits until `feedData`/`feedEof` is called (resuming a paused transport first). */
  async _waitForData(funcName: string): Promise<void> {
    if ((this._waiter !== null && !this._waiter.done()) || (this._pending !== null && !this._pending.done()))
      throw new RuntimeError(
        `${funcName}() called while another coroutine is already waiting for incoming data`,
      );
    if (this._eof) throw new RuntimeError('_waitForData after EOF');
    // Waiting while paused would wait forever (readExactly(n) with n > limit).
    if (this._paused) {
      this._paused = false;
      this._transport?.resumeReading();
    }
    const loop = (this._loop ??= getRunningLoop());
    const waiter = loop.createFuture<void>();
    this._waiter = waiter;
    try {
      await waiter;
    } finally {
      if (this._waiter === waiter) this._waiter = null;
    }
  }

  /**
   * Up to `n` bytes, as soon as at least one is buffered. `n` = -1 (default): everything up to
   * EOF; 0: empty at once. At EOF: empty.
   *
   * @example
   * const chunk = await reader.read(65536);
   * if (chunk.length === 0) console.log('EOF');
   *
   * **Cancellation**: nothing is consumed; buffered bytes stay for the next read
   * (for `n` = -1, the blocks read so far are lost, as in asyncio).
   */
  read(n = -1): Promise<Uint8Array> {
    if (typeof n !== 'number' || !Number.isInteger(n))
      return Promise.reject(new TypeError(`n must be an integer, got ${describe(n)}`));
    if (this._exception !== null) return Promise.reject(this._exception);
    if (n === 0) return Promise.resolve(EMPTY);
    if (n < 0) return this._readAll();
    const size = this._end - this._start;
    if (size === 0 && !this._eof) return this._waitPending(READ_SOME, n, 'read');
    const out = this._take(Math.min(n, size));
    this._maybeResumeTransport();
    return Promise.resolve(out);
  }

  /** @internal `read(-1)`: block by block, so that a peer sending more than the limit cannot stall us. */
  async _readAll(): Promise<Uint8Array> {
    const blocks: Uint8Array[] = [];
    for (;;) {
      const block = await this.read(this._limit);
      if (block.length === 0) break;
      blocks.push(block);
    }
    return Buffer.concat(blocks);
  }

  /**
   * One line, through `"\n"`; at EOF the partial last line (empty when nothing is left). A line
   * longer than `limit` throws `RangeError` (Python's `ValueError`) and is discarded.
   *
   * @example
   * const line = await reader.readLine();
   *
   * **Cancellation**: nothing is consumed.
   */
  async readLine(): Promise<Uint8Array> {
    try {
      return await this.readUntil(NEWLINE);
    } catch (error) {
      if (error instanceof IncompleteReadError) return error.partial;
      if (error instanceof LimitOverrunError) {
        const at = this._start + error.consumed;
        if (at < this._end && this._buf[at] === 10) this._consume(error.consumed + 1);
        else this._start = this._end = 0;
        this._maybeResumeTransport();
        throw new RangeError(error.message);
      }
      throw error;
    }
  }

  /**
   * Exactly `n` bytes; `IncompleteReadError` (with the bytes read) if EOF comes first.
   *
   * @example
   * const frame = await reader.readExactly(100);
   *
   * **Cancellation**: nothing is consumed; the bytes stay buffered.
   */
  readExactly(n: number): Promise<Uint8Array> {
    if (typeof n !== 'number' || !Number.isInteger(n))
      return Promise.reject(new TypeError(`n must be an integer, got ${describe(n)}`));
    if (n < 0) return Promise.reject(new RangeError('readExactly size can not be less than zero'));
    if (this._exception !== null) return Promise.reject(this._exception);
    if (n === 0) return Promise.resolve(EMPTY);
    const size = this._end - this._start;
    if (size < n) {
      if (this._eof) return Promise.reject(new IncompleteReadError(this._take(size), n));
      return this._waitPending(READ_EXACTLY, n, 'readExactly');
    }
    const out = this._take(n);
    this._maybeResumeTransport();
    return Promise.resolve(out);
  }

  /**
   * Data up to and including `separator` (default `"\n"`). Given several separators, the
   * shortest answer wins. `LimitOverrunError` past `limit` (the data stays buffered);
   * `IncompleteReadError` at EOF (the buffer is emptied into `partial`).
   *
   * @example
   * const header = await reader.readUntil(new TextEncoder().encode('\r\n\r\n'));
   *
   * **Cancellation**: nothing is consumed.
   */
  async readUntil(separator: Uint8Array | readonly Uint8Array[] = NEWLINE): Promise<Uint8Array> {
    const separators = checkSeparators(separator);
    const minLength = separators[0]!.length;
    const maxLength = separators[separators.length - 1]!.length;
    if (this._exception !== null) throw this._exception;
    // Bytes from the start known not to begin a separator.
    let offset = 0;
    let matchEnd = -1;
    let matchStart = -1;
    for (;;) {
      const size = this._end - this._start;
      if (size - offset >= minLength) {
        const view = this._buf.subarray(this._start, this._end);
        for (const sep of separators) {
          const at = view.indexOf(sep, offset);
          if (at !== -1 && (matchEnd === -1 || at + sep.length < matchEnd)) {
            matchEnd = at + sep.length;
            matchStart = at;
          }
        }
        if (matchEnd !== -1) break;
        offset = Math.max(0, size + 1 - maxLength);
        if (offset > this._limit)
          throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      // A last chunk may complete the separator, so the buffer is searched before EOF counts.
      if (this._eof) {
        const partial = this._take(size);
        throw new IncompleteReadError(partial, null);
      }
      await this._waitForData('readUntil');
    }
    if (matchStart > this._limit)
      throw new LimitOverrunError('Separator is found, but chunk is longer than limit', matchStart);
    const out = this._take(matchEnd);
    this._maybeResumeTransport();
    return out;
  }

  /** Lines (`Uint8Array`, with their `"\n"`) until EOF: `for await (const line of reader)`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const line = await this.readLine();
      if (line.length === 0) return;
      yield line;
    }
  }

  /**
   * Decoded lines until EOF, without their line ending (`"\n"` or `"\r\n"`) unless `keepEnds`.
   *
   * @example
   * for await (const line of reader.lines()) console.log(line);
   *
   * **Cancellation**: as `readLine`: the line being waited for is not consumed.
   */
  async *lines(opts?: {
    encoding?: BufferEncoding;
    keepEnds?: boolean;
  }): AsyncGenerator<string, void, undefined> {
    const encoding = opts?.encoding ?? 'utf8';
    if (!Buffer.isEncoding(encoding)) throw new RangeError(`unknown encoding: ${String(encoding)}`);
    const keepEnds = Boolean(opts?.keepEnds);
    for await (const line of this) {
      const text = Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString(encoding);
      yield keepEnds ? text : text.replace(/\r?\n$/, '');
    }
  }

  toString(): string {
    const info = ['StreamReader'];
    if (this._size > 0) info.push(`${this._size} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter !== null || this._pending !== null) info.push('waiter');
    if (this._exception !== null) info.push(`exception=${String(this._exception)}`);
    if (this._transport !== null) info.push(`transport=${String(this._transport)}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }
}

/** The separators, shortest first, checked. */
function checkSeparators(separator: unknown): Uint8Array[] {
  let list: Uint8Array[];
  if (separator instanceof Uint8Array) list = [separator];
  else if (Array.isArray(separator)) {
    list = separator.map((s, i) => {
      if (!(s instanceof Uint8Array))
        throw new TypeError(`separator[${i}] must be a Uint8Array, got ${describe(s)}`);
      return s;
    });
    list.sort((a, b) => a.length - b.length);
  } else {
    throw new TypeError(`separator must be a Uint8Array or an array of them, got ${describe(separator)}`);
  }
  if (list.length === 0) throw new RangeError('Separator should contain at least one element');
  if (list[0]!.length === 0) throw new RangeError('Separator should be at least one-byte string');
  return list;
}

/**
 * The read buffer of a socket (TCP, Unix, a pipe): Node's `onread` mode, where a socket reads
 * into a buffer we give it and calls us with the byte count — no stream machinery, no
 * allocation per read. A small read is copied out and the buffer reused; a large one (half the
 * buffer or more) is handed over as it is, and the socket gets a new buffer for the next read.
 *
 * The buffer starts small (an idle connection holds 16 KiB, not 64) and doubles, up to 64 KiB,
 * each time a read fills it, so a bulk transfer reads 64 KiB at a time after two reads.
 */
import net from 'node:net';

const INITIAL_SIZE = 16 * 1024;
const MAX_SIZE = 64 * 1024;

/** What takes a socket's reads: `nread` bytes at the start of `buf`, valid during the call. */
export interface ReadTarget {
  _onRead(buf: Uint8Array, nread: number): void;
}

/**
 * Node's socket keeps the user read buffer of `onread` under three internal symbols; a socket
 * Node made itself (accepted by `net.Server`, a child's pipe) cannot be given `onread`, so we
 * set them ourselves, as the `onread` option would. Found once, by description; when Node's
 * internals change, the lookup fails and such sockets use `'data'` events instead.
 */
const userBufferKeys = (() => {
  try {
    const probe = new net.Socket({
      onread: { buffer: Buffer.alloc(1), callback: () => true },
    } as net.SocketConstructorOpts);
    const keys = Object.fromEntries(Object.getOwnPropertySymbols(probe).map((s) => [s.description, s]));
    probe.destroy();
    const { kBuffer, kBufferCb, kBufferGen } = keys;
    if (kBuffer === undefined || kBufferCb === undefined || kBufferGen === undefined) return null;
    return { kBuffer, kBufferCb, kBufferGen };
  } catch {
    return null;
  }
})();

/** Where a socket's reads go (whoever owns the socket now), and the buffer they land in. */
export class ReadSink {
  /** Who gets the reads; `null` once the transport let go of the socket. */
  target: ReadTarget | null = null;
  #buffer: Buffer | null = null;
  #size = INITIAL_SIZE;
  /** The last read filled the buffer: the next one gets a bigger buffer. */
  #filled = false;
  /** The last read was handed over with its buffer: the next one needs a new buffer. */
  #handedOver = false;

  /** Node's `onread` callback: the read goes to the target. */
  readonly callback = (nread: number, buf: Uint8Array): boolean => {
    this.#filled = nread === buf.length;
    this.target?._onRead(buf, nread);
    return true;
  };

  /** Node's `onread` buffer generator, called before the first read and after each one. */
  readonly next = (): Buffer => {
    if (this.#filled && this.#size < MAX_SIZE) {
      this.#size *= 2;
      this.#buffer = null;
    }
    this.#filled = false;
    if (this.#buffer === null || this.#handedOver) {
      this.#handedOver = false;
      this.#buffer = Buffer.allocUnsafe(this.#size);
    }
    return this.#buffer;
  };

  /** Whether a read of `nread` bytes is handed over by `owned` (not copied). */
  isLarge(nread: number): boolean {
    return nread >= this.#size / 2;
  }

  /** The read as a chunk the receiver owns: handed over when large, else copied out. */
  owned(buf: Uint8Array, nread: number): Uint8Array {
    if (this.isLarge(nread)) {
      this.#handedOver = true;
      return buf.subarray(0, nread);
    }
    const data = Buffer.allocUnsafe(nread);
    data.set(buf.subarray(0, nread));
    return data;
  }

  /** The `onread` option for a socket we create. */
  onreadOption(): net.OnReadOpts {
    return { buffer: this.next, callback: this.callback };
  }

  /**
   * Gives a socket Node made a buffer of ours, as the `onread` option would. False when Node's
   * internals do not allow it: the socket keeps to `'data'` events.
   */
  adopt(sock: net.Socket): boolean {
    const handle = (sock as unknown as { _handle?: { useUserBuffer?: (b: Uint8Array) => void } })._handle;
    if (userBufferKeys === null || typeof handle?.useUserBuffer !== 'function') return false;
    const buffer = this.next();
    const slots = sock as unknown as Record<symbol, unknown>;
    slots[userBufferKeys.kBuffer] = buffer;
    slots[userBufferKeys.kBufferCb] = this.callback;
    slots[userBufferKeys.kBufferGen] = this.next;
    handle.useUserBuffer(buffer);
    return true;
  }
}

/** Whether `sock` reads through a buffer of ours (`onread`). */
export function hasUserBuffer(sock: net.Socket): boolean {
  return (
    userBufferKeys !== null && (sock as unknown as Record<symbol, unknown>)[userBufferKeys.kBuffer] != null
  );
}

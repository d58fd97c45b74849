/** The errors of @aio/streams, with the fields asyncio gives them. */

function named<T extends Error>(error: T, name: string): T {
  Object.defineProperty(error, 'name', {
    value: name,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return error;
}

/**
 * EOF came before the bytes a read asked for (asyncio's `IncompleteReadError`).
 *
 * @example
 * try { await reader.readExactly(4); }
 * catch (e) { if (e instanceof IncompleteReadError) console.log(e.partial); }
 *
 * **Cancellation**: not applicable.
 */
export class IncompleteReadError extends Error {
  /** The bytes read before EOF. */
  readonly partial: Uint8Array;
  /** How many bytes were expected, or `null` when reading up to a separator. */
  readonly expected: number | null;

  constructor(partial: Uint8Array, expected: number | null) {
    super(`${partial.length} bytes read on a total of ${expected} expected bytes`);
    named(this, 'IncompleteReadError');
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * A separator was not found within the reader's `limit` (asyncio's `LimitOverrunError`); the
 * data stays in the buffer.
 *
 * @example
 * try { await reader.readUntil(sep); }
 * catch (e) { if (e instanceof LimitOverrunError) await reader.readExactly(e.consumed); }
 *
 * **Cancellation**: not applicable.
 */
export class LimitOverrunError extends Error {
  /** How many bytes can be consumed (a hint for the caller). */
  readonly consumed: number;

  constructor(message: string, consumed: number) {
    super(message);
    named(this, 'LimitOverrunError');
    this.consumed = consumed;
  }
}

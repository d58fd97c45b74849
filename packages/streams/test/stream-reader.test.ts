import { CancelledError, EventLoop, RuntimeError, TimeoutError } from '@aio/loop';
import {
  DEFAULT_LIMIT,
  IncompleteReadError,
  LimitOverrunError,
  StreamReader,
  StreamReaderProtocol,
} from '@aio/streams';
import { createTask, run, sleep, waitFor } from '@aio/tasks';

const enc = (s: string) => Buffer.from(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();

/** A reader fed with `chunks`, then EOF. */
function fed(chunks: string[], eof = true, limit?: number): StreamReader {
  const reader = new StreamReader(limit === undefined ? {} : { limit });
  for (const c of chunks) reader.feedData(enc(c));
  if (eof) reader.feedEof();
  return reader;
}

describe('StreamReader', () => {
  test('read(n): up to n bytes; read() to EOF; read(0) empty; empty at EOF', async () => {
    await run(async () => {
      const reader = fed(['line1\nline2\n', 'line3']);
      expect(dec(await reader.read(0))).toBe('');
      expect(dec(await reader.read(3))).toBe('lin');
      expect(dec(await reader.read())).toBe('e1\nline2\nline3');
      expect(dec(await reader.read(5))).toBe('');
      expect(reader.atEof()).toBe(true);
    });
  });

  test('a read waiting for data is woken by feedData, from another task', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const reading = createTask(() => reader.read(100));
      const exact = async () => {
        await sleep(0);
        reader.feedData(enc('abc'));
      };
      await exact();
      expect(dec(await reading)).toBe('abc');
      const r2 = createTask(() => reader.readExactly(4));
      await sleep(0);
      reader.feedData(enc('12'));
      await sleep(0);
      expect(r2.done()).toBe(false);
      reader.feedData(enc('345'));
      expect(dec(await r2)).toBe('1234');
      expect(dec(await reader.read(10))).toBe('5');
    });
  });

  test('readLine: through "\\n"; partial line at EOF; then empty', async () => {
    await run(async () => {
      const reader = fed(['one\ntw', 'o\nthree']);
      expect(dec(await reader.readLine())).toBe('one\n');
      expect(dec(await reader.readLine())).toBe('two\n');
      expect(dec(await reader.readLine())).toBe('three');
      expect(dec(await reader.readLine())).toBe('');
    });
  });

  test('readLine over the limit: RangeError and the line is discarded', async () => {
    await run(async () => {
      const reader = fed(['aaaaaaaaaa\nok\n'], true, 4);
      await expect(reader.readLine()).rejects.toThrow(RangeError);
      expect(dec(await reader.readLine())).toBe('ok\n');
      const noNewline = fed(['bbbbbbbbbbbb'], false, 4);
      await expect(noNewline.readLine()).rejects.toThrow(RangeError);
      expect(noNewline._size).toBe(0);
    });
  });

  test('readExactly: exact bytes; IncompleteReadError with the partial data at EOF', async () => {
    await run(async () => {
      const reader = fed(['0123', '456']);
      expect(dec(await reader.readExactly(5))).toBe('01234');
      expect(dec(await reader.readExactly(0))).toBe('');
      const error = await reader.readExactly(10).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(dec((error as IncompleteReadError).partial)).toBe('56');
      expect((error as IncompleteReadError).expected).toBe(10);
      expect((error as Error).message).toBe('2 bytes read on a total of 10 expected bytes');
      await expect(reader.readExactly(-1)).rejects.toThrow(RangeError);
      await expect(reader.readExactly(1.5)).rejects.toThrow(/n must be an integer/);
    });
  });

  test('readUntil: one or several separators (shortest answer wins); limit; EOF', async () => {
    await run(async () => {
      const reader = fed(['key: value\r\n\r\nbody|end']);
      expect(dec(await reader.readUntil(enc('\r\n\r\n')))).toBe('key: value\r\n\r\n');
      const several = fed(['a;b|c']);
      expect(dec(await several.readUntil([enc('|'), enc(';')]))).toBe('a;');
      expect(dec(await several.readUntil([enc('|'), enc(';')]))).toBe('b|');
      const partial = await several.readUntil(enc('#')).catch((e: unknown) => e);
      expect(partial).toBeInstanceOf(IncompleteReadError);
      expect(dec((partial as IncompleteReadError).partial)).toBe('c');
      expect((partial as IncompleteReadError).expected).toBeNull();
      expect((partial as IncompleteReadError).message).toBe('1 bytes read on a total of null expected bytes');

      const limited = fed(['0123456789|'], false, 5);
      const overrun = await limited.readUntil(enc('|')).catch((e: unknown) => e);
      expect(overrun).toBeInstanceOf(LimitOverrunError);
      expect((overrun as LimitOverrunError).consumed).toBe(10);
      expect(limited._size).toBe(11);
      await expect(limited.readUntil(enc(''))).rejects.toThrow(/at least one-byte/);
      await expect(limited.readUntil([])).rejects.toThrow(/at least one element/);
      await expect(limited.readUntil('|' as never)).rejects.toThrow(TypeError);
    });
  });

  test('a separator split across chunks is found', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const t = createTask(() => reader.readUntil(enc('END')));
      for (const part of ['data E', 'N', 'D rest']) {
        await sleep(0);
        reader.feedData(enc(part));
      }
      expect(dec(await t)).toBe('data END');
    });
  });

  test('async iteration yields lines; lines() decodes and strips endings', async () => {
    await run(async () => {
      const got: string[] = [];
      for await (const line of fed(['a\nb\r\n', 'c'])) got.push(dec(line));
      expect(got).toEqual(['a\n', 'b\r\n', 'c']);
      const texts: string[] = [];
      for await (const line of fed(['é\nb\r\nc']).lines()) texts.push(line);
      expect(texts).toEqual(['é', 'b', 'c']);
      const kept: string[] = [];
      for await (const line of fed(['x\n']).lines({ keepEnds: true })) kept.push(line);
      expect(kept).toEqual(['x\n']);
    });
  });

  test('setException fails the waiting read and later reads', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const t = createTask(() => reader.readLine());
      await sleep(0);
      const boom = new Error('boom');
      reader.setException(boom);
      await expect(t).rejects.toBe(boom);
      await expect(reader.read(1)).rejects.toBe(boom);
      expect(reader.exception()).toBe(boom);
    });
  });

  test('two tasks waiting at once: RuntimeError', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const first = createTask(() => reader.read(1));
      await sleep(0);
      await expect(reader.readExactly(1)).rejects.toThrow(RuntimeError);
      await expect(reader.readLine()).rejects.toThrow(/already waiting/);
      reader.feedData(enc('z'));
      expect(dec(await first)).toBe('z');
    });
  });

  test('cancellation: a cancelled read consumes nothing', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const t = createTask(() => reader.readExactly(4));
      await sleep(0);
      reader.feedData(enc('ab'));
      t.cancel();
      await expect(t).rejects.toBeInstanceOf(CancelledError);
      reader.feedData(enc('cd'));
      expect(dec(await reader.readExactly(4))).toBe('abcd');
      const lineTask = createTask(() => reader.readLine());
      await sleep(0);
      reader.feedData(enc('partial'));
      lineTask.cancel();
      await expect(lineTask).rejects.toBeInstanceOf(CancelledError);
      reader.feedData(enc(' line\n'));
      expect(dec(await reader.readLine())).toBe('partial line\n');
      await expect(waitFor(reader.readExactly(100), 0.01)).rejects.toBeInstanceOf(TimeoutError);
      reader.feedData(enc('after timeout'));
      expect(dec(await reader.readExactly(5))).toBe('after');
      reader.feedEof();
      expect(dec(await reader.read())).toBe(' timeout');
    });
  });

  test('limit and bad input', async () => {
    await run(async () => {
      expect(new StreamReader().limit).toBe(DEFAULT_LIMIT);
      expect(() => new StreamReader({ limit: 0 })).toThrow(/Limit cannot be <= 0/);
      expect(() => new StreamReader({ limit: '5' as never })).toThrow(/limit must be a number/);
      const reader = new StreamReader();
      expect(() => reader.feedData('text' as never)).toThrow();
      await expect(reader.read('1' as never)).rejects.toThrow(/n must be an integer/);
      reader.feedEof();
      expect(() => reader.feedData(enc('x'))).toThrow(/feedData after feedEof/);
    });
  });

  test('a chunk the transport hands over goes to a waiting read as it is; a borrowed one is copied', async () => {
    await run(async () => {
      const reader = new StreamReader();
      const protocol = new StreamReaderProtocol(reader);
      const handed = enc('x'.repeat(100));
      let reading = createTask(() => reader.read(1000));
      await sleep(0);
      protocol.dataReceived(handed, true);
      expect(await reading).toBe(handed);
      // Borrowed (a view of a buffer the transport reuses): the reader answers with a copy.
      const borrowed = enc('y'.repeat(100));
      reading = createTask(() => reader.read(1000));
      await sleep(0);
      protocol.dataReceived(borrowed);
      const copy = await reading;
      expect(copy).not.toBe(borrowed);
      borrowed.fill(0);
      expect(dec(copy)).toBe('y'.repeat(100));
      // A read that takes part of a handed-over chunk gets a copy; the rest stays buffered.
      const exact = createTask(() => reader.readExactly(10));
      await sleep(0);
      protocol.dataReceived(enc('0123456789abc'), true);
      expect(dec(await exact)).toBe('0123456789');
      expect(dec(await reader.read(10))).toBe('abc');
      expect(() => protocol.dataReceived('text' as never, true)).toThrow(TypeError);
    });
  });

  test('works on any loop object, e.g. a second EventLoop', async () => {
    const loop = new EventLoop();
    const reader = new StreamReader({ loop });
    reader.feedData(enc('q'));
    const result = await loop.runUntilComplete(() => reader.read(1));
    expect(dec(result)).toBe('q');
    loop.close();
  });
});

import { getRunningLoop } from '@aio/loop';
import {
  IncompleteReadError,
  openConnection,
  type StreamReader,
  type StreamWriter,
  startServer,
} from '@aio/streams';
import { run } from '@aio/tasks';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();

async function echo(reader: StreamReader, writer: StreamWriter) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
}

test('echo: lines, exact frames, EOF', async () => {
  await run(async () => {
    await using server = await startServer(echo, '127.0.0.1', 0);
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const [reader, writer] = await openConnection('127.0.0.1', port);
    writer.write(enc('hello\nworld\n'));
    expect(dec(await reader.readLine())).toBe('hello\n');
    expect(dec(await reader.readExactly(3))).toBe('wor');
    writer.writeEof();
    expect(dec(await reader.read())).toBe('ld\n');
    expect(reader.atEof()).toBe(true);
    await expect(reader.readExactly(1)).rejects.toBeInstanceOf(IncompleteReadError);
    writer.close();
    await writer.waitClosed();
    expect(getRunningLoop()).toBeDefined();
  });
});

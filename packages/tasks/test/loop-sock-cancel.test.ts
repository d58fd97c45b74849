import net from 'node:net';
import { CancelledError, getRunningLoop } from '@aio/loop';
import { createTask, run, sleep } from '@aio/tasks';

// The loop's sock* waits are @aio futures once tasks are loaded: a cancelled receive consumes nothing.
test('a cancelled loop.sockRecv consumes nothing; the next receive gets the data', async () => {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    await run(async () => {
      const loop = getRunningLoop();
      const sock = new net.Socket();
      await loop.sockConnect(sock, ['127.0.0.1', port]);
      const receiver = createTask(() => loop.sockRecv(sock, 100));
      await sleep(0.01);
      receiver.cancel();
      await expect(receiver).rejects.toBeInstanceOf(CancelledError);
      await loop.sockSendall(sock, Buffer.from('kept'));
      let got = '';
      while (got.length < 4) got += Buffer.from(await loop.sockRecv(sock, 100)).toString();
      expect(got).toBe('kept');
      sock.destroy();
    });
  } finally {
    server.close();
  }
});

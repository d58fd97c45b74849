// The @aio demo: asyncio's model on Node.js. Run it with `pnpm demo` (it builds first).
import { CancelledError, TimeoutError, VirtualTimeEventLoop } from '@aio/loop';
import { Queue } from '@aio/queues';
import { openConnection, startServer } from '@aio/streams';
import { createSubprocessExec, PIPE } from '@aio/subprocess';
import { Lock } from '@aio/sync';
import { createTask, currentTask, gather, run, sleep, taskGroup, timeout } from '@aio/tasks';

const title = (text) => console.log(`\n== ${text}`);

// 1. asyncio's "Hello World".
title('Hello World');
await run(async () => {
  console.log('Hello ...');
  await sleep(1);
  console.log('... World!');
});

// 2. Tasks are cancellable: the await they are suspended on throws CancelledError.
title('Cancelling a task');
await run(async () => {
  const worker = createTask(async () => {
    try {
      console.log('worker: working for an hour');
      await sleep(3600);
    } catch (error) {
      if (error instanceof CancelledError) console.log(`worker: cancelled (${error.message}), cleaning up`);
      throw error;
    }
  });
  await sleep(0.1);
  worker.cancel('not needed any more');
  try {
    await worker;
  } catch (error) {
    console.log(`main: the worker ended with ${error.name}; cancelled() = ${worker.cancelled()}`);
  }
});

// 3. gather, timeouts and task groups.
title('gather, timeout, TaskGroup');
await run(async () => {
  const fetchLike = (name, seconds) => async () => {
    await sleep(seconds);
    return `${name} after ${seconds}s`;
  };
  console.log('gather:', await gather([fetchLike('a', 0.2), fetchLike('b', 0.1)]));
  try {
    await timeout(0.1, () => sleep(10));
  } catch (error) {
    if (error instanceof TimeoutError) console.log('timeout: sleep(10) gave up after 0.1s');
  }
  try {
    await taskGroup(async (tg) => {
      tg.createTask(fetchLike('slow', 5));
      tg.createTask(async () => {
        await sleep(0.1);
        throw new Error('one child failed');
      });
    });
  } catch (group) {
    console.log(
      `TaskGroup: ${group.name} [${group.exceptions.map((e) => e.message)}]; the slow sibling was cancelled`,
    );
  }
});

// 4. Producers and consumers: a bounded queue, and a lock around a shared resource.
title('Queue and Lock');
await run(async () => {
  const queue = new Queue(2);
  const lock = new Lock();
  const log = [];
  const consumer = (name) => async () => {
    for await (const item of queue) {
      await lock.withLock(async () => {
        log.push(`${name}:${item}`);
        await sleep(0.01);
      });
      queue.taskDone();
    }
  };
  const consumers = [createTask(consumer('c1')), createTask(consumer('c2'))];
  for (let i = 1; i <= 6; i++) await queue.put(i); // waits while the queue is full
  await queue.join();
  queue.shutdown();
  await gather(consumers);
  console.log(`6 items through a Queue(2), 2 consumers, one at a time under a Lock: ${log.join(' ')}`);
});

// 5. Streams: a line-echo server and a client on 127.0.0.1, both as tasks.
title('Streams');
await run(async () => {
  const server = await startServer(
    async (reader, writer) => {
      for await (const line of reader)
        writer.write(new TextEncoder().encode(`echo: ${new TextDecoder().decode(line)}`));
      writer.close();
    },
    '127.0.0.1',
    0,
  );
  try {
    const [host, port] = server.sockets[0].getsockname();
    const [reader, writer] = await openConnection(host, port);
    writer.write(new TextEncoder().encode('hello over TCP\n'));
    await writer.drain();
    console.log(new TextDecoder().decode(await reader.readLine()).trim());
    writer.close();
    await writer.waitClosed();
  } finally {
    server.close(); // (in TypeScript: `await using server = ...`)
    await server.waitClosed();
  }
});

// 6. Subprocesses: a child with stream pipes, and a timeout that ends a child that hangs.
title('Subprocesses');
await run(async () => {
  const upper = await createSubprocessExec(
    process.execPath,
    ['-e', 'process.stdin.on("data", (d) => process.stdout.write(String(d).toUpperCase()))'],
    { stdin: PIPE, stdout: PIPE },
  );
  const [out] = await upper.communicate(new TextEncoder().encode('hello, child'));
  console.log(`child said ${JSON.stringify(new TextDecoder().decode(out))}, exit code ${upper.returncode}`);

  const hanging = await createSubprocessExec(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  try {
    await timeout(0.2).run(() => hanging.wait());
  } catch (error) {
    hanging.kill();
    console.log(`${error.name} after 0.2 s: killed, returncode ${await hanging.wait()}`);
  }
});

// 7. The virtual-time loop: an hour of sleeping, instantly (what the tests run on).
title('Virtual time');
const started = performance.now();
await run(
  async () => {
    const loop = currentTask().getLoop();
    await gather([() => sleep(3600), () => sleep(1800)]);
    console.log(
      `loop.time() = ${loop.time()}s of virtual time, in ${(performance.now() - started).toFixed(0)} ms of real time`,
    );
  },
  { loopFactory: () => new VirtualTimeEventLoop() },
);

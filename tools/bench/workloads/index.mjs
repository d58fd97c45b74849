// The workload registry: each entry has `<name>.mjs` (Node variants) and `<name>.py`
// (asyncio/uvloop) beside this file. Each child prints one JSON line: {"value": <number>}.
export const workloads = [
  {
    name: 'callsoon',
    size: 1_000_000,
    quickSize: 10_000,
    unit: 's',
    node: ['aio', 'raw'],
    describe: (n) => `a chain of ${n.toLocaleString('en')} callSoon callbacks (raw: setImmediate)`,
  },
  {
    name: 'timers',
    size: 100_000,
    quickSize: 1_000,
    unit: 's',
    node: ['aio', 'raw'],
    describe: (n) => `${n.toLocaleString('en')} callLater timers, random delays ≤ 50 ms (raw: setTimeout)`,
  },
  {
    name: 'tasks',
    size: 100_000,
    quickSize: 1_000,
    unit: 's',
    node: ['aio', 'raw', 'floor', 'microtask'],
    describe: (n) =>
      `${n.toLocaleString('en')} tasks × 10 sleep(0), gathered (raw: async fns yielding to the event loop with setImmediate; floor: see floor.mjs; microtask: awaiting null, which never yields to the loop)`,
  },
  {
    name: 'futures',
    size: 1_000_000,
    quickSize: 10_000,
    unit: 's',
    node: ['aio', 'raw', 'floor'],
    describe: (n) =>
      `${n.toLocaleString('en')} × (create future, resolve from callSoon, await) (raw: promise + setImmediate; floor: see floor.mjs)`,
  },
  {
    name: 'queue1',
    size: 1_000_000,
    quickSize: 10_000,
    unit: 's',
    node: ['aio', 'raw', 'floor', 'microtask'],
    describe: (n) =>
      `1 producer + 1 consumer move ${n.toLocaleString('en')} integers through a Queue(100) (raw: a promise queue waking waiters with setImmediate; floor: the same in floor.mjs's contexts and loop; microtask: waking them at once, never yielding to the loop)`,
  },
  {
    name: 'queue10',
    size: 1_000_000,
    quickSize: 10_000,
    unit: 's',
    node: ['aio', 'raw', 'floor', 'microtask'],
    describe: (n) =>
      `10 producers + 10 consumers move ${n.toLocaleString('en')} integers through a Queue(100) (raw, floor, microtask: as queue1)`,
  },
  {
    name: 'lock',
    size: 1_000,
    quickSize: 20,
    unit: 's',
    node: ['aio', 'raw', 'floor', 'microtask'],
    describe: (n) =>
      `${n.toLocaleString('en')} tasks each take one Lock 100 times, sleep(0) inside (raw: a promise lock, hand-over and sleep(0) through setImmediate; floor: through floor.mjs's contexts and loop; microtask: hand-over at once and await null, never yielding to the loop)`,
  },
  {
    name: 'memory',
    size: 100_000,
    quickSize: 1_000,
    unit: 'B',
    digits: 0,
    node: ['aio', 'raw', 'floor'],
    describe: (n) =>
      `heap per pending task, ${n.toLocaleString('en')} tasks awaiting a future (raw: async fn awaiting a promise; floor: the same, each in a context of its own)`,
  },
  {
    name: 'echo',
    size: 2_000,
    quickSize: 50,
    unit: 'msg/s',
    digits: 0,
    lowerIsBetter: false,
    node: ['aio', 'raw', 'floor'],
    describe: (n) =>
      `TCP echo, 50 clients × ${n.toLocaleString('en')} messages of 100 B, each reply read with readExactly (raw: node:net callbacks; floor: the same sockets driven by coroutines in floor.mjs's contexts and loop)`,
  },
  {
    name: 'bulk',
    size: 256,
    quickSize: 8,
    unit: 'MiB/s',
    digits: 0,
    lowerIsBetter: false,
    node: ['aio', 'raw'],
    describe: (n) => `TCP bulk, ${n} MiB through an echo server in 64 KiB writes with drain (raw: node:net)`,
  },
  {
    name: 'spawn',
    size: 200,
    quickSize: 5,
    unit: 's',
    node: ['aio', 'raw'],
    describe: (n) =>
      `${n} children of /bin/true started and waited for, one after the other (raw: child_process.spawn)`,
  },
  {
    name: 'pipe',
    size: 256,
    quickSize: 4,
    unit: 'MiB/s',
    digits: 0,
    lowerIsBetter: false,
    node: ['aio', 'raw'],
    describe: (n) =>
      `${n} MiB through cat in 64 KiB writes with drain, read back (raw: child_process streams)`,
  },
];

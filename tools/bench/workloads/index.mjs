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
    node: ['aio', 'raw'],
    describe: (n) => `${n.toLocaleString('en')} tasks × 10 sleep(0), gathered (raw: async fns awaiting null)`,
  },
  {
    name: 'futures',
    size: 1_000_000,
    quickSize: 10_000,
    unit: 's',
    node: ['aio', 'raw'],
    describe: (n) =>
      `${n.toLocaleString('en')} × (create future, resolve from callSoon, await) (raw: promise + setImmediate)`,
  },
  {
    name: 'memory',
    size: 100_000,
    quickSize: 1_000,
    unit: 'B',
    digits: 0,
    node: ['aio', 'raw'],
    describe: (n) =>
      `heap per pending task, ${n.toLocaleString('en')} tasks awaiting a future (raw: async fn awaiting a promise)`,
  },
];

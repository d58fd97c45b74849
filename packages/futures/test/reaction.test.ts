import { Future } from '@aio/futures';
import { VirtualTimeEventLoop } from '@aio/loop';

// What Future.then() returns: a Promise-compatible object that becomes a real Promise on demand.
describe('then() results', () => {
  let loop: VirtualTimeEventLoop;
  beforeEach(() => {
    loop = new VirtualTimeEventLoop();
  });
  afterEach(() => loop.close());

  test('chaining before and after the future completes gives the handler results', async () => {
    const fut = new Future<number>({ loop });
    const early = fut.then((v) => v + 1);
    const chainedEarly = early.then((v) => v * 10);
    fut.setResult(1);
    await loop.runUntilIdle();
    await expect(chainedEarly).resolves.toBe(20);
    await expect(early).resolves.toBe(2); // chained after it settled
    await expect(early.finally(() => {})).resolves.toBe(2);
  });

  test('a handler returning a promise is adopted; a throwing one rejects', async () => {
    const fut = new Future<number>({ loop });
    const adopted = fut.then((v) => Promise.resolve(v * 3));
    const thrown = fut.then(() => {
      throw new Error('handler failed');
    });
    const caught = thrown.catch((e: Error) => e.message);
    fut.setResult(2);
    await loop.runUntilIdle();
    await expect(adopted).resolves.toBe(6);
    await expect(caught).resolves.toBe('handler failed');
  });

  test('rejections pass through then(onFulfilled) to a later catch', async () => {
    const fut = new Future<number>({ loop });
    const passed = fut.then((v) => v);
    fut.setException(new RangeError('bad'));
    const caught = passed.catch((e: Error) => e.name);
    await loop.runUntilIdle();
    await expect(caught).resolves.toBe('RangeError');
  });

  test('Promise.all and Promise.resolve accept futures and their then() results', async () => {
    const a = new Future<string>({ loop });
    const b = new Future<string>({ loop });
    const all = Promise.all([a, b.then((v) => v.toUpperCase())]);
    a.setResult('a');
    b.setResult('b');
    await loop.runUntilIdle();
    await expect(all).resolves.toEqual(['a', 'B']);
    expect(Object.prototype.toString.call(a)).toBe('[object Future]');
  });
});

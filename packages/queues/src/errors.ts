/** The errors of @aio/queues, named as in asyncio. */

function nameAfterClass(error: Error, name: string): void {
  Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
}

/**
 * `getNowait()` found the queue empty.
 *
 * @example
 * try { handle(queue.getNowait()); } catch (e) { if (!(e instanceof QueueEmpty)) throw e; }
 */
export class QueueEmpty extends Error {
  constructor(message = 'the queue is empty') {
    super(message);
    nameAfterClass(this, 'QueueEmpty');
  }
}

/**
 * `putNowait()` found the queue full (it has `maxsize` items).
 *
 * @example
 * try { queue.putNowait(job); } catch (e) { if (e instanceof QueueFull) dropped++; else throw e; }
 */
export class QueueFull extends Error {
  constructor(message = 'the queue is full') {
    super(message);
    nameAfterClass(this, 'QueueFull');
  }
}

/**
 * The queue was shut down (asyncio 3.13): `put()` always fails, `get()` fails once the queue is
 * empty (at once after `shutdown(true)`).
 *
 * @example
 * try { await queue.put(job); } catch (e) { if (e instanceof QueueShutDown) return; throw e; }
 */
export class QueueShutDown extends Error {
  constructor(message = 'the queue is shut down') {
    super(message);
    nameAfterClass(this, 'QueueShutDown');
  }
}

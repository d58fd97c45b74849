/**
 * The process-wide event-loop policy: `getEventLoopPolicy()`/`setEventLoopPolicy()`
 * (deprecated in Python 3.14, removal in 3.16). It lives on `globalThis` so that two copies of
 * @aio/policies (ESM and CommonJS builds, or two versions) share one policy.
 */
import type { AbstractEventLoopPolicy } from './abstract-event-loop-policy';
import { DefaultEventLoopPolicy } from './default-event-loop-policy';
import { checkPolicy } from './internal/checks';

interface PolicySlot {
  /** `null`: a default policy is made on first use. */
  policy: AbstractEventLoopPolicy | null;
}

const slotKey = Symbol.for('aio.eventLoopPolicy');
const holder = globalThis as { [slotKey]?: PolicySlot };
const slot: PolicySlot = holder[slotKey] ?? { policy: null };
holder[slotKey] = slot;

/** The policy in force, made on first use (asyncio's `_get_event_loop_policy`, not deprecated). */
export function currentPolicy(): AbstractEventLoopPolicy {
  slot.policy ??= new DefaultEventLoopPolicy();
  return slot.policy;
}

/**
 * The policy in force: a `DefaultEventLoopPolicy` unless `setEventLoopPolicy()` set another.
 *
 * @deprecated Deprecated in Python 3.14: use `getEventLoop()`, `run()` or `Runner` instead.
 * @example
 * getEventLoopPolicy().getEventLoop(); // as getEventLoop(), minus the running loop
 */
export function getEventLoopPolicy(): AbstractEventLoopPolicy {
  return currentPolicy();
}

/**
 * Installs `policy` for the whole process; `null` goes back to a fresh `DefaultEventLoopPolicy`
 * (its current loop unset).
 *
 * @deprecated Deprecated in Python 3.14: use `run(main, { loopFactory })` or `Runner` instead.
 * @example
 * setEventLoopPolicy(new MyPolicy());
 * await run(main); // on MyPolicy's newEventLoop()
 * setEventLoopPolicy(null);
 * @throws TypeError unless `policy` is an `AbstractEventLoopPolicy` (any object of its shape) or `null`.
 */
export function setEventLoopPolicy(policy: AbstractEventLoopPolicy | null): void {
  checkPolicy(policy);
  slot.policy = policy;
}

/**
 * Structural checks of the arguments of @aio/policies: a loop or a policy is recognised by its
 * methods, not by `instanceof`, so that objects from another copy of a package pass (DESIGN.md,
 * "Process-wide state").
 */
import type { AbstractEventLoop } from '@aio/loop';
import type { AbstractEventLoopPolicy } from '../abstract-event-loop-policy';

const loopMethods = [
  'runUntilComplete',
  'runForever',
  'stop',
  'isRunning',
  'isClosed',
  'close',
  'callSoon',
  'callLater',
  'callAt',
  'time',
  'createFuture',
  'createTask',
] as const;
const policyMethods = ['getEventLoop', 'setEventLoop', 'newEventLoop'] as const;

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** For error messages: `null`, `number`, `Object`, `Map`... */
function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return value.constructor?.name ?? 'Object';
}

/** @throws TypeError naming `loop` unless it is loop-shaped or `null`. */
export function checkLoop(loop: unknown): asserts loop is AbstractEventLoop | null {
  if (loop !== null && !hasMethods(loop, loopMethods)) {
    throw new TypeError(`loop must be an AbstractEventLoop or null, got ${describe(loop)}`);
  }
}

/** @throws TypeError naming `policy` unless it is policy-shaped or `null`. */
export function checkPolicy(policy: unknown): asserts policy is AbstractEventLoopPolicy | null {
  if (policy !== null && !hasMethods(policy, policyMethods)) {
    throw new TypeError(`policy must be an AbstractEventLoopPolicy or null, got ${describe(policy)}`);
  }
}

/**
 * Process-wide state: one value per `Symbol.for(name)` slot on `globalThis`, so that every copy
 * of @aio/loop in a process (ESM and CommonJS builds, or two versions) shares it.
 */

/** The value in the slot `name`, made by `make()` (and stored) when the slot is empty. */
export function processWide<T>(name: string, make: () => T): T {
  const holder = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(name);
  holder[key] ??= make();
  return holder[key] as T;
}

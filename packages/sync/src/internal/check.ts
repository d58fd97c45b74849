/** Argument checks shared by the constructors: errors that name the argument. */

/**
 * Checks that `value` is an integer no smaller than `min`.
 * @throws TypeError for a non-number; RangeError for a non-integer or a smaller one.
 */
export function checkCount(value: unknown, name: string, min: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
  if (value < min) throw new RangeError(`${name} must be >= ${min}, got ${value}`);
}

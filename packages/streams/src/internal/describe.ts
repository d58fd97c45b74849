/** A short description of a value for error messages ("got number 5", "got null"). */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value === 'function'
    ? `function ${value.name || '<anonymous>'}`
    : `${typeof value} ${String(value)}`;
}

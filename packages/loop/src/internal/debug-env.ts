/** Debug mode from the environment: `AIO_DEBUG` (Python's `PYTHONASYNCIODEBUG`). */
export function debugFromEnvironment(): boolean {
  const value = (process.env.AIO_DEBUG ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false' && value !== 'no' && value !== 'off';
}

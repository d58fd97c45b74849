/** Socket addresses between Node's shapes and Python's tuples, and argument checks for them. */
import type net from 'node:net';
import { describe } from '../base-event-loop';
import { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, type SockAddr } from '../types';

/** Python's tuple for a Node address: `[host, port]`, `[host, port, 0, 0]` for IPv6, or a path. */
export function toSockAddr(address: string | undefined, port: number | undefined, family: unknown): SockAddr {
  if (address === undefined) return '';
  if (family === 'IPv6' || family === 6) return [address, port ?? 0, 0, 0];
  return [address, port ?? 0];
}

/** The address a server listens on, as Python's `getsockname()` gives it. */
export function serverSockAddr(server: net.Server): SockAddr {
  const address = server.address();
  if (address === null) return '';
  if (typeof address === 'string') return address;
  return toSockAddr(address.address, address.port, address.family);
}

/** Python's address family of a Node address family name. */
export function familyNumber(family: unknown): number {
  if (family === 'IPv6' || family === 6) return AF_INET6;
  if (family === 'IPv4' || family === 4) return AF_INET;
  return AF_UNIX;
}

/** Node's `family` option (0, 4 or 6) for a Python family constant. */
export function nodeFamily(family: unknown, name = 'family'): 0 | 4 | 6 {
  if (family === undefined || family === null || family === AF_UNSPEC) return 0;
  if (family === AF_INET) return 4;
  if (family === AF_INET6) return 6;
  throw new RangeError(`${name} must be AF_UNSPEC, AF_INET or AF_INET6, got ${describe(family)}`);
}

export function checkHost(host: unknown, name = 'host'): asserts host is string | null | undefined {
  if (host !== undefined && host !== null && typeof host !== 'string')
    throw new TypeError(`${name} must be a string or null, got ${describe(host)}`);
}

/** A port number from a number or a numeric string; `null`/`undefined` stay as they are. */
export function checkPort(port: unknown, name = 'port'): number | null {
  if (port === undefined || port === null) return null;
  let value: number;
  if (typeof port === 'number') value = port;
  else if (typeof port === 'string' && /^\d+$/.test(port.trim())) value = Number(port);
  else throw new TypeError(`${name} must be a number (or a numeric string), got ${describe(port)}`);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new RangeError(`${name} must be an integer in 0..65535, got ${port}`);
  return value;
}

export function checkPath(path: unknown, name = 'path'): asserts path is string {
  if (typeof path !== 'string' || path.length === 0)
    throw new TypeError(`${name} must be a non-empty string, got ${describe(path)}`);
}

/** `value` is a non-negative finite number of seconds (or absent). */
export function checkTimeout(value: unknown, name: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number of seconds, got ${describe(value)}`);
  if (!(value > 0)) throw new RangeError(`${name} should be a positive number, got ${value}`);
}

/** Python's `(host, port)` (or a path) from a `SockAddr` argument. */
export function splitSockAddr(
  addr: unknown,
  name: string,
): { host: string; port: number } | { path: string } {
  if (typeof addr === 'string') return { path: addr };
  if (Array.isArray(addr) && (addr.length === 2 || addr.length === 4) && typeof addr[0] === 'string') {
    return { host: addr[0], port: checkPort(addr[1], `${name}[1]`) ?? 0 };
  }
  throw new TypeError(`${name} must be a [host, port] tuple or a path, got ${describe(addr)}`);
}

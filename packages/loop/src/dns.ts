/** `getaddrinfo`/`getnameinfo` on `node:dns`, returning Python's tuple shapes. */
import dns from 'node:dns';
import net from 'node:net';
import { servicePort } from './internal/services';
import type { SockAddr } from './types';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_PASSIVE,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_STREAM,
} from './types';

/** One address: `[family, type, proto, canonname, sockaddr]`, as Python's `getaddrinfo`. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: SockAddr];

/** Options of `getaddrinfo` (Python's keyword arguments). */
export interface GetaddrinfoOptions {
  family?: number;
  type?: number;
  proto?: number;
  flags?: number;
}

const IPPROTO = { [SOCK_STREAM]: 6, [SOCK_DGRAM]: 17 } as Record<number, number>;

/** Resolves `host`/`port` to addresses with `dns.lookup` (the OS resolver, as Python). */
export async function getaddrinfo(
  host: string | null,
  port: string | number | null,
  opts: GetaddrinfoOptions = {},
): Promise<AddrInfo[]> {
  if (host !== null && typeof host !== 'string') throw new TypeError('host must be a string or null');
  if (port !== null && typeof port !== 'string' && typeof port !== 'number') {
    throw new TypeError('port must be a number, a string or null');
  }
  const { family = AF_UNSPEC, type = 0, proto = 0, flags = 0 } = opts;
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) {
    throw new RangeError(`family ${family} is not supported (AF_UNSPEC, AF_INET or AF_INET6)`);
  }
  const named = typeof port === 'string' && !/^\s*\d+\s*$/.test(port);
  const portNumber = port === null || named ? 0 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new RangeError(`port must be 0-65535 or a service name, got ${String(port)}`);
  }
  const requested = type === 0 ? [SOCK_STREAM, SOCK_DGRAM] : [type];
  // A service name gives a port per socket type, and only the types it is defined for.
  const ports = new Map<number, number>();
  for (const t of requested) {
    const servicePortNumber = named ? servicePort(port, t === SOCK_DGRAM ? 'udp' : 'tcp') : portNumber;
    if (servicePortNumber !== undefined) ports.set(t, servicePortNumber);
  }
  if (ports.size === 0) {
    throw Object.assign(
      new Error(`getaddrinfo EAI_SERVICE ${String(port)}: service not known for the socket type`),
      {
        code: 'EAI_SERVICE',
      },
    );
  }
  // No host: the wildcard address to bind to with AI_PASSIVE, else loopback (as the OS resolver).
  const passive = (flags & AI_PASSIVE) !== 0;
  const name = host ?? (family === AF_INET6 ? (passive ? '::' : '::1') : passive ? '0.0.0.0' : '127.0.0.1');
  if (flags & AI_NUMERICHOST && net.isIP(name) === 0) {
    throw Object.assign(new Error(`getaddrinfo ENONAME ${name}`), { code: 'ENONAME', hostname: name });
  }
  const records = await dns.promises.lookup(name, {
    all: true,
    family: family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0,
    verbatim: true,
  });
  const canonname = flags & AI_CANONNAME ? name : '';
  const result: AddrInfo[] = [];
  for (const record of records) {
    const af = record.family === 6 ? AF_INET6 : AF_INET;
    for (const [t, p] of ports) {
      const sockaddr: SockAddr = af === AF_INET6 ? [record.address, p, 0, 0] : [record.address, p];
      result.push([af, t, proto || (IPPROTO[t] ?? 0), canonname, sockaddr]);
    }
  }
  return result;
}

/** The host and service name of a socket address (`dns.lookupService`; numeric with the NI_* flags). */
export async function getnameinfo(sockaddr: SockAddr, flags = 0): Promise<[host: string, port: string]> {
  if (!Array.isArray(sockaddr) || typeof sockaddr[0] !== 'string' || typeof sockaddr[1] !== 'number') {
    throw new TypeError('sockaddr must be a [host, port] tuple');
  }
  const [host, port] = sockaddr;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be 0-65535, got ${port}`);
  }
  // As Python's, which resolves the host with AI_NUMERICHOST first: an address, not a name.
  if (net.isIP(host) === 0) {
    throw Object.assign(new Error(`getnameinfo ENONAME ${host}`), { code: 'ENONAME', hostname: host });
  }
  if (flags & NI_NUMERICHOST && flags & NI_NUMERICSERV) return [host, String(port)];
  let hostname = host;
  let service = String(port);
  try {
    ({ hostname, service } = await dns.promises.lookupService(host, port));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOTFOUND') throw error;
  }
  return [flags & NI_NUMERICHOST ? host : hostname, flags & NI_NUMERICSERV ? String(port) : service];
}

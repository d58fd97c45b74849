/** Shared types and Python socket constants (Linux values) used across the loop's API. */

/** A socket address: a Unix path, `[host, port]`, or `[host, port, flowinfo, scopeId]` for IPv6. */
export type SockAddr =
  | string
  | [host: string, port: number]
  | [host: string, port: number, flowinfo: number, scopeId: number];

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const AI_PASSIVE = 1;
export const AI_CANONNAME = 2;
export const AI_NUMERICHOST = 4;
export const AI_ADDRCONFIG = 0x20;
export const NI_NUMERICHOST = 1;
export const NI_NUMERICSERV = 2;

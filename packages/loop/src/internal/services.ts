/**
 * Service names for `getaddrinfo` (`'http'` → 80), as the C library finds them: in
 * `/etc/services`, read once. Where that file is missing, a few well-known IANA services.
 */
import { readFileSync } from 'node:fs';

/** `name/protocol` → port. */
type ServiceTable = Map<string, number>;

const WELL_KNOWN =
  'ftp 21/tcp\nssh 22/tcp\nsmtp 25/tcp\ndomain 53/tcp\ndomain 53/udp\nhttp 80/tcp www\nntp 123/udp\nhttps 443/tcp\nhttps 443/udp\n';

let table: ServiceTable | null = null;

function parse(text: string): ServiceTable {
  const services: ServiceTable = new Map();
  for (const line of text.split('\n')) {
    const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const match = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
    if (name === undefined || match === null) continue;
    for (const alias of [name, ...aliases]) {
      const key = `${alias}/${match[2]}`;
      if (!services.has(key)) services.set(key, Number(match[1]));
    }
  }
  return services;
}

function services(): ServiceTable {
  if (table === null) {
    let text = WELL_KNOWN;
    try {
      text = readFileSync('/etc/services', 'utf8');
    } catch {
      // No services database on this system: the well-known ones only.
    }
    table = parse(text);
  }
  return table;
}

/** The port of service `name` over `protocol` (`'tcp'`/`'udp'`), or `undefined` if unknown. */
export function servicePort(name: string, protocol: 'tcp' | 'udp'): number | undefined {
  return services().get(`${name}/${protocol}`);
}

import {
  AF_INET,
  AF_INET6,
  AI_CANONNAME,
  AI_NUMERICHOST,
  EventLoop,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_STREAM,
} from '@aio/loop';

describe('getaddrinfo / getnameinfo', () => {
  const loop = new EventLoop();
  afterAll(() => loop.close());

  test('numeric IPv4 with a numeric or string port gives Python-shaped tuples', async () => {
    const infos = await loop.getaddrinfo('127.0.0.1', '8080');
    expect(infos).toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 8080]],
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 8080]],
    ]);
    const stream = await loop.getaddrinfo('127.0.0.1', 80, { type: SOCK_STREAM, flags: AI_CANONNAME });
    expect(stream).toEqual([[AF_INET, SOCK_STREAM, 6, '127.0.0.1', ['127.0.0.1', 80]]]);
  });

  test('localhost resolves; family filters; null host is loopback', async () => {
    const v4 = await loop.getaddrinfo('localhost', 80, { family: AF_INET, type: SOCK_STREAM });
    expect(v4.length).toBeGreaterThan(0);
    for (const [family, , , , addr] of v4) {
      expect(family).toBe(AF_INET);
      expect(addr).toEqual([expect.stringMatching(/^127\./), 80]);
    }
    const loopback = await loop.getaddrinfo(null, 0, { type: SOCK_STREAM });
    expect(loopback[0]![4]).toEqual(['127.0.0.1', 0]);
    const v6 = await loop.getaddrinfo('::1', 443, { family: AF_INET6, type: SOCK_STREAM });
    expect(v6).toEqual([[AF_INET6, SOCK_STREAM, 6, '', ['::1', 443, 0, 0]]]);
  });

  test('errors: AI_NUMERICHOST with a name, bad arguments', async () => {
    await expect(loop.getaddrinfo('localhost', 80, { flags: AI_NUMERICHOST })).rejects.toMatchObject({
      code: 'ENONAME',
    });
    await expect(loop.getaddrinfo(42 as never, 80)).rejects.toThrow(TypeError);
    await expect(loop.getaddrinfo('127.0.0.1', {} as never)).rejects.toThrow(/port/);
    await expect(loop.getaddrinfo('127.0.0.1', 70000)).rejects.toThrow(RangeError);
    await expect(loop.getaddrinfo('127.0.0.1', 80, { family: 99 })).rejects.toThrow(/family/);
  });

  test('getnameinfo: numeric flags, and a name lookup', async () => {
    await expect(loop.getnameinfo(['127.0.0.1', 80], NI_NUMERICHOST | NI_NUMERICSERV)).resolves.toEqual([
      '127.0.0.1',
      '80',
    ]);
    const [host, service] = await loop.getnameinfo(['127.0.0.1', 22], NI_NUMERICSERV);
    expect(typeof host).toBe('string');
    expect(service).toBe('22');
    const [, named] = await loop.getnameinfo(['127.0.0.1', 22], NI_NUMERICHOST);
    expect(named).toBe('ssh');
    await expect(loop.getnameinfo('nope' as never)).rejects.toThrow(TypeError);
  });
});

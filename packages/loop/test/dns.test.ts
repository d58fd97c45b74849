import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_PASSIVE,
  EventLoop,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_STREAM,
} from '@aio/loop';

// Name resolution on loopback only (no network), after test_asyncio's getaddrinfo/getnameinfo tests.
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

  test('a service name gives its port per socket type, as in the services database', async () => {
    await expect(loop.getaddrinfo('127.0.0.1', 'http', { type: SOCK_STREAM })).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]],
    ]);
    // domain (DNS) is defined over both protocols: both socket types come back.
    await expect(loop.getaddrinfo('127.0.0.1', 'domain')).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 53]],
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 53]],
    ]);
    // Numeric strings stay ports; unknown names, or names unknown for the type, are refused.
    await expect(loop.getaddrinfo('127.0.0.1', ' 8080 ', { type: SOCK_STREAM })).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 8080]],
    ]);
    await expect(loop.getaddrinfo('127.0.0.1', 'no-such-service')).rejects.toMatchObject({
      code: 'EAI_SERVICE',
    });
    await expect(loop.getaddrinfo('127.0.0.1', 'ssh', { type: SOCK_DGRAM })).rejects.toMatchObject({
      code: 'EAI_SERVICE',
    });
  });

  test('a closed loop rejects with RuntimeError', async () => {
    const closed = new EventLoop();
    closed.close();
    await expect(closed.getaddrinfo('127.0.0.1', 80)).rejects.toThrow(/closed/);
    await expect(closed.getnameinfo(['127.0.0.1', 80])).rejects.toThrow(/closed/);
  });

  test('null host: loopback, or with AI_PASSIVE the wildcard address, in every shape', async () => {
    await expect(loop.getaddrinfo(null, 0)).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 0]],
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 0]],
    ]);
    await expect(loop.getaddrinfo(null, null, { family: AF_INET6, type: SOCK_STREAM })).resolves.toEqual([
      [AF_INET6, SOCK_STREAM, 6, '', ['::1', 0, 0, 0]],
    ]);
    await expect(loop.getaddrinfo(null, 8080, { type: SOCK_STREAM, flags: AI_PASSIVE })).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['0.0.0.0', 8080]],
    ]);
    await expect(
      loop.getaddrinfo(null, 8080, { family: AF_INET6, type: SOCK_STREAM, flags: AI_PASSIVE }),
    ).resolves.toEqual([[AF_INET6, SOCK_STREAM, 6, '', ['::', 8080, 0, 0]]]);
  });

  test('every result of localhost has the tuple shape of its family', async () => {
    const infos = await loop.getaddrinfo('localhost', 80);
    expect(infos.length).toBeGreaterThan(0);
    for (const [family, type, proto, canonname, sockaddr] of infos) {
      expect([AF_INET, AF_INET6]).toContain(family);
      expect([
        [SOCK_STREAM, 6],
        [SOCK_DGRAM, 17],
      ]).toContainEqual([type, proto]);
      expect(canonname).toBe('');
      expect(sockaddr).toEqual(
        family === AF_INET ? [expect.any(String), 80] : [expect.any(String), 80, 0, 0],
      );
    }
    // Each address comes once per socket type, stream first.
    expect(infos.filter(([, type]) => type === SOCK_STREAM)).toHaveLength(infos.length / 2);
    expect(infos[0]![1]).toBe(SOCK_STREAM);
  });

  test('type and proto filters', async () => {
    await expect(loop.getaddrinfo('127.0.0.1', 53, { type: SOCK_DGRAM })).resolves.toEqual([
      [AF_INET, SOCK_DGRAM, 17, '', ['127.0.0.1', 53]],
    ]);
    await expect(loop.getaddrinfo('127.0.0.1', 53, { type: SOCK_STREAM, proto: 6 })).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 53]],
    ]);
    await expect(loop.getaddrinfo('127.0.0.1', 53, { family: AF_INET, type: SOCK_STREAM })).resolves.toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 53]],
    ]);
  });

  test('AI_NUMERICHOST accepts addresses', async () => {
    await expect(
      loop.getaddrinfo('127.0.0.1', 80, { type: SOCK_STREAM, flags: AI_NUMERICHOST }),
    ).resolves.toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]]]);
    await expect(loop.getaddrinfo('::1', 80, { type: SOCK_STREAM, flags: AI_NUMERICHOST })).resolves.toEqual([
      [AF_INET6, SOCK_STREAM, 6, '', ['::1', 80, 0, 0]],
    ]);
  });

  test.each([
    ['a negative port', -1],
    ['a fractional port', 1.5],
    ['a port over 65535', 65536],
    ['a numeric port string over 65535', '70000'],
  ])('getaddrinfo refuses %s (RangeError)', async (_what, port) => {
    await expect(loop.getaddrinfo('127.0.0.1', port)).rejects.toThrow(RangeError);
  });

  test('getaddrinfo refuses other host and port types (TypeError), and families it has no use for', async () => {
    await expect(loop.getaddrinfo({} as never, 80)).rejects.toThrow('host must be a string or null');
    await expect(loop.getaddrinfo(undefined as never, 80)).rejects.toThrow(TypeError);
    await expect(loop.getaddrinfo('127.0.0.1', true as never)).rejects.toThrow(TypeError);
    await expect(loop.getaddrinfo('127.0.0.1', 80, { family: AF_UNIX })).rejects.toThrow(RangeError);
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

  test('getnameinfo: NI_NUMERICSERV always gives the port number, IPv6 tuples work', async () => {
    for (const flags of [NI_NUMERICSERV, NI_NUMERICHOST | NI_NUMERICSERV]) {
      const [, service] = await loop.getnameinfo(['127.0.0.1', 80], flags);
      expect(service).toBe('80');
    }
    await expect(loop.getnameinfo(['::1', 443, 0, 0], NI_NUMERICHOST | NI_NUMERICSERV)).resolves.toEqual([
      '::1',
      '443',
    ]);
    const [host, service] = await loop.getnameinfo(['127.0.0.1', 80]);
    expect(typeof host).toBe('string');
    expect(typeof service).toBe('string');
  });

  test.each([
    ['a string', '127.0.0.1'],
    ['an empty tuple', []],
    ['a tuple without a port', ['127.0.0.1']],
    ['a numeric host', [127, 80]],
    ['a string port', ['127.0.0.1', '80']],
    ['null', null],
  ])('getnameinfo refuses %s as sockaddr (TypeError)', async (_what, sockaddr) => {
    await expect(loop.getnameinfo(sockaddr as never, NI_NUMERICHOST | NI_NUMERICSERV)).rejects.toThrow(
      TypeError,
    );
  });

  test('getnameinfo: ports out of range are RangeErrors; a host name is not an address', async () => {
    for (const port of [-1, 65536, 1.5]) {
      await expect(loop.getnameinfo(['127.0.0.1', port], NI_NUMERICHOST | NI_NUMERICSERV)).rejects.toThrow(
        RangeError,
      );
    }
    for (const flags of [0, NI_NUMERICHOST | NI_NUMERICSERV]) {
      await expect(loop.getnameinfo(['localhost', 80], flags)).rejects.toMatchObject({ code: 'ENONAME' });
    }
  });
});

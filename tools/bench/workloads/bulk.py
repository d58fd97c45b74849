"""Bulk TCP: one client streams `size` MiB through an echo server in 64 KiB writes with drain()."""
import asyncio
import time
from common import new_loop, report, size

CHUNK = 64 * 1024


async def handle(reader, writer):
    while True:
        data = await reader.read(CHUNK)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def main():
    total = size * 1024 * 1024
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    chunk = b'x' * CHUNK
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection('127.0.0.1', port)

    async def receive():
        got = 0
        while True:
            data = await reader.read(CHUNK)
            if not data:
                return got
            got += len(data)

    received = asyncio.create_task(receive())
    sent = 0
    while sent < total:
        writer.write(chunk)
        await writer.drain()
        sent += CHUNK
    writer.write_eof()
    if await received != total:
        raise RuntimeError('lost bytes')
    seconds = time.perf_counter() - started
    writer.close()
    server.close()
    await server.wait_closed()
    return seconds


loop = new_loop()
seconds = loop.run_until_complete(main())
loop.close()
report(size / seconds)

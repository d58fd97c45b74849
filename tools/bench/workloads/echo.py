"""TCP echo: 50 clients, each sending `size` messages of 100 bytes one at a time, readexactly() each reply."""
import asyncio
import time
from common import new_loop, report, size

CLIENTS = 50
MESSAGE = 100


async def handle(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
    writer.close()


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    message = b'x' * MESSAGE

    async def client():
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        for _ in range(size):
            writer.write(message)
            await reader.readexactly(MESSAGE)
        writer.close()
        await writer.wait_closed()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    seconds = time.perf_counter() - started
    server.close()
    await server.wait_closed()
    return seconds


loop = new_loop()
seconds = loop.run_until_complete(main())
loop.close()
report(CLIENTS * size / seconds)

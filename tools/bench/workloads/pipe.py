"""Pipe throughput: `size` MiB written to `cat` in 64 KiB writes with drain while its output is read back."""
import asyncio
import time
from common import new_loop, report, size

CHUNK = 64 * 1024


async def main():
    total = size * 1024 * 1024
    chunk = b'x' * CHUNK
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        'cat', stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)

    async def write():
        for _ in range(0, total, CHUNK):
            proc.stdin.write(chunk)
            await proc.stdin.drain()
        proc.stdin.close()

    async def read():
        received = 0
        while True:
            data = await proc.stdout.read(1024 * 1024)
            if not data:
                return received
            received += len(data)

    _, received = await asyncio.gather(write(), read())
    await proc.wait()
    assert received == total, received
    return time.perf_counter() - started

loop = new_loop()
seconds = loop.run_until_complete(main())
loop.close()
report(size / seconds)

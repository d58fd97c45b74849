"""Shared by queue1 and queue10: producers and consumers move `size` integers through a Queue(100)."""
import asyncio
from common import size, timed


async def move(workers):
    each = size // workers
    queue = asyncio.Queue(100)

    async def producer():
        for i in range(each):
            await queue.put(i)

    async def consumer():
        for _ in range(each):
            await queue.get()

    roles = []
    for _ in range(workers):
        roles += [producer(), consumer()]
    await asyncio.gather(*roles)


def bench(workers):
    timed(lambda: move(workers))

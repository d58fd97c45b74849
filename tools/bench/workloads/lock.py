import asyncio
from common import size, timed

ROUNDS = 100


async def main():
    lock = asyncio.Lock()

    async def worker():
        for _ in range(ROUNDS):
            async with lock:
                await asyncio.sleep(0)

    await asyncio.gather(*[worker() for _ in range(size)])

timed(main)

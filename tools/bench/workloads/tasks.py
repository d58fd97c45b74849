import asyncio
from common import size, timed


async def worker():
    for _ in range(10):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*[worker() for _ in range(size)])

timed(main)

import asyncio
from common import size, timed


async def main():
    loop = asyncio.get_running_loop()
    for i in range(size):
        fut = loop.create_future()
        loop.call_soon(fut.set_result, i)
        await fut

timed(main)

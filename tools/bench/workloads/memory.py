import asyncio
import gc
import tracemalloc
from common import new_loop, report, size


async def main():
    fut = asyncio.get_running_loop().create_future()

    async def waiter():
        await fut
    gc.collect()
    tracemalloc.start()
    tasks = [asyncio.ensure_future(waiter()) for _ in range(size)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    fut.set_result(None)
    await asyncio.gather(*tasks)
    return held / size

loop = new_loop()
report(loop.run_until_complete(main()))
loop.close()

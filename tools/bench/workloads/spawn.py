"""Process start-up: `size` children of /bin/true started and waited for one after the other."""
import asyncio
from common import size, timed


async def main():
    for _ in range(size):
        proc = await asyncio.create_subprocess_exec('/bin/true')
        await proc.wait()

timed(main)

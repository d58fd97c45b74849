import time
from common import new_loop, report, size

loop = new_loop()
n = 0


def step():
    global n
    n += 1
    if n < size:
        loop.call_soon(step)
    else:
        loop.stop()


started = time.perf_counter()
loop.call_soon(step)
loop.run_forever()
report(time.perf_counter() - started)
